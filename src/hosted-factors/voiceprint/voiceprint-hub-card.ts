import type { SafeHtml } from '../../pages/html.ts';
import { addCard, type EnrollHubPage, type Translate } from '../enroll-pages.ts';

/** The hub's "add voice sign-in" card, when the hub offers it. */
export const voiceprintHubCard = (page: EnrollHubPage, t: Translate): SafeHtml | undefined =>
  page.offers.voiceprint ? addCard('add-voiceprint', t('voiceprintTitle'), t('voiceprintHint'), '/handoff/enroll/voiceprint', t('voiceprintButton'), page.session, 'voice') : undefined;
