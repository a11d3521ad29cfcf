// One process for these test files (see test/support/test-files.mjs): each would otherwise pay for its
// own node + tsx start and module loading. npm test runs them only through this file.
import '../../src/http/openapi/openapi-document.test.ts';
import '../../src/providers/bandwidth/bandwidth-voice-routes.test.ts';
import '../../src/providers/twilio/twilio-voice-routes.test.ts';
import '../../test/docs/docs-in-sync.test.ts';
import '../../test/docs/readme-walkthrough.test.ts';
import '../../test/docs/openapi-in-sync.test.ts';
import '../../test/providers/providers-contract.test.ts';
import '../../test/integration/authy-signature.test.ts';
import '../../src/verify/rate-limits/charge-rate-limits.test.ts';
import '../../src/events/cluster-bus.test.ts';
import '../../src/cluster/cluster-messages.test.ts';
import '../../src/accounts/account-credentials.test.ts';
import '../../src/http/event-stream.test.ts';
import '../../src/http/connection-drain.test.ts';
import '../../src/verify/destination-search.test.ts';
