import { describedBy, fieldError } from '../../hosted/handoff-pages.ts';
import { html, type SafeHtml } from '../../pages/html.ts';
import { icon } from '../../pages/icons.ts';
import { errorAt, methodIcon, sessionField, type EnrollHubPage, type Translate } from '../enroll-pages.ts';

/** The hub's "add a phone number" card, when the request offers a channel: the number (its alert shows here), and the channel to send the code by. */
export function phoneHubCard(page: EnrollHubPage, t: Translate): SafeHtml | undefined {
  const channels = page.offers.phone;
  if (channels.length === 0) return undefined;
  const choice =
    channels.length === 1
      ? html`<input type="hidden" name="channel" value="${channels[0] as string}">`
      : html`<fieldset class="choice"><legend>${t('phoneSendBy')}</legend>
${channels.map((c, i) => html`${i > 0 ? '\n' : ''}<label class="inline"><input type="radio" name="channel" value="${c}"${i === 0 ? html` checked` : ''}> ${t(c === 'sms' ? 'channelSms' : 'channelCall')}</label>`)}
</fieldset>`;
  const error = errorAt(page, 'phone_number');
  const current = page.phoneNumber ? html`<p class="hint">${t.parts('phoneConfirmed', { number: html`<span class="phone">${page.phoneNumber}</span>` })}</p>` : '';
  return html`<section class="card add-card add-phone" aria-labelledby="add-phone-title">
<h3 id="add-phone-title">${methodIcon('sms')}${t('phoneTitle')}</h3>
<p class="hint" id="add-phone-hint">${t('phoneHint', { app: page.appName })}</p>
${current}<form method="post" action="/handoff/enroll/phone">
${sessionField(page.session)}
<label for="phone-number">${t('phoneLabel')}</label>
${fieldError('phone-number', error)}<input type="tel" id="phone-number" name="phone_number" autocomplete="tel" inputmode="tel" maxlength="32" placeholder="+44 7700 900123" required${describedBy('phone-number', 'add-phone-hint', error !== undefined)}${error !== undefined ? html` autofocus` : ''}>
${choice}
<button type="submit" class="secondary">${icon('sms')}${t('phoneButton')}</button>
</form>
</section>`;
}
