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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'verity' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
