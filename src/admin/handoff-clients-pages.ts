import { html, type SafeHtml } from '../pages/html.ts';
import type { HandoffClientRow, ServiceRow } from '../store/schema.ts';
import { badge, emptyState, tableWrap } from './admin-components.ts';
import { csrfField, isoTime, layout, type Viewer } from './admin-pages.ts';

export const HANDOFF_CLIENTS_PATH = '/admin/handoff-clients';

/** A client's branding columns, read defensively (migration 0028 adds them; an older row has none). */
interface Branding {
  primaryColor: string | null;
  backgroundColor: string | null;
  supportUrl: string | null;
  logoPath: string | null;
  logoWidth: number | null;
  logoHeight: number | null;
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

function brandingOf(row: HandoffClientRow): Branding {
  const b = row as Partial<Pick<HandoffClientRow, 'primary_color' | 'background_color' | 'support_url' | 'logo_version' | 'logo_width' | 'logo_height'>>;
  const color = (v: unknown) => (typeof v === 'string' && COLOR.test(v) ? v : null);
  return {
    primaryColor: color(b.primary_color),
    backgroundColor: color(b.background_color),
    supportUrl: typeof b.support_url === 'string' ? b.support_url : null,
    logoPath: typeof b.logo_version === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(b.logo_version) ? `/handoff/brand/${row.sid}/logo/${b.logo_version}` : null,
    logoWidth: typeof b.logo_width === 'number' ? b.logo_width : null,
    logoHeight: typeof b.logo_height === 'number' ? b.logo_height : null,
  };
}

const isBranded = (b: Branding): boolean => Boolean(b.primaryColor || b.backgroundColor || b.supportUrl || b.logoPath);

/** A colour as a small square and its code (an SVG fill: no inline style under the console's CSP). */
function colorSample(value: string): SafeHtml {
  return html`<span class="color-sample"><svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><rect width="16" height="16" rx="3" fill="${value}" stroke="#888"/></svg> <code>${value}</code></span>`;
}

export interface ServiceClients {
  service: ServiceRow;
  clients: HandoffClientRow[];
}

/** Every hand-off client of the account, grouped by service. */
export function handoffClientsPage(viewer: Viewer, groups: ServiceClients[]): string {
  const total = groups.reduce((n, g) => n + g.clients.length, 0);
  const section = (g: ServiceClients) => html`<h2 id="svc-${g.service.sid}">${g.service.friendly_name}</h2>
${g.clients.length === 0
  ? emptyState('No hand-off clients in this service.')
  : tableWrap(`Hand-off clients of ${g.service.friendly_name}`, html`<table>
<caption>Clients of <code>${g.service.sid}</code>, oldest first</caption>
<thead><tr><th scope="col">Client</th><th scope="col">Signing</th><th scope="col" class="num">Return URLs</th><th scope="col">Branding</th><th scope="col">Created</th></tr></thead>
<tbody>${g.clients.map((c) => html`<tr>
<td><a href="${HANDOFF_CLIENTS_PATH}/${c.sid}">${c.friendly_name}</a><br><code>${c.sid}</code></td>
<td>${c.algorithm}</td>
<td class="num">${c.return_urls.length}</td>
<td>${isBranded(brandingOf(c)) ? badge('branded', 'ok') : badge('Verity default')}</td>
<td>${isoTime(c.date_created)}</td>
</tr>`)}</tbody>
</table>`)}`;
  return layout(
    'Hand-off clients',
    viewer,
    html`<h1>Hand-off clients</h1>
<p class="lead">The applications that send their users to Verity's hosted sign-in pages with a signed hand-off request. Create them with the API (<code>/v2/Services/{sid}/HandoffClients</code>); change their name and branding here or with the API.</p>
${total === 0 && groups.length === 0 ? emptyState('This account has no services yet.') : ''}
${groups.map(section)}`,
    HANDOFF_CLIENTS_PATH,
  );
}

/** The branding form's fields: the API's parameter names, the console's labels and hints. */
export const BRANDING_FIELDS = [
  { key: 'FriendlyName', label: 'Name', hint: 'Shown to users on the hosted pages. Up to 64 characters.', max: 64 },
  { key: 'PrimaryColor', label: 'Primary colour', hint: 'Buttons and links, as #rrggbb. Empty: Verity\'s colours.', max: 7 },
  { key: 'BackgroundColor', label: 'Background colour', hint: 'The light pages\' background, as #rrggbb (needs a primary colour). Empty: the pages\' own.', max: 7 },
  { key: 'SupportUrl', label: 'Support link', hint: 'An https URL users can open for help. Empty: no link.', max: 2000 },
] as const;
export type BrandingFieldKey = (typeof BRANDING_FIELDS)[number]['key'] | 'ClearLogo';

/** The current value of each branding field, as the form shows it. */
export function brandingValues(client: HandoffClientRow): Record<BrandingFieldKey, string> {
  const brand = brandingOf(client);
  return { FriendlyName: client.friendly_name, PrimaryColor: brand.primaryColor ?? '', BackgroundColor: brand.backgroundColor ?? '', SupportUrl: brand.supportUrl ?? '', ClearLogo: '' };
}

export const HANDOFF_CLIENT_NOTICES: Readonly<Record<string, string>> = {
  saved: 'Branding saved. Hand-offs started from now on show it.',
  unchanged: 'Nothing was changed.',
};

export interface BrandingForm {
  values?: Record<BrandingFieldKey, string> | undefined;
  errors?: Partial<Record<BrandingFieldKey | 'form', string>> | undefined;
  done?: string | undefined;
}

const fieldId = (key: string) => `brand-${key}`;

function brandingForm(viewer: Viewer, client: HandoffClientRow, form: BrandingForm): SafeHtml {
  const values = form.values ?? brandingValues(client);
  const errors = form.errors ?? {};
  const refused = BRANDING_FIELDS.filter((f) => errors[f.key] !== undefined);
  const hasLogo = brandingOf(client).logoPath !== null;
  return html`<h2 id="edit-branding">Edit name and branding</h2>
${refused.length || errors.form
  ? html`<div class="error" role="alert"><p><strong>Nothing was saved.</strong> ${errors.form ?? `Correct ${refused.length === 1 ? 'the field' : `the ${refused.length} fields`} marked below.`}</p>
${refused.length ? html`<ul>${refused.map((f) => html`<li><a href="#${fieldId(f.key)}">${f.label}</a>: ${errors[f.key] ?? ''}</li>`)}</ul>` : ''}</div>`
  : ''}
<form method="post" action="${HANDOFF_CLIENTS_PATH}/${client.sid}" class="form-grid card" novalidate aria-labelledby="edit-branding">
${csrfField(viewer.csrfToken)}
<input type="hidden" name="version" value="${String(client.date_updated)}">
${BRANDING_FIELDS.map((f, i) => {
  const id = fieldId(f.key);
  const error = errors[f.key];
  const first = refused[0]?.key === f.key;
  return html`<div class="field"><label for="${id}">${f.label}</label>
<input id="${id}" name="${f.key}" value="${values[f.key]}" maxlength="${f.max}"${f.key === 'SupportUrl' ? html` type="url" inputmode="url"` : ''} autocomplete="off" spellcheck="false" aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}"${error ? html` aria-invalid="true"` : ''}${first ? html` autofocus` : ''}>
<p class="hint" id="${id}-hint">${f.hint}${i === 1 || i === 2 ? ' The colours must keep text readable (WCAG AA, 4.5:1), as the API checks.' : ''}</p>
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ''}</div>`;
})}
${hasLogo
  ? html`<div class="field check"><input type="checkbox" id="${fieldId('ClearLogo')}" name="ClearLogo" value="true"${values.ClearLogo === 'true' ? html` checked` : ''}><div><label for="${fieldId('ClearLogo')}">Remove the logo</label><p class="hint">A new logo is uploaded with the API (<code>Logo</code>, base64 of a PNG, JPEG or WebP).</p></div></div>`
  : html`<p class="hint">No logo. Upload one with the API (<code>Logo</code>, base64 of a PNG, JPEG or WebP).</p>`}
<div class="form-actions"><button type="submit">Save branding</button> <a href="${HANDOFF_CLIENTS_PATH}/${client.sid}">Cancel</a></div>
</form>`;
}

