// One process for these unit test files (see test/support/test-files.mjs): each would otherwise pay
// for its own node + tsx start (~0.5 s of CPU). npm test runs them only through this file.
import '../../src/http/schema/wire-fields.test.ts';
import '../../src/i18n/negotiate-locale.test.ts';
import '../../src/i18n/translator.test.ts';
import '../../src/net/outbound-address-policy.test.ts';
import '../../src/net/resolve-outbound-target.test.ts';
import '../../src/observability/logger.test.ts';
import '../../src/pages/html.property.test.ts';
import '../../src/pages/html.test.ts';
import '../../src/providers/bandwidth/render-bxml.test.ts';
import '../../src/providers/console/console-provider.test.ts';
import '../../src/providers/registry.test.ts';
import '../../src/audio/line-audio.test.ts';
import '../../src/providers/simulator/phone-network.test.ts';
import '../../src/audio/prompt-audio.test.ts';
import '../../src/providers/simulator/simulator-phone-routes.test.ts';
import '../../src/providers/twilio/render-twiml.test.ts';
import '../../src/providers/twilio/twilio-signature.test.ts';
import '../../src/services/friendly-name.test.ts';
import '../../src/time/format.test.ts';
import '../../src/time/ttl-cache.test.ts';
import '../../src/verify/destination.property.test.ts';
import '../../src/verify/destination.test.ts';
import '../../src/verify/lifecycle/verification-lifecycle.test.ts';
import '../../src/verify/limits.test.ts';
import '../../src/verify/one-time-code.test.ts';
import '../../src/voice/flows/flows.test.ts';
