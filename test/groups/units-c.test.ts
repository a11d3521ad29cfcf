// One process for these test files (see test/support/test-files.mjs): each would otherwise pay for its
// own node + tsx start and module loading. npm test runs them only through this file.
import '../../src/events/record-event.test.ts';
import '../../src/events/webhooks-store.test.ts';
import '../../src/events/webhook-queues.test.ts';
import '../../src/hosted-factors/factor-routes.test.ts';
import '../../src/http/openapi/generated-document.test.ts';
import '../../src/providers/send-with-retry.test.ts';
import '../../src/providers/simulator/simulator-inbox.test.ts';
import '../../src/providers/simulator/simulator-provider.test.ts';
import '../../src/providers/smtp/smtp-provider.test.ts';
import '../../src/send-gate/send-gate.test.ts';
import '../../src/verify/attempts/safe-list.test.ts';
import '../../test/sdk/follow-events.test.ts';
import '../../test/sdk/sequence-buffer.test.ts';
import '../../test/sdk/sse-adapters.test.ts';
import '../../test/authenticator/parse-otpauth-uri.test.ts';
import '../../test/authenticator/sse-reader.test.ts';
import '../../test/authenticator/watch-challenges.test.ts';
import '../../test/interop/oathtool.test.ts';
import '../../test/interop/qr-decode.test.ts';
import '../../src/handoff/client-branding.test.ts';
