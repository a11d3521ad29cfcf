// One process for these test files (see test/support/test-files.mjs): each would otherwise load the
// whole app through tsx on its own (~3 s of CPU). npm test runs them only through this file.
import '../integration/passkeys.test.ts';
import '../integration/passkeys-service.test.ts';
import '../integration/concurrency.test.ts';
import '../integration/send-gate.test.ts';
import '../integration/hosted-limits.test.ts';
import '../integration/bad-input.test.ts';
import '../integration/verify-api.test.ts';
