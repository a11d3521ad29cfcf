import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from '../../../config/config.ts';
import type { Clock } from '../../../crypto/clock.ts';
import { ApnsPlatform } from './apns.ts';
import { parseServiceAccount } from './fcm-access-token.ts';
import { FcmPlatform } from './fcm.ts';
import type { PlatformName, PushPlatform } from './push-platform.ts';

/** A file's text, or a problem naming the variable (never the content: these files hold keys). */
function readSetting(variable: string, path: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

function apnsKey(text: string, problems: string[]): KeyObject | undefined {
  try {
    const key = createPrivateKey(text);
    if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return key;
  } catch {
    // reported below
  }
  problems.push('VERITY_APNS_KEY_FILE: not a P-256 private key in PEM (the .p8 file Apple issues)');
  return undefined;
}

/**
 * The APNs and FCM adapters that VERITY_APNS_* and VERITY_FCM_* turn on, with their key files read
 * and checked now, so a wrong file stops the boot with every problem listed instead of failing the
 * first push.
 */
export function createPushPlatforms(config: Config['push'], clock: Clock): Partial<Record<PlatformName, PushPlatform>> {
  const problems: string[] = [];
  const platforms: Partial<Record<PlatformName, PushPlatform>> = {};
  const ca = (variable: string, path: string | undefined): string | undefined => (path === undefined ? undefined : readSetting(variable, path, problems));
  if (config.apns) {
    const { apns } = config;
    const text = readSetting('VERITY_APNS_KEY_FILE', apns.keyFile, problems);
    const key = text === undefined ? undefined : apnsKey(text, problems);
    const extraCa = ca('VERITY_APNS_CA_FILE', apns.caFile);
    if (key) platforms.apn = new ApnsPlatform({ key, keyId: apns.keyId, teamId: apns.teamId, topic: apns.topic, origin: apns.origin, extraCa, clock });
  }
  if (config.fcm) {
    const { fcm } = config;
    const text = readSetting('VERITY_FCM_SERVICE_ACCOUNT_FILE', fcm.serviceAccountFile, problems);
    let account;
    try {
      account = text === undefined ? undefined : parseServiceAccount(text);
    } catch (error) {
      problems.push(`VERITY_FCM_SERVICE_ACCOUNT_FILE: ${(error as Error).message}`);
    }
    const tokenUri = fcm.tokenUri ?? account?.tokenUri;
    if (tokenUri !== undefined && !tokenUri.startsWith('https://')) problems.push('VERITY_FCM_SERVICE_ACCOUNT_FILE: "token_uri" must be an https:// URL (or set VERITY_FCM_TOKEN_URI)');
    const extraCa = ca('VERITY_FCM_CA_FILE', fcm.caFile);
    if (account && tokenUri?.startsWith('https://')) platforms.fcm = new FcmPlatform({ account, baseUrl: fcm.baseUrl, tokenUri, extraCa, clock });
  }
  if (problems.length) {
    for (const platform of Object.values(platforms)) platform.close();
    throw new ConfigError(problems);
  }
  return platforms;
}
