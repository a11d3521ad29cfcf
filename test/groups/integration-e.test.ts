// One process for these test files (see test/support/test-files.mjs): each would otherwise load the
// whole app through tsx on its own (~3 s of CPU). npm test runs them only through this file.
import '../integration/templates.test.ts';
import '../integration/verification-params.test.ts';
import '../integration/passkeys-service.test.ts';
import '../integration/push-platforms.test.ts';
import '../integration/voiceprint-switch.test.ts';
import '../integration/shared-counters.test.ts';
import '../compat/verify-v2-actions.test.ts';
import '../compat/compat-table.test.ts';
import '../integration/cluster-events.test.ts';
