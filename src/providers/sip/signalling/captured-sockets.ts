import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';

/** The sockets and servers npm `sip` opened while `run` ran. */
export interface CapturedSockets<T> {
  result: T;
  datagram: dgram.Socket[];
  servers: net.Server[];
  streams: net.Socket[];
}

/**
 * Runs `run` (a synchronous call into npm `sip`) and returns every socket it opened. Why: that
 * library keeps its sockets private and leaves them without an `error` listener (a failed bind or
 * send would throw from the event loop and end the process), lets an exception from its UDP message
 * handler escape (one datagram with a `;__proto__` Via parameter does it), and never closes the TCP
 * and TLS connections it opened. The user agent needs the sockets to guard and close them. The
 * library calls these factories synchronously (its hops are IP addresses: the user agent resolves
 * the proxy itself), so the window is exact: nothing else runs between patch and restore.
 */
export function captureSockets<T>(run: () => T): CapturedSockets<T> {
  const captured: Omit<CapturedSockets<T>, 'result'> = { datagram: [], servers: [], streams: [] };
  const originals = {
    createSocket: dgram.createSocket,
    createServer: net.createServer,
    createTlsServer: tls.createServer,
    connect: net.connect,
    connectTls: tls.connect,
  };
  const keep = <A extends unknown[], R>(list: R[], factory: (...args: A) => R) =>
    function (this: unknown, ...args: A): R {
      const made = factory.apply(this, args);
      list.push(made);
      return made;
    };
  dgram.createSocket = keep(captured.datagram, originals.createSocket as (...args: unknown[]) => dgram.Socket) as typeof dgram.createSocket;
  net.createServer = keep(captured.servers, originals.createServer as (...args: unknown[]) => net.Server) as typeof net.createServer;
  tls.createServer = keep(captured.servers, originals.createTlsServer as (...args: unknown[]) => net.Server) as typeof tls.createServer;
  net.connect = keep(captured.streams, originals.connect as (...args: unknown[]) => net.Socket) as typeof net.connect;
  tls.connect = keep(captured.streams, originals.connectTls as (...args: unknown[]) => net.Socket) as typeof tls.connect;
  try {
    return { result: run(), ...captured };
  } finally {
    dgram.createSocket = originals.createSocket;
    net.createServer = originals.createServer;
    tls.createServer = originals.createTlsServer;
    net.connect = originals.connect;
    tls.connect = originals.connectTls;
  }
}
