import type { IconName } from '../pages/icons.ts';

/**
 * The console's sections, in the order of its navigation (admin-pages.ts `layout` renders them).
 * A section is its own page module and routes module; adding one is a line here.
 */
export interface AdminSection {
  /** Its path; the navigation marks the section whose path starts the page's. */
  path: string;
  label: string;
  /** Its icon in the navigation (src/pages/icons.ts). */
  icon?: IconName;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { path: '/admin', label: 'Overview', icon: 'chart' },
  { path: '/admin/verifications', label: 'Verifications', icon: 'check' },
  { path: '/admin/entities', label: 'Entities', icon: 'user' },
  { path: '/admin/challenges', label: 'Challenges', icon: 'shield' },
  { path: '/admin/webhooks', label: 'Webhooks', icon: 'webhook' },
  { path: '/admin/delivery', label: 'Delivery', icon: 'sms' },
  { path: '/admin/limits', label: 'Limits', icon: 'lock' },
  { path: '/admin/handoff-clients', label: 'Hand-off clients', icon: 'external' },
  { path: '/admin/keys', label: 'API keys', icon: 'passkey' },
  { path: '/admin/audit', label: 'Audit log', icon: 'list' },
];

/**
 * The section a page belongs to: the longest section path that is the page's path or a folder of
 * it; `/admin` (Overview) also owns the service pages (`/admin/services/…`). Undefined when none.
 */
export function currentSection(pagePath: string | undefined): AdminSection | undefined {
  if (pagePath === undefined) return undefined;
  const path = pagePath.split('?')[0] ?? '';
  let best: AdminSection | undefined;
  for (const section of ADMIN_SECTIONS) {
    const owns = path === section.path || path.startsWith(`${section.path}/`);
    if (owns && (!best || section.path.length > best.path.length)) best = section;
  }
  return best;
}
