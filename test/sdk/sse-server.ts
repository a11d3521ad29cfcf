import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a scripted connection can do to the client. */
export interface SseConnection {
  /** Which connection this is: 0 for the first, 1 for the first reconnect, … */
  index: number;
  headers: IncomingHttpHeaders;
  res: ServerResponse;
  /** Writes one event with `id:` = sequence (no `id:` line when null). */
  send(sequence: number | null, event: string, data?: unknown): void;
  /** Ends the response properly: a clean close. */
  end(): void;
  /** Destroys the socket mid-stream, as a network failure would. */
  drop(): void;
}

export interface SseServer {
  url: string;
  /** Request headers of every connection, in order. */
  requests: IncomingHttpHeaders[];
  /** When each connection arrived (performance.now()). */
  arrivals: number[];
  close(): Promise<void>;
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A tiny server-sent-events server whose every connection runs `script`; the script decides what
 * to send and how the connection ends (the status and headers are sent first, unless it writes its own).
 */
export async function startSseServer(script: (connection: SseConnection) => void | Promise<void>): Promise<SseServer> {
  const requests: IncomingHttpHeaders[] = [];
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    const index = requests.length;
    requests.push(req.headers);
    arrivals.push(performance.now());
    const connection: SseConnection = {
      index,
      headers: req.headers,
      res,
      send(sequence, event, data = { sequence, event }) {
        if (!res.headersSent) res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
        res.write(`${sequence === null ? '' : `id: ${sequence}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      end() {
        if (!res.headersSent) res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
        res.end();
      },
      drop() {
        res.socket?.destroy();
      },
    };
    Promise.resolve(script(connection)).catch((error: unknown) => {
      console.error(error);
      res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    requests,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
