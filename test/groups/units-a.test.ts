// One process for these unit test files (see test/support/test-files.mjs): each would otherwise pay
// for its own node + tsx start (~0.5 s of CPU). npm test runs them only through this file.
import '../../src/admin/safe-next.test.ts';
import '../../src/channels/render-message.test.ts';
import '../../src/config/config.test.ts';
import '../../src/crypto/reseal-secrets.test.ts';
import '../../src/crypto/seal.test.ts';
import '../../src/events/webhook-signature.test.ts';
import '../../src/events/webhook-target.test.ts';
import '../../src/factors/entities.test.ts';
import '../../src/factors/totp/otp.property.test.ts';
import '../../src/factors/totp/otp.test.ts';
import '../../src/factors/totp/qr-code.test.ts';
import '../../src/factors/voiceprint/audio/resample.test.ts';
import '../../src/factors/voiceprint/audio/wav.test.ts';
import '../../src/factors/voiceprint/features/mfcc.test.ts';
import '../../src/factors/voiceprint/model/dtw.test.ts';
import '../../src/factors/voiceprint/model/gmm.test.ts';
import '../../src/factors/voiceprint/quality/check-quality.test.ts';
import '../../src/factors/voiceprint/replay/fingerprint.test.ts';
import '../../src/factors/voiceprint/voiceprint-engine-load.test.ts';
import '../../src/hosted/page-scripts.test.ts';
import '../../src/http/client-address.test.ts';
import '../../src/http/pagination.property.test.ts';
import '../../src/http/resources/verification-resource.test.ts';
import '../../src/http/routes/hosted-page-schema.test.ts';
import '../../src/http/routes/operations-routes.test.ts';
import '../../src/http/schema/validation.test.ts';
