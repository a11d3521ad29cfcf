// One process for these test files (see test/support/test-files.mjs): each would otherwise load the
// whole app through tsx on its own (~3 s of CPU). npm test runs them only through this file.
import '../integration/api-keys.test.ts';
import '../integration/twilio-webhooks.test.ts';
import '../integration/rate-limits.test.ts';
import '../integration/verification-attempts.test.ts';
import '../integration/safe-list.test.ts';
import '../integration/forms-access-tokens.test.ts';
