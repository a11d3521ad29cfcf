/**
 * Online guessing limit (NIST SP 800-63B §5.2.2): at most 5 wrong passwords per username in 15
 * minutes, then the username is refused until the window ends. Kept in memory: a restart forgives.
 */
export class SigninThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** Milliseconds until this username may try again, or 0. */
  retryAfter(username: string, now = Date.now()): number {
    const entry = this.failures.get(username.toLowerCase());
    if (!entry || now - entry.since >= this.windowMs) return 0;
    return entry.count >= this.maxFailures ? entry.since + this.windowMs - now : 0;
  }

  fail(username: string, now = Date.now()): void {
    const key = username.toLowerCase();
    const entry = this.failures.get(key);
    if (!entry || now - entry.since >= this.windowMs) this.failures.set(key, { count: 1, since: now });
    else entry.count += 1;
    if (this.failures.size > 100_000) this.failures.clear(); // bounded memory under a spray of usernames
  }

  succeed(username: string): void {
    this.failures.delete(username.toLowerCase());
  }
}
