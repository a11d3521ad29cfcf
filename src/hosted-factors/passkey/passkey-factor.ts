import type { AppContext } from '../../context.ts';
import { isRefusal } from '../../errors/domain-error.ts';
import { passkeySettings, type PasskeySettings } from '../../factors/passkeys/passkey-settings.ts';
import type { FactorOption } from '../../handoff/factor-options.ts';
import type { ServiceRow } from '../../store/schema.ts';
import type { ChooserListing, HostedFactor } from '../hosted-factor.ts';
import { passkeyHubCard } from './passkey-hub-card.ts';
import { sessionService } from '../hosted-flow.ts';
import { passkeyCard } from './passkey-card.ts';

/**
 * The hosted pages run WebAuthn on Verity's own origin (VERITY_PUBLIC_URL), so a service's passkeys
 * work there only if that origin is one of its `Passkeys.RelyingParty.Origins` and its host is the
 * RP ID or a subdomain of it (WebAuthn §5.1.2: the RP ID must be a registrable suffix of the page's
 * host, or the browser refuses with SecurityError). Undefined when they cannot run here.
 */
export function hostedPasskeySettings(ctx: AppContext, service: ServiceRow): PasskeySettings | undefined {
  let settings: PasskeySettings;
  try {
    settings = passkeySettings(service);
  } catch (error) {
    if (isRefusal(error)) return undefined;
    throw error;
  }
  const page = new URL(ctx.config.publicUrl);
  const hostMatches = page.hostname === settings.rpId || page.hostname.endsWith(`.${settings.rpId}`);
  return hostMatches && settings.origins.includes(page.origin) ? settings : undefined;
}

/**
 * The chooser's passkey card: the user's verified passkeys, when the request allows `passkeys` and
 * the service's relying party fits these pages; otherwise they are listed as not available here.
 */
async function passkeyOptions({ ctx, session, entity, factors }: ChooserListing): Promise<FactorOption[]> {
  if (!entity) return [];
  const passkeys = factors.filter((f) => f.factor_type === 'passkeys' && f.status === 'verified');
  if (passkeys.length === 0 || !session.request.factors.includes('passkeys')) return [];
  const service = await sessionService(ctx, session);
  if (!hostedPasskeySettings(ctx, service)) return passkeys.map((f) => ({ kind: 'unavailable', type: 'passkeys', name: f.friendly_name }));
  return [{ kind: 'passkey', passkeys: passkeys.map((f) => ({ factorSid: f.sid, name: f.friendly_name })) }];
}

/** "Use a passkey": a WebAuthn assertion in the browser, all passkeys in one card. Flows: passkey-flow.ts, passkey-identify-flow.ts. */
export const PASSKEY: HostedFactor = {
  id: 'passkey',
  serves: ['passkeys'],
  amr: ['swk'],
  chooser: { order: 10, options: passkeyOptions, card: (page, option) => (option.kind === 'passkey' ? passkeyCard(page, option) : undefined) },
  enrollment: {
    card: passkeyHubCard,
    cardOrder: 30,
    label: { factorType: 'passkeys', message: 'passkeyTitle' },
    offer: ({ allowed }) => ({ passkey: allowed.has('passkeys') }),
  },
};
