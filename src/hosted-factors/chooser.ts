/**
 * The chooser: the ways this user may sign in, as the request allows them, built from the hosted
 * factor table (registry.ts). No factor is named here; each lists itself.
 */
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors/domain-error.ts';
import type { FactorOption } from '../handoff/factor-options.ts';
import type { HandoffRequest } from '../handoff/handoff-claims.ts';
import { HANDOFF_SESSION_MS, newSessionId, type HandoffSession } from '../handoff/handoff-session.ts';
import { pageBrandOf } from '../handoff/handoff-clients.ts';
import type { PageLocale } from '../i18n/locales.ts';
import type { EntityRow } from '../store/schema.ts';
import type { ChooserListing } from './hosted-factor.ts';
import { orderOptions } from './chooser-order.ts';
import { findEntity, type HandoffView, type Submission } from './hosted-flow.ts';
import { CHOOSER_GROUPS, chooserFactorOf, HOSTED_FACTORS } from './registry.ts';

/**
 * The user's verified factors that the request allows, each as the pages offer it, in the
 * application's `factor_order` or else Verity's (chooser-order.ts); options of one method in the
 * user's order.
 */
export async function factorOptions(ctx: AppContext, request: HandoffRequest, entity: EntityRow | undefined, session: HandoffSession): Promise<FactorOption[]> {
  const allowed = new Set<string>(request.factors);
  const factors = entity ? await ctx.stores.factors.list(entity.sid, 50, 0) : [];
  const listing: ChooserListing = { ctx, session, request, entity, factors, allowed };
  const options: FactorOption[] = [];
  for (const factor of factors) {
    if (factor.status !== 'verified' || !allowed.has(factor.factor_type)) continue;
    const option = chooserFactorOf(factor.factor_type)?.chooser?.optionFor?.(listing, factor);
    if (option) options.push(option);
  }
  for (const group of CHOOSER_GROUPS) options.push(...((await group.chooser?.options?.(listing)) ?? []));
  // The recommended order (chooser-order.ts); the page puts the method last used in this browser first.
  return orderOptions(options, request.factorOrder);
}

/**
 * Starts the hosted hand-off for a verified request: lets each factor the request allows open what
 * it needs (TOTP: its challenges, totp-factor.ts), and returns the session the pages carry.
 */
export async function startHostedHandoff(ctx: AppContext, request: HandoffRequest, locale: PageLocale = 'en'): Promise<HandoffView> {
  const now = ctx.clock.now();
  const client = await ctx.stores.handoffClients.get(request.clientSid);
  if (!client) throw new DomainError('handoff_client_unknown', 'Hand-off client unknown: iss must be the sid of a hand-off client');
  const entity = await findEntity(ctx, request);
  const session: HandoffSession = { id: newSessionId(), request, accountSid: client.account_sid, appName: client.friendly_name, entitySid: entity?.sid, challenges: {}, locale, expiresAt: now + HANDOFF_SESSION_MS, brand: pageBrandOf(client) };
  if (entity) {
    for (const factor of HOSTED_FACTORS) {
      if (factor.serves.some((s) => request.factors.includes(s))) await factor.chooser?.openSession?.(ctx, session, entity);
    }
  }
  return { session, options: await factorOptions(ctx, request, entity, session) };
}

/** Back to the chooser with a message: how every factor's flow returns when it cannot go on. */
export const chooserAgain = async (ctx: AppContext, session: HandoffSession, message: string): Promise<Submission> => ({
  kind: 'retry',
  message,
  view: { session, options: await factorOptions(ctx, session.request, await findEntity(ctx, session.request), session) },
});
