import { html, type SafeHtml } from '../../pages/html.ts';
import { ERROR_CODES, isVerityCode, type ErrorCode } from '../../errors/error-codes.ts';

/** `a `b` c` → text with <code> for the backticked parts, as in docs/errors.md. */
function withCode(text: string): SafeHtml[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : html`${part}`));
}

/**
 * GET /docs/errors: every error code, one anchored row each, so the `more_info` of a code Verity
 * added (Twilio has no page for it) leads somewhere that explains it, offline too.
 */
export function renderErrorCodesPage(): string {
  const rows = (Object.entries(ERROR_CODES) as Array<[string, (typeof ERROR_CODES)[ErrorCode]]>).map(([code, e]) => {
    const origin = isVerityCode(Number(code) as ErrorCode) ? 'Verity' : html`<a href="https://www.twilio.com/docs/errors/${code}">Twilio</a>`;
    return html`<tr id="${code}"><td><a href="#${code}">${code}</a></td><td>${e.status}</td><td>${e.title}</td><td>${withCode(e.description.replace(/^Verity: /, ''))}</td><td>${origin}</td></tr>`;
  });
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verity error codes</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1b1f24; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #d0d7de; padding: .4rem .6rem; text-align: left; vertical-align: top; }
tr:target { background: #fff8c5; }
code { background: #f3f4f6; padding: 0 .2rem; border-radius: 3px; }
</style>
</head>
<body>
<h1>Error codes</h1>
<p>Every error has the body <code>{"code", "message", "more_info", "status"}</code>. Codes marked Verity are Verity's own; the others are the hosted API's, with the same meaning. Errors caused by a limit carry a <code>Retry-After</code> header (seconds). The API's operations list the codes each can answer: <a href="/docs">/docs</a>.</p>
<table>
<thead><tr><th>Code</th><th>HTTP</th><th>Title</th><th>When</th><th>Defined by</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`.value;
}
