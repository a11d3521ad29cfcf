// One process for these test files (see test/support/test-files.mjs): each would otherwise load the
// whole app through tsx on its own (~3 s of CPU). npm test runs them only through this file.
import '../handoff/handoff-call.test.ts';
import '../handoff/handoff-request.test.ts';
import '../handoff/handoff-enroll.test.ts';
import '../handoff/handoff-passkey.test.ts';
import '../handoff/handoff-enroll-i18n.test.ts';
import '../handoff/rfc7519-vector.test.ts';
import '../handoff/handoff-passkey-voice-i18n.test.ts';
import '../handoff/handoff-identify.test.ts';
import '../handoff/handoff-clients.test.ts';
import '../handoff/handoff-i18n.test.ts';
