import { createParser } from 'eventsource-parser';

/**
 * Server-sent events from a fetch() body, parsed by `eventsource-parser` (the WHATWG HTML "event
 * stream interpretation": CRLF, LF or CR line ends, `data:` lines joined with LF, comments ignored,
 * an unfinished event at the end of the stream discarded). This adapter adds what the library
 * leaves to its caller: the last event ID carried over to later events, and `retry:` on the event
 * that carried it. `@verity/sdk` has the same adapter as a push parser (ServerSentEventParser);
 * the server does not import the SDK (a workspace package of TypeScript sources, not in the build).
 */

export interface ServerSentEvent {
  /** `event:` field, "message" when absent. */
  event: string;
  data: string;
  /** The last `id:` seen on the stream (it carries over to later events, as the spec says). */
  id: string;
  /** `retry:` in milliseconds, when this event carried one. */
  retry?: number;
}

export async function* readServerSentEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder('utf-8');
  const ready: ServerSentEvent[] = [];
  let lastEventId = '';
  let retry: number | undefined;
  const parser = createParser({
    onEvent: (message) => {
      if (message.id !== undefined) lastEventId = message.id;
      ready.push({ event: message.event ?? 'message', data: message.data, id: lastEventId, ...(retry === undefined ? {} : { retry }) });
      retry = undefined;
    },
    onRetry: (ms) => (retry = ms),
  });
  let endsInCr = false;
  const feed = (text: string): void => {
    if (text === '') return;
    // The library holds a chunk's final CR in case an LF follows, and then the next chunk too if it
    // has no line end; when an LF does not follow, one fed now makes it a CRLF: the same line end.
    if (endsInCr && !text.startsWith('\n')) parser.feed('\n');
    parser.feed(text);
    endsInCr = text.endsWith('\r');
  };
  for await (const chunk of body) {
    feed(decoder.decode(chunk, { stream: true }));
    yield* ready.splice(0);
  }
  feed(decoder.decode());
  // The parser keeps a final CR in case an LF follows; at the end of the stream it still ends its line.
  if (endsInCr) parser.feed('\n');
  yield* ready.splice(0);
}
