// One process for these test files (see test/support/test-files.mjs): each would otherwise load the
// whole app through tsx on its own (~3 s of CPU). npm test runs them only through this file.
import '../sdk/client.test.ts';
import '../sdk/handoff-request-options.test.ts';
import '../sdk/handoff-clients.test.ts';
import '../admin/admin.test.ts';
import '../admin/admin-sign-in.test.ts';
import '../admin/admin-sessions.test.ts';
import '../docs/openapi-responses.test.ts';
import '../docs/openapi-responses-factors.test.ts';
import '../docs/openapi-responses-extensions.test.ts';
import '../compat/verify-v2-actions.test.ts';
import '../compat/compat-table.test.ts';
