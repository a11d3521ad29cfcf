import { html, type SafeHtml } from '../../pages/html.ts';
import { addCard, type EnrollHubPage, type Translate } from '../enroll-pages.ts';

/** The hub's recovery codes card, when the hub offers it: a new set, or one replacing the set the user has (with the warning). */
export function recoveryCodeHubCard(page: EnrollHubPage, t: Translate): SafeHtml | undefined {
  if (!page.offers.recoveryCodes) return undefined;
  const hasCodes = page.recoveryCodes.total > 0;
  return addCard(
    'add-recovery',
    t('recoveryTitle'),
    hasCodes ? html`${t('recoveryHint')} <strong>${t('recoveryReplaceWarning')}</strong>` : html`${t('recoveryHint')} ${t('recoveryKeepSafe')}`,
    '/handoff/enroll/recovery-codes',
    hasCodes ? t('recoveryButtonReplace') : t('recoveryButtonNew'),
    page.session,
    'recovery',
    hasCodes ? 'refresh' : 'plus',
  );
}
