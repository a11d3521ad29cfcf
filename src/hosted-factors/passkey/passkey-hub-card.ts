import type { SafeHtml } from '../../pages/html.ts';
import { addCard, type EnrollHubPage, type Translate } from '../enroll-pages.ts';

/** The hub's "add a passkey" card, when the hub offers it. */
export const passkeyHubCard = (page: EnrollHubPage, t: Translate): SafeHtml | undefined =>
  page.offers.passkey ? addCard('add-passkey', t('passkeyTitle'), t('passkeyHint'), '/handoff/enroll/passkey', t('passkeyButton'), page.session, 'passkey') : undefined;
