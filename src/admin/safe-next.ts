const DEFAULT_NEXT = '/admin';

/**
 * Where to go after signing in: `next` when it is a path of the console on this origin, else `/admin`.
 * It is resolved against a placeholder origin as a browser would resolve it (dot segments, `%2e`,
 * backslashes, `//host`), and kept only if it stays on that origin under `/admin`; the result is the
 * normalized path and query, so what is checked is exactly what the Location header sends.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 1024) return DEFAULT_NEXT;
  // Control characters and whitespace are stripped or refused by browsers in ways that differ.
  if (!next.startsWith('/') || [...next].some((c) => c <= ' ' || c === '\u007f' || c === '\\')) return DEFAULT_NEXT;
  const base = 'http://console.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return DEFAULT_NEXT;
  }
  if (url.origin !== base) return DEFAULT_NEXT;
  if (url.pathname !== '/admin' && !url.pathname.startsWith('/admin/')) return DEFAULT_NEXT;
  // Back to the sign-in or sign-out form would be a loop.
  if (url.pathname.startsWith('/admin/sign-in') || url.pathname.startsWith('/admin/sign-out')) return DEFAULT_NEXT;
  return url.pathname + url.search;
}
