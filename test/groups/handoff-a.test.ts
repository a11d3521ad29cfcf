// One process for these test files (see test/support/test-files.mjs): each would otherwise load the
// whole app through tsx on its own (~3 s of CPU). npm test runs them only through this file.
import '../handoff/handoff-enroll-manage.test.ts';
import '../handoff/handoff-voiceprint.test.ts';
import '../handoff/handoff-pages.test.ts';
import '../handoff/handoff-call-i18n.test.ts';
import '../handoff/handoff-result.test.ts';
