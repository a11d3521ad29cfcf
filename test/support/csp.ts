/**
 * A Content-Security-Policy header as directive → sources (CSP3 §2.2.1 parsing: directives split
 * on `;`, names case-insensitive, sources on whitespace), so tests assert what a policy allows
 * rather than how it is spelled (helmet joins directives with `;`, without a space).
 *
 * @example
 * assert.deepEqual(cspDirectives(response.headers.get('content-security-policy')).get('script-src'), ["'self'"]);
 */
export function cspDirectives(header: string | string[] | number | null | undefined): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const directive of String(header ?? '').split(';')) {
    const [name, ...sources] = directive.trim().split(/[ \t\n\f\r]+/);
    // The first of a repeated directive wins, as in a browser.
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}
