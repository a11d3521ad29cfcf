import type { AppContext } from '../context.ts';
import { newSid } from '../crypto/random.ts';
import type { Viewer } from './admin-pages.ts';

/** One operator action, as the audit log records it (issue 17). */
export interface AuditEntry {
  /** A stable dotted name: `factor.delete`, `lockout.clear`, `service.update`, `webhook_delivery.retry`… */
  action: string;
  /** The SID of what it acted on (a factor, a service, a delivery…). */
  targetSid?: string | undefined;
  /** What else tells the action apart (the fields changed…); never a secret. */
  detail?: Record<string, string | number | boolean | null> | undefined;
}

/** Who an entry is about when there is no signed-in viewer yet (sign-in attempts). */
export interface AuditActor {
  accountSid: string;
  /** The console session's `AS…`, else the Account SID. */
  actor: string;
  ip: string | null;
}

/** Longest detail text kept per entry (a detail is a handful of names and numbers). */
const DETAIL_MAX = 2000;

/**
 * Appends an entry to the audit log (migration 0030, AdminAuditStore). The action has already
 * happened, so a failure to record it is logged loudly rather than turned into an error page that
 * would suggest the action did not happen.
 */
export async function recordAuditEntry(ctx: AppContext, who: AuditActor, entry: AuditEntry): Promise<void> {
  const detail = JSON.stringify(entry.detail ?? {});
  try {
    await ctx.stores.adminAudit.insert({
      sid: newSid('AL'),
      account_sid: who.accountSid,
      actor: who.actor,
      action: entry.action.slice(0, 64),
      target_sid: entry.targetSid?.slice(0, 64) ?? null,
      detail: detail.length > DETAIL_MAX ? '{"truncated":true}' : detail,
      ip: who.ip,
      date_created: ctx.clock.now(),
    });
  } catch (error) {
    ctx.logger.error({ err: error, account: who.accountSid, action: entry.action }, 'admin: audit entry not recorded');
  }
}

/**
 * Records an operator action in the audit log, after it succeeded: every console action calls it.
 * The actor is the viewer's console session (the account when the viewer carries none).
 */
export async function recordAdminAction(ctx: AppContext, viewer: Viewer, entry: AuditEntry): Promise<void> {
  await recordAuditEntry(ctx, { accountSid: viewer.account.sid, actor: viewer.sessionSid ?? viewer.account.sid, ip: viewer.ip ?? null }, entry);
}
