import { createParser, type EventSourceParser } from 'eventsource-parser';

/**
 * A push parser of server-sent events over `eventsource-parser` (the WHATWG HTML "event stream
 * interpretation": lines end with CRLF, LF or CR; `data:` lines join with LF; one space after the
 * colon is dropped; comments (keep-alives) are skipped; a blank line dispatches the event; an
 * unfinished event at the end of the stream is discarded). This adapter adds what the library
 * leaves to its caller: decoding bytes split anywhere (even inside a character), the last event ID
 * carried over to later events, `retry:` on the event that carried it, and a final lone CR ending
 * its line. (Verity's own authenticator, src/authenticator/sse-reader.ts, has the same adapter for
 * its async reader: the server does not depend on this package.)
 */

export interface ServerSentEvent {
  /** `event:`, "message" when absent. */
  event: string;
  data: string;
  /** The last `id:` seen on the stream (it carries over to later events, as the spec says). */
  id: string;
  /** `retry:` in milliseconds, when this event carried one. */
  retry?: number;
}

export class ServerSentEventParser {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  private ready: ServerSentEvent[] = [];
  private lastEventId = '';
  private retry: number | undefined;
  private endsInCr = false;

  constructor() {
    this.parser = createParser({
      onEvent: (message) => {
        if (message.id !== undefined) this.lastEventId = message.id;
        this.ready.push({ event: message.event ?? 'message', data: message.data, id: this.lastEventId, ...(this.retry === undefined ? {} : { retry: this.retry }) });
        this.retry = undefined;
      },
      onRetry: (ms) => (this.retry = ms),
    });
  }

  /** Feeds the next bytes of the stream; returns the events they complete. */
  feed(chunk: Uint8Array): ServerSentEvent[] {
    this.text(this.decoder.decode(chunk, { stream: true }));
    return this.ready.splice(0);
  }

  /** The stream ended: a trailing lone CR still ends its line; an event without its blank line is dropped. */
  end(): ServerSentEvent[] {
    this.text(this.decoder.decode());
    // At the end of the stream a final CR ends its line.
    if (this.endsInCr) this.parser.feed('\n');
    this.parser.reset();
    this.endsInCr = false;
    return this.ready.splice(0);
  }

  /**
   * The library holds a chunk's final CR in case an LF follows, and then holds the next chunk too
   * if it has no line end: a lone CR would end its line only at the next line end. When what
   * follows the CR is not an LF, an LF fed now completes it to a CRLF, the same single line end.
   */
  private text(text: string): void {
    if (text === '') return;
    if (this.endsInCr && !text.startsWith('\n')) this.parser.feed('\n');
    this.parser.feed(text);
    this.endsInCr = text.endsWith('\r');
  }
}
