/**
 * A push parser of server-sent events, following the WHATWG HTML "event stream interpretation":
 * lines end with CRLF, LF or CR; `data:` lines join with LF; one space after the colon is dropped;
 * lines starting with ':' are comments (keep-alives); a blank line dispatches the event; an unfinished
 * event at the end of the stream is discarded. Bytes may be split anywhere, even inside a character.
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
  private buffer = '';
  private started = false;
  private lastEventId = '';
  private event = '';
  private data: string[] = [];
  private retry: number | undefined;

  /** Feeds the next bytes of the stream; returns the events they complete. */
  feed(chunk: Uint8Array): ServerSentEvent[] {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    if (!this.started && this.buffer.length > 0) {
      if (this.buffer.startsWith('\uFEFF')) this.buffer = this.buffer.slice(1);
      this.started = true;
    }
    const events: ServerSentEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) break;
      // A CR at the end of the buffer may be the first half of a CRLF split across chunks.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(this.buffer[end] === '\r' && this.buffer[end + 1] === '\n' ? end + 2 : end + 1);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  /** The stream ended: a trailing lone CR still ends its line; an event without its blank line is dropped. */
  end(): ServerSentEvent[] {
    this.buffer += this.decoder.decode();
    const events: ServerSentEvent[] = [];
    if (this.buffer.endsWith('\r')) {
      const event = this.line(this.buffer.slice(0, -1));
      if (event) events.push(event);
    }
    this.buffer = '';
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') {
      const dispatched =
        this.data.length > 0 ? { event: this.event || 'message', data: this.data.join('\n'), id: this.lastEventId, ...(this.retry === undefined ? {} : { retry: this.retry }) } : undefined;
      this.event = '';
      this.data = [];
      this.retry = undefined;
      return dispatched;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
    return undefined;
  }
}
