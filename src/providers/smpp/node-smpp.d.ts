/**
 * The part of npm `smpp` (node-smpp 0.5.1, CommonJS, no types of its own) that Verity uses: the
 * PDU codec and the socket. smpp-session.ts is its user in src/; the test SMSC
 * (test/providers/fake-smsc.ts) and the benchmarks use its server side.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';
  import type { TlsOptions } from 'node:tls';

  /** A decoded PDU: its header plus the command's fields and TLVs by their SMPP names. */
  export interface PDU {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
  }

  export type ResponseCallback = (pdu: PDU) => void;

  /** One SMPP connection: `send` and a method per command (`bind_transceiver`, `submit_sm`, …). */
  export class Session extends EventEmitter {
    socket: Socket;
    send(pdu: PDU, responseCallback?: ResponseCallback, sendCallback?: ResponseCallback): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Record<string, unknown>, callback?: ResponseCallback): boolean;
    bind_transmitter(options: Record<string, unknown>, callback?: ResponseCallback): boolean;
    bind_receiver(options: Record<string, unknown>, callback?: ResponseCallback): boolean;
    submit_sm(options: Record<string, unknown>, callback?: ResponseCallback): boolean;
    deliver_sm(options: Record<string, unknown>, callback?: ResponseCallback): boolean;
    enquire_link(options?: Record<string, unknown> | ResponseCallback, callback?: ResponseCallback): boolean;
    unbind(options?: Record<string, unknown> | ResponseCallback, callback?: ResponseCallback): boolean;
  }

  export interface ConnectOptions {
    /** `smpp://host:port` or `ssmpp://host:port` (TLS). */
    url: string;
    /** TLS options passed to tls.connect (ca, rejectUnauthorized, servername). */
    ca?: string | Buffer | (string | Buffer)[];
    rejectUnauthorized?: boolean;
    servername?: string;
  }

  export function connect(options: ConnectOptions, listener?: () => void): Session;

  export interface Server extends NetServer {
    sessions: Session[];
  }
  export function createServer(options: TlsOptions | Record<string, never>, listener: (session: Session) => void): Server;

  export const PDU: {
    new (command: string, options?: Record<string, unknown>): PDU;
  };

  /** Command status names (`ESME_RTHROTTLED`) to their values (SMPP 3.4 §5.1.3). */
  export const errors: Readonly<Record<string, number>>;
}
