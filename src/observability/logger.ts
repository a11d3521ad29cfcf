import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. Codes, tokens and secrets are never passed to the logger; the redaction
 * list is a second line of defence for fields that might carry one by mistake.
 */
const REDACTED_PATHS = [
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

/**
 * Query parameters whose values are logged as they are: paging, filters and notices, never
 * anything a person typed or a credential (compared without case). Every other parameter's value
 * is logged as `[redacted]`, so a route added later cannot leak its query: the hand-off request
 * (`/handoff?request=eyJ…`), a hand-off result or state, admin searches (`?to=+1415…`, `?q=…`),
 * session ids, tokens and signatures all stay out of the logs.
 */
const LOGGED_QUERY_PARAMETERS: ReadonlySet<string> = new Set(['page', 'pagesize', 'pagetoken', 'done', 'status']);

/** Capability URLs that carry their credential in the path: the last segment is cut. */
const CAPABILITY_PATHS: readonly RegExp[] = [
  /^(\/events\/v1\/(?:Challenges|Verifications)\/[^/?]+\/)[^/?]+/i,
  // The Authy API's token check carries the code in its path (docs/authy.md): `verify/{token}/{authy_id}`.
  /^(\/authy\/protected\/json\/verify\/)[^/?]+/i,
];

/**
 * The path with its capability segment cut. A path that matches no pattern as sent is judged again
 * decoded and with repeated slashes collapsed: `/authy/protected/json/verif%79/{code}/1` reaches the
 * same route, and a client whose base URL ends in `/` sends `/authy//protected/…` (a 404 that would
 * otherwise log a code still pending). Such a path is logged in that normal form.
 */
function redactPath(path: string): string {
  for (const pattern of CAPABILITY_PATHS) if (pattern.test(path)) return path.replace(pattern, `$1${REDACTED}`);
  let normal: string;
  try {
    normal = decodeURIComponent(path);
  } catch {
    normal = path;
  }
  normal = normal.replace(/\/{2,}/g, '/');
  for (const pattern of CAPABILITY_PATHS) if (pattern.test(normal)) return normal.replace(pattern, `$1${REDACTED}`);
  return path;
}

const REDACTED = '[redacted]';
const MAX_LOGGED_NAME = 32;

/**
 * The URL as it may be logged: capability tokens in the path and the values of query parameters
 * outside LOGGED_QUERY_PARAMETERS replaced by `[redacted]`.
 *
 * @example
 * redactUrl('/handoff?request=eyJhbGciOi…');        // '/handoff?request=[redacted]'
 * redactUrl('/admin/services/VA…?to=%2B1415&page=2'); // '/admin/services/VA…?to=[redacted]&page=2'
 */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  const path = redactPath(mark === -1 ? url : url.slice(0, mark));
  if (mark === -1) return path;
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      if (pair === '') return pair;
      const equals = pair.indexOf('=');
      // A bare `?eyJ…` is all value; a long name may be a value sent as a name.
      if (equals === -1) return LOGGED_QUERY_PARAMETERS.has(decodeName(pair)) ? pair : REDACTED;
      const name = pair.slice(0, equals);
      if (LOGGED_QUERY_PARAMETERS.has(decodeName(name))) return pair;
      return name.length > MAX_LOGGED_NAME ? REDACTED : `${name}=${REDACTED}`;
    })
    .join('&');
  return `${path}?${query}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
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
