import type { SafeHtml } from '../../pages/html.ts';
import { addCard, type EnrollHubPage, type Translate } from '../enroll-pages.ts';

/** The hub's "add a push device" card, when the hub offers it. */
export const pushHubCard = (page: EnrollHubPage, t: Translate): SafeHtml | undefined =>
  page.offers.push ? addCard('add-push', t('pushTitle'), t('pushHint'), '/handoff/enroll/push', t('pushButton'), page.session, 'push') : undefined;
