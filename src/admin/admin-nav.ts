/**
 * The console's sections, in the order of its navigation (admin-pages.ts `layout` renders them).
 * A section is its own page module and routes module; adding one is a line here.
 */
export interface AdminSection {
  /** Its path; the navigation marks the section whose path starts the page's. */
  path: string;
  label: string;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { path: '/admin', label: 'Overview' },
  { path: '/admin/verifications', label: 'Verifications' },
  { path: '/admin/entities', label: 'Entities' },
  { path: '/admin/challenges', label: 'Challenges' },
  { path: '/admin/webhooks', label: 'Webhooks' },
  { path: '/admin/delivery', label: 'Delivery' },
  { path: '/admin/limits', label: 'Limits' },
  { path: '/admin/handoff-clients', label: 'Hand-off clients' },
  { path: '/admin/keys', label: 'API keys' },
  { path: '/admin/audit', label: 'Audit log' },
];
