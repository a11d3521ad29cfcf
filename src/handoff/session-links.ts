/*
 * The two addresses of a hand-off session's pages (docs/handoff.md, "Back, Forward and reload"),
 * here (with the session, in handoff/) so that every page renderer links to them and the routes (src/http/routes/handoff-flow.ts)
 * serve them.
 */

/** The session's page: where every step answers 303 to, and what Back, Forward and reload show. */
export const sessionPagePath = (id: string): string => `/handoff/page/${id}`;

/**
 * The way back to the application from any of a session's pages: a fresh signed error result
 * (`access_denied`, `expired` or `already_completed`), then `return_to`. Pages never link to the
 * bare `return_to`, which would reach the application with no result and no reason.
 */
export const sessionReturnPath = (id: string): string => `/handoff/page/${id}/return`;
