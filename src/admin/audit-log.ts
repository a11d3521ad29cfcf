import type { AppContext } from '../context.ts';
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

/**
 * Records an operator action in the audit log, after it succeeded. SEAM: the audit-log owner fills
 * this in (migration 0030, its store, the /admin/audit page); every console action calls it.
 */
export async function recordAdminAction(ctx: AppContext, viewer: Viewer, entry: AuditEntry): Promise<void> {
  void ctx;
  void viewer;
  void entry;
}
