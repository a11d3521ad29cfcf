// One process for these test files (see test/support/test-files.mjs): each would otherwise load the
// whole app through tsx on its own (~3 s of CPU). npm test runs them only through this file.
import '../integration/webhooks.test.ts';
import '../integration/totp-factors.test.ts';
import '../integration/webhook-ssrf.test.ts';
import '../integration/abandoned-factors.test.ts';
import '../integration/recovery-codes.test.ts';
