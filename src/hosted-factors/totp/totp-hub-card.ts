import type { SafeHtml } from '../../pages/html.ts';
import { addCard, type EnrollHubPage, type Translate } from '../enroll-pages.ts';

/** The hub's "add an authenticator app" card, when the hub offers it. */
export const totpHubCard = (page: EnrollHubPage, t: Translate): SafeHtml | undefined =>
  page.offers.totp ? addCard('add-totp', t('totpTitle'), t('totpHint'), '/handoff/enroll/totp', t('totpButton'), page.session, 'totp') : undefined;
