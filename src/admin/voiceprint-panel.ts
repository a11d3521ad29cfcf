import type { VoiceprintStatus } from '../factors/voiceprint-factor/voiceprint-status.ts';
import { voiceprintSettings } from '../factors/voiceprint-factor/voiceprint-settings.ts';
import { operatingPointAt, type ConditionAtThreshold, type OperatingPointsFile } from '../factors/voiceprint/operating-points.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import type { ServiceRow } from '../store/schema.ts';
import { badge, tableWrap } from './admin-components.ts';

/**
 * The voiceprint factor as the console shows it (issue 18): on or off on this server, the model in
 * use, the service's threshold, and the FAR and FRR measured at that threshold per condition, with
 * their trial counts and what they cannot show. The service page and the settings form use it.
 */

/** The threshold the service's voiceprint challenges use, and where it comes from. */
function serviceThreshold(service: ServiceRow, status: VoiceprintStatus): { value: number; source: 'Voiceprint.Threshold' | 'default' } {
  const own = voiceprintSettings(service).threshold;
  return own === undefined ? { value: status.defaultThreshold, source: 'default' } : { value: own, source: 'Voiceprint.Threshold' };
}

/** A rate (0–1) as people read it: `12.5 %`, `0.07 %`, `0 %`. */
export function formatRate(rate: number): string {
  if (rate === 0) return '0 %';
  const percent = rate * 100;
  return `${percent < 1 ? percent.toFixed(2) : percent.toFixed(1)} %`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** A FAR cell: the rate, about how many false accepts it is, and whether the trials can show it at all. */
function farCell(point: Extract<ConditionAtThreshold, { measured: true }>): SafeHtml {
  const accepts = Math.round(point.far * point.impostorTrials);
  const shown = html`${formatRate(point.far)}<br><span class="note">≈ ${count(accepts)} of ${count(point.impostorTrials)}</span>`;
  if (point.far >= point.farResolution) return shown;
  return html`${shown}<br><span class="note">Below ${formatRate(point.farResolution)}: not demonstrable with ${count(point.impostorTrials)} impostor trials.</span>`;
}

function frrCell(point: Extract<ConditionAtThreshold, { measured: true }>): SafeHtml {
  const rejects = Math.round(point.frr * point.targetTrials);
  return html`${formatRate(point.frr)}<br><span class="note">≈ ${count(rejects)} of ${count(point.targetTrials)}</span>`;
}

function measuredRange(file: OperatingPointsFile, name: string): string {
  const curve = file.conditions.find((c) => c.name === name)?.curve ?? [];
  const first = curve[0]?.threshold;
  const last = curve[curve.length - 1]?.threshold;
  return first === undefined || last === undefined ? '' : ` (measured from ${first} to ${last})`;
}

/** The table of FAR and FRR per condition at `threshold`. */
function operatingPointsTable(file: OperatingPointsFile, threshold: number): SafeHtml {
  const rows = operatingPointAt(file, threshold).map((point) => {
    const head = html`<th scope="row">${point.label}<br><span class="note">${count(point.targetTrials)} genuine, ${count(point.impostorTrials)} impostor trials</span></th>`;
    const gate = html`<td class="num">${formatRate(point.gateRejectedGenuine)}</td>`;
    const eer = html`<td class="num">${formatRate(point.eer)}</td>`;
    if (!point.measured) return html`<tr>${head}<td colspan="2">Not measured at this threshold${measuredRange(file, point.name)}</td>${gate}${eer}</tr>`;
    return html`<tr>${head}<td>${farCell(point)}</td><td>${frrCell(point)}</td>${gate}${eer}</tr>`;
  });
  return tableWrap(
    'Measured error rates',
    html`<table class="voiceprint-rates">
<caption>At threshold ${threshold}, measured ${file.measured}: ${file.protocol}</caption>
<thead><tr><th scope="col">Condition</th><th scope="col">FAR (false accepts)</th><th scope="col">FRR (false rejects)</th><th scope="col" class="num">Genuine refused by the quality gate</th><th scope="col" class="num">EER</th></tr></thead>
<tbody>${rows}</tbody></table>`,
  );
}

/** What these numbers can and cannot support, in plain words (shown wherever voiceprints are on). */
function voiceprintWarning(file: OperatingPointsFile | undefined): SafeHtml {
  const fewest = file && file.conditions.length > 0 ? Math.min(...file.conditions.map((c) => c.impostorTrials)) : undefined;
  const resolution = fewest === undefined ? '' : ` With ${count(fewest)} impostor trials the smallest FAR that can be shown is ${formatRate(fewest > 0 ? Math.min(1, 3 / fewest) : 1)} (rule of three, 95 % confidence); a FAR of 0.1 % would need at least 3,000 impostor trials without a single false accept, from far more speakers, so it is not demonstrated here.`;
  return html`<div class="notice caution" role="note"><p><strong>A voiceprint is never a sole authenticator</strong> (NIST SP 800-63B): Verity enrols one only next to another verified factor. Use it as a second factor or a risk signal.${resolution}</p></div>`;
}

/** The measured numbers at `threshold`, or why there are none for the model in use. */
function measuredNumbers(status: VoiceprintStatus, threshold: number): SafeHtml {
  const m = status.measurements;
  if (m.kind === 'measured') return html`${operatingPointsTable(m.file, threshold)}${voiceprintWarning(m.file)}`;
  const why =
    m.kind === 'measured for another model'
      ? html`FAR and FRR: <strong>measured for another model</strong> (<code>${m.measuredBackend}</code>), not the one in use. Run <code>npm run bench:voiceprint</code> with this model.`
      : html`FAR and FRR: <strong>not measured</strong>: ${m.why}.`;
  return html`<p>${why}</p>${voiceprintWarning(undefined)}`;
}

/** The service page's Voiceprint section. */
export function voiceprintSection(service: ServiceRow, status: VoiceprintStatus): SafeHtml {
  const heading = html`<h2 id="voiceprint">Voiceprint</h2>`;
  if (!status.enabled) {
    const why = status.decidedBy === 'setting' ? html`<code>VERITY_VOICEPRINT=off</code>` : html`<code>VERITY_VOICEPRINT</code> is not set, and voiceprints are off by default in production`;
    return html`<section aria-labelledby="voiceprint">${heading}
<p>${badge('off')} Voiceprint factors are off on this server (${why}). The API refuses them (60300) and the hosted pages do not offer them. To offer them, set <code>VERITY_VOICEPRINT=on</code> and restart.</p></section>`;
  }
  if (!status.available) {
    return html`<section aria-labelledby="voiceprint">${heading}
<p>${badge('unavailable', 'bad')} <code>VERITY_VOICEPRINT=on</code>, but the voiceprint engine did not load (see the start log and <code>models/README.md</code>): voiceprint factors are unavailable.</p></section>`;
  }
  const threshold = serviceThreshold(service, status);
  const settings = voiceprintSettings(service);
  const entries: Array<[string, SafeHtml | string]> = [
    ['Voiceprint factors', html`${badge('on', 'ok')}`],
    ['Model', status.backend === undefined ? 'the built-in engine' : html`<code>${status.backend}</code>`],
    ['Threshold', threshold.source === 'default' ? `${threshold.value} (the default)` : `${threshold.value} (Voiceprint.Threshold)`],
    ['Mode', settings.mode === 'digits' ? 'digits (text-prompted: fresh digits to say at every challenge)' : 'pass phrase'],
    ['Audio kept', settings.retainAudio ? 'yes (sealed)' : 'no'],
  ];
  return html`<section aria-labelledby="voiceprint">${heading}
<dl class="settings">${entries.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
<h3>Measured at this threshold</h3>
${measuredNumbers(status, threshold.value)}
<p class="note">Change the threshold, the mode or whether audio is kept in the <a href="/admin/services/${service.sid}/settings#f-Voiceprint-Mode">settings</a>; a higher threshold is stricter (fewer false accepts, more false rejects).</p>
</section>`;
}

/** Under the settings form's threshold: whether voiceprints are on, and the numbers at the saved threshold. */
export function voiceprintFormNote(service: ServiceRow, status: VoiceprintStatus): SafeHtml {
  if (!status.available) {
    return html`<p class="note">${status.enabled ? 'The voiceprint engine did not load on this server (see the start log).' : html`Voiceprint factors are off on this server: <code>VERITY_VOICEPRINT=on</code> turns them on.`} The threshold is kept for when they are on.</p>`;
  }
  const threshold = serviceThreshold(service, status);
  return html`<div class="voiceprint-measured"><p class="note">Saved threshold: ${threshold.value}${threshold.source === 'default' ? ' (the default)' : ''}. Measured there:</p>
${measuredNumbers(status, threshold.value)}</div>`;
}
