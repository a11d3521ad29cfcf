// One process for these test files (see test/support/test-files.mjs): each would otherwise load the
// whole app through tsx on its own (~3 s of CPU). npm test runs them only through this file.
import '../integration/requester-split.test.ts';
import '../integration/cross-site-api.test.ts';
import '../integration/delivery-failure.test.ts';
import '../integration/factor-events.test.ts';
import '../integration/simulator.test.ts';
import '../integration/metrics-access.test.ts';
import '../integration/logs.test.ts';
import '../integration/limits.test.ts';
import '../integration/key-rotation.test.ts';
import '../integration/friendly-names.test.ts';
import '../integration/locales.test.ts';
import '../integration/authy.test.ts';
import '../integration/authy-callbacks.test.ts';
import '../integration/authy-admin.test.ts';
import '../integration/admin-key-forms-resent.test.ts';
