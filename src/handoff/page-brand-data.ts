/**
 * What a hosted page shows of the application that sent the user there: its hand-off client's
 * branding (issue 17), as the session carries it (handoff-session.ts) and the pages render it
 * (src/hosted/page-brand.ts).
 */
export interface PageBrand {
  clientSid: string;
  /** The application's name as its users know it. */
  name: string;
  /** This server's path of the client's stylesheet (its colours as CSS custom properties), versioned. */
  stylesheet?: string | undefined;
  /** This server's path of the client's logo, versioned (img-src 'self': never another origin). */
  logo?: string | undefined;
  /** The logo's size in pixels (read from its header), so the bar keeps its aspect and reserves its place. */
  logoSize?: { width: number; height: number } | undefined;
  /** Where the application's users get help (an https URL). */
  supportUrl?: string | undefined;
}

