import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. Codes, tokens and secrets are never passed to the logger; the redaction
 * list is a second line of defence for fields that might carry one by mistake.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authToken',
  '*.auth_token',
  '*.code',
  '*.Code',
  '*.CustomCode',
  '*.secret',
  '*.password',
  '*.token',
];

/** Capability URLs carry their credential in the path: it is cut from logged URLs. */
export function redactUrl(url: string): string {
  return url.replace(/^(\/events\/v1\/Challenges\/[^/?]+\/)[^/?]+/, '$1[redacted]');
}

interface LoggedRequest {
  method: string;
  url: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: {
        req: (req: LoggedRequest) => ({ method: req.method, url: redactUrl(req.url), host: req.hostname, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
      },
      base: { service: 'verity' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