/** One client: return URLs, signing, branding, and the form that changes its name and branding. */
export function handoffClientPage(viewer: Viewer, service: ServiceRow, client: HandoffClientRow, form: BrandingForm = {}): string {
  const brand = brandingOf(client);
  const keys = client.jwks?.keys.length ?? 0;
  return layout(
    `${client.friendly_name}: hand-off client`,
    viewer,
    html`<nav class="crumbs" aria-label="Breadcrumb"><a href="${HANDOFF_CLIENTS_PATH}">Hand-off clients</a> › <span aria-current="page">${client.friendly_name}</span></nav>
<h1>${client.friendly_name}</h1>
${form.done && HANDOFF_CLIENT_NOTICES[form.done] ? html`<p class="notice" role="status">${HANDOFF_CLIENT_NOTICES[form.done]}</p>` : ''}
<dl class="facts card">
<div><dt>SID</dt><dd><code>${client.sid}</code></dd></div>
<div><dt>Service</dt><dd><a href="/admin/services/${service.sid}">${service.friendly_name}</a></dd></div>
<div><dt>Signing algorithm</dt><dd>${client.algorithm}${client.algorithm === 'HS256' ? ' (shared secret, never shown)' : ` (public keys: ${keys})`}</dd></div>
<div><dt>Created</dt><dd>${isoTime(client.date_created)}</dd></div>
<div><dt>Updated</dt><dd>${isoTime(client.date_updated)}</dd></div>
</dl>
<h2>Return URLs</h2>
${client.return_urls.length === 0
  ? emptyState('No return URL: this client cannot receive results.')
  : html`<ul class="url-list">${client.return_urls.map((u) => html`<li><code>${u}</code></li>`)}</ul>`}
<h2>Branding</h2>
${isBranded(brand)
  ? html`<dl class="facts card">
<div><dt>Primary colour</dt><dd>${brand.primaryColor ? colorSample(brand.primaryColor) : 'Verity default'}</dd></div>
<div><dt>Background colour</dt><dd>${brand.backgroundColor ? colorSample(brand.backgroundColor) : 'Verity default'}</dd></div>
<div><dt>Support link</dt><dd>${brand.supportUrl ? html`<code>${brand.supportUrl}</code>` : '—'}</dd></div>
<div><dt>Logo</dt><dd>${brand.logoPath ? html`<img class="brand-logo" src="${brand.logoPath}" alt="Logo of ${client.friendly_name}"${brand.logoWidth ? html` width="${brand.logoWidth}"` : ''}${brand.logoHeight ? html` height="${brand.logoHeight}"` : ''}>` : '—'}</dd></div>
</dl>`
  : emptyState('No branding: the hosted pages show Verity\'s colours and no logo. Set it below or with the API.')}
${brandingForm(viewer, client, form)}`,
    HANDOFF_CLIENTS_PATH,
  );
}
