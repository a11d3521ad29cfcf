import { html, type SafeHtml } from '../../pages/html.ts';
import { icon } from '../../pages/icons.ts';
import { addCard, methodIcon, sessionField, type EnrollHubPage, type Translate } from '../enroll-pages.ts';
import { hubCallMeForm } from './voiceprint-call-pages.ts';

/** The hub's "add voice sign-in" card, when the hub offers it. */
export function voiceprintHubCard(page: EnrollHubPage, t: Translate): SafeHtml | undefined {
  if (!page.offers.voiceprint) return undefined;
  // With calls allowed and a number to call (confirmed on the hub, or the application's): set it up on a call too (voiceprint-call-flow.ts).
  const callable = page.offers.phone.includes('call') && (page.phoneNumber !== undefined || page.trustedPhone !== undefined);
  if (!callable) return addCard('add-voiceprint', t('voiceprintTitle'), t('voiceprintHint'), '/handoff/enroll/voiceprint', t('voiceprintButton'), page.session, 'voice');
  return html`<section class="card add-card" aria-labelledby="add-voiceprint-title">
<h3 id="add-voiceprint-title">${methodIcon('voice')}${t('voiceprintTitle')}</h3>
<p class="hint">${t('voiceprintHint')}</p>
<form method="post" action="/handoff/enroll/voiceprint">
${sessionField(page.session)}
<button type="submit" class="secondary">${icon('plus')}${t('voiceprintButton')}</button>
</form>
${hubCallMeForm(page.session, page.locale)}
</section>`;
}
