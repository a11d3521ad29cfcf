import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

/** One action of the installed twilio client's Verify v2 resources, as its generated code declares it. */
export interface ClientAction {
  /** `<file without .js>#<action>`, e.g. `service/rateLimit/bucket#create`. */
  key: string;
  /** The client resource file, e.g. `service/rateLimit/bucket`. */
  resource: string;
  action: 'create' | 'update' | 'fetch' | 'remove' | 'list';
  method: string;
  /** The path template below `https://verify.twilio.com/v2`, e.g. `/Services/{serviceSid}/RateLimits/{sid}`. */
  uri: string;
  /** The client sends a JSON body (`Content-Type: application/json`) instead of a form. */
  json: boolean;
}

/** The folder of the installed client's Verify v2 resources (`node_modules/twilio/lib/rest/verify/v2`). */
export function verifyV2Folder(): string {
  const main = createRequire(import.meta.url).resolve('twilio');
  return join(dirname(main), 'rest/verify/v2');
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

// The generated code (twilio-node's OpenAPI generator): a context or list sets `this._uri` /
// `instance._uri`, then declares its operations as `create(…) {` or `instance.page = function page(…`,
// each calling `operationVersion.<verb>({ uri, method: "post", … })`. `page` is the list action
// (`list`/`each` page through it); the `…WithHttpInfo` twins send the same request.
const URI = /_uri = `([^`]*)`/;
const OPERATION = /^ {4}(?:instance\.\w+ = function )?(create|update|fetch|remove|page)\(/;
const OTHER_MEMBER = /^ {4}(?:instance\.\w+ = function )?\w+\(|^(?:class|function|exports)\b/;
const METHOD = /method: "(\w+)"/;

/**
 * Every Verify v2 action of the installed twilio client, read from its code at run time, so a new
 * client version with new actions is seen without anyone listing them.
 */
export function clientVerifyV2Actions(folder = verifyV2Folder()): ClientAction[] {
  const actions: ClientAction[] = [];
  for (const file of jsFiles(folder).sort()) {
    const resource = relative(folder, file).replace(/\.js$/, '').split('\\').join('/');
    let uri: string | undefined;
    let current: { action: ClientAction['action']; uri: string; method?: string; json: boolean } | undefined;
    const flush = () => {
      if (current?.method) actions.push({ key: `${resource}#${current.action}`, resource, action: current.action, method: current.method, uri: current.uri, json: current.json });
      current = undefined;
    };
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const u = URI.exec(line);
      if (u) {
        flush();
        uri = (u[1] ?? '').replace(/\$\{(\w+)\}/g, '{$1}');
        continue;
      }
      const op = OPERATION.exec(line);
      if (op) {
        flush();
        if (uri !== undefined) current = { action: op[1] === 'page' ? 'list' : (op[1] as ClientAction['action']), uri, json: false };
        continue;
      }
      if (OTHER_MEMBER.test(line)) {
        flush();
        continue;
      }
      if (!current) continue;
      const m = METHOD.exec(line);
      if (m && current.method === undefined) current.method = (m[1] ?? '').toUpperCase();
      if (line.includes('"Content-Type"] = "application/json"')) current.json = true;
    }
    flush();
  }
  return actions;
}
