/**
 * A server-sent events parser for a fetch() body, following the WHATWG HTML "event stream
 * interpretation" rules: lines end with CRLF, LF or CR; `data:` lines join with LF; one space after
 * the colon is dropped; lines starting with ':' are comments (keep-alives); an event is dispatched by
 * a blank line, and an unfinished event at the end of the stream is discarded.
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
  let buffer = '';
  let firstChunk = true;
  let lastEventId = '';
  let event = '';
  let data: string[] = [];
  let retry: number | undefined;

  const handleLine = (line: string): ServerSentEvent | undefined => {
    if (line === '') {
      const dispatched = data.length > 0 ? { event: event || 'message', data: data.join('\n'), id: lastEventId, ...(retry === undefined ? {} : { retry }) } : undefined;
      event = '';
      data = [];
      retry = undefined;
      return dispatched;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
    return undefined;
  };

  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    if (firstChunk && buffer.length > 0) {
      if (buffer.startsWith('\uFEFF')) buffer = buffer.slice(1);
      firstChunk = false;
    }
    for (;;) {
      const end = buffer.search(/[\r\n]/);
      if (end < 0) break;
      // A CR at the end of the buffer may be the first half of a CRLF split across chunks.
      if (buffer[end] === '\r' && end === buffer.length - 1) break;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(buffer[end] === '\r' && buffer[end + 1] === '\n' ? end + 2 : end + 1);
      const dispatched = handleLine(line);
      if (dispatched) yield dispatched;
    }
  }
  buffer += decoder.decode();
  // A trailing lone CR still ends its line; whatever follows has no blank line and is discarded.
  if (buffer.endsWith('\r')) {
    const dispatched = handleLine(buffer.slice(0, -1));
    if (dispatched) yield dispatched;
  }
}
