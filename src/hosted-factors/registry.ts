import type { HostedFactor } from './hosted-factor.ts';
import { PASSKEY } from './passkey/passkey-factor.ts';
import { PHONE } from './phone/phone-factor.ts';
import { PUSH } from './push/push-factor.ts';
import { RECOVERY_CODE } from './recovery-code/recovery-code-factor.ts';
import { TOTP } from './totp/totp-factor.ts';
import { VOICEPRINT } from './voiceprint/voiceprint-factor.ts';

/**
 * Every hosted factor (issue 12 §5). The chooser (chooser.ts) and the enrollment hub
 * (enrollment-hub.ts) are built from this table: adding a factor is its folder plus one line here.
 */
export const HOSTED_FACTORS: readonly HostedFactor[] = [TOTP, PUSH, VOICEPRINT, PASSKEY, PHONE, RECOVERY_CODE];

/** The factor the chooser lists one by one for enrolled factors of this type, if any. */
export const chooserFactorOf = (factorType: string): HostedFactor | undefined => HOSTED_FACTORS.find((f) => f.chooser?.factorType === factorType);

/** The factors with grouped chooser options, in their chooser order. */
export const CHOOSER_GROUPS: readonly HostedFactor[] = HOSTED_FACTORS.filter((f) => f.chooser?.options).sort((a, b) => (a.chooser?.order ?? 0) - (b.chooser?.order ?? 0));
