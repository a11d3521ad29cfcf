/**
 * Authy clients send nested parameters as PHP/Rails-style brackets (`details[Requested by]=Alice`,
 * `logos[0][res]=default`, `logos[][url]=…`): the npm `authy` client form-encodes them, even on GET.
 * This turns such pairs into the nested object a JSON body (authy-python) carries. Numeric or empty
 * brackets make arrays; a key seen twice keeps its last value. Bounded: at most 8 levels, and
 * `__proto__`/`constructor`/`prototype` segments are dropped (no prototype pollution).
 */
export type Params = { [key: string]: ParamValue };
export type ParamValue = string | Params | ParamValue[];

const MAX_DEPTH = 8;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function segmentsOf(key: string): string[] | undefined {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const head = key.slice(0, open);
  const rest = key.slice(open);
  const segments = [head];
  const re = /\[([^\]]*)\]/gy;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(rest)) !== null) {
    segments.push(match[1] ?? '');
    consumed = re.lastIndex;
  }
  // Text after the brackets (`a[b]c`) is not a nesting: the key stays flat, as PHP keeps it.
  return consumed === rest.length ? segments : undefined;
}

export function nestParams(pairs: Iterable<[string, string]>): Params {
  const root: Params = Object.create(null) as Params;
  for (const [key, value] of pairs) {
    const segments = segmentsOf(key) ?? [key];
    if (segments.length > MAX_DEPTH || segments.some((s) => FORBIDDEN.has(s))) continue;
    let node: Params | ParamValue[] = root;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as string;
      const last = i === segments.length - 1;
      const nextIsIndex = !last && /^\d{0,3}$/.test(segments[i + 1] as string);
      if (Array.isArray(node)) {
        // `[]` appends; `[n]` addresses element n (bounded to keep a request from allocating much).
        const index: number = segment === '' ? node.length : Number(segment);
        if (!Number.isInteger(index) || index > 100) break;
        if (last) {
          node[index] = value;
          break;
        }
        // `logos[][res]=a&logos[][url]=b` describes one logo: a field not yet set joins the last element.
        let child: ParamValue | undefined = segment === '' ? node[node.length - 1] : node[index];
        const nextKey = segments[i + 1] as string;
        if (segment === '' && (child === undefined || typeof child !== 'object' || Array.isArray(child) || nextKey in child)) child = undefined;
        if (child === undefined || typeof child === 'string') {
          child = nextIsIndex ? [] : (Object.create(null) as Params);
          node[segment === '' ? node.length : index] = child;
        }
        node = child;
      } else {
        if (last) {
          node[segment] = value;
          break;
        }
        let child: ParamValue | undefined = node[segment];
        if (child === undefined || typeof child === 'string') {
          child = nextIsIndex ? [] : (Object.create(null) as Params);
          node[segment] = child;
        }
        node = child;
      }
    }
  }
  return root;
}
