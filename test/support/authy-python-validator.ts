import { createHmac } from 'node:crypto';

/**
 * authy-python's `OneTouch.validate_one_touch_signature` (authy/api/resources.py), re-implemented
 * line by line as the receiver of a Python application would run it: `__make_http_query` (keys
 * quoted, nested keys `quote('[k]')`, list items `[i]`, booleans lower-case, None as "None"), then
 * `/` → `%2F`, `%20` → `+`, split on `&`, sorted, `%5B<n>%5D` → `%5B%5D`, `=None` → `=`.
 */
export function pythonValidator(apiKey: string, signature: string, nonce: string, method: string, url: string, params: Record<string, unknown>): boolean {
  // Python's urllib.parse.quote (safe='/'): letters, digits, `_.-~` and `/` stay.
  const quote = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%2F/g, '/');
  const str = (v: unknown): string => (v === null ? 'None' : String(v));
  const makeHttpQuery = (p: Record<string, unknown> | unknown[], topkey = ''): string => {
    const entries = Array.isArray(p) ? [] : Object.entries(p);
    if (entries.length === 0) return '';
    let result = '';
    for (const [key, value] of entries) {
      const newkey = topkey !== '' ? topkey + quote(`[${key}]`) : quote(key);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) result += makeHttpQuery(value as Record<string, unknown>, newkey);
      else if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (item !== null && typeof item === 'object') result += makeHttpQuery(item as Record<string, unknown>, newkey + quote(`[${i}]`));
          else result += `${newkey}${quote(`[${i}]`)}=${quote(str(item))}&`;
        });
      } else if (typeof value === 'boolean') result += `${newkey}=${quote(String(value).toLowerCase())}&`;
      else result += `${newkey}=${quote(str(value))}&`;
    }
    if (result && topkey === '' && result.endsWith('&')) result = result.slice(0, -1);
    return result;
  };
  const query = makeHttpQuery(params);
  const sorted = query.replace(/\//g, '%2F').replace(/%20/g, '+').split('&').sort().join('&').replace(/%5B([0-9])*%5D/g, '%5B%5D').replace(/=None/g, '=');
  const data = `${nonce}|${method}|${url}|${sorted}`;
  return createHmac('sha256', apiKey).update(data).digest('base64') === signature;
}
