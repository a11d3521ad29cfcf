import { DomainError } from '../../errors/domain-error.ts';
import type { ServiceRow } from '../../store/schema.ts';

type Requirement = 'required' | 'preferred' | 'discouraged';

/** A service's `Passkeys.*` settings, resolved with Verity's defaults. */
export interface PasskeySettings {
  /** WebAuthn RP ID: a registrable domain such as `example.com` (WebAuthn §5.1.2). */
  rpId: string;
  rpName: string;
  /** Origins a response may come from; `https://<rpId>` when none is configured. */
  origins: string[];
  attachment: 'platform' | 'cross-platform' | undefined;
  residentKey: Requirement;
  userVerification: Requirement;
}

/** Reads the settings; a service without `Passkeys.RelyingParty.Id` cannot use passkeys (60300). */
export function passkeySettings(service: ServiceRow): PasskeySettings {
  const x = service.extras;
  const text = (key: string): string | undefined => (typeof x[key] === 'string' && x[key] !== '' ? x[key] : undefined);
  const rpId = text('Passkeys.RelyingParty.Id');
  if (rpId === undefined) {
    throw new DomainError('not_applicable', 'Invalid Param: passkeys need the service setting Passkeys.RelyingParty.Id (the domain your sign-in page is served from)');
  }
  const origins = (text('Passkeys.RelyingParty.Origins') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  const attachment = text('Passkeys.AuthenticatorAttachment') ?? 'platform';
  return {
    rpId,
    rpName: text('Passkeys.RelyingParty.Name') ?? service.friendly_name,
    origins: origins.length > 0 ? origins : [`https://${rpId}`],
    attachment: attachment === 'any' ? undefined : (attachment as 'platform' | 'cross-platform'),
    residentKey: (text('Passkeys.DiscoverableCredentials') as Requirement | undefined) ?? 'preferred',
    userVerification: (text('Passkeys.UserVerification') as Requirement | undefined) ?? 'preferred',
  };
}
