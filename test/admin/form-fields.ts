/**
 * The fields a browser would post from a form of a console page: every input with a name (text and
 * hidden inputs by value; checkboxes only when checked), then every select (its selected option, or
 * its first), as repeated pairs.
 */
export function formFields(page: string, action: string): URLSearchParams {
  const start = page.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const end = page.indexOf('</form>', start);
  const form = page.slice(start, end);
  const fields = new URLSearchParams();
  const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    const name = attr('name');
    if (name === undefined) continue;
    if (attr('type') === 'checkbox' && !/\schecked\b/.test(tag)) continue;
    fields.append(decode(name), decode(attr('value') ?? ''));
  }
  for (const [, attrs, options] of form.matchAll(/<select\b([^>]*)>([^]*?)<\/select>/g)) {
    const name = /\sname="([^"]*)"/.exec(attrs!)?.[1];
    const values = [...options!.matchAll(/<option\b([^>]*)>/g)].map(([, a]) => ({ value: /\svalue="([^"]*)"/.exec(a!)?.[1] ?? '', selected: /\sselected\b/.test(a!) }));
    const chosen = values.find((o) => o.selected) ?? values[0];
    if (name !== undefined && chosen) fields.append(decode(name), decode(chosen.value));
  }
  return fields;
}

/** The fields with `name` set to `value` (every earlier value replaced); `undefined` removes it. */
export function withField(fields: URLSearchParams, name: string, value: string | undefined): URLSearchParams {
  const copy = new URLSearchParams(fields);
  copy.delete(name);
  if (value !== undefined) copy.append(name, value);
  return copy;
}
