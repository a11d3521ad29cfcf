import assert from 'node:assert/strict';
import type twilio from 'twilio';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { enrollDevice } from '../support/push-device.ts';
import { SoftAuthenticator, type AuthenticationOptions, type RegistrationOptions } from '../support/soft-authenticator.ts';
import type { TestVerity } from '../support/start-verity.ts';
import { otherCode } from '../support/test-helpers.ts';

type V2 = ReturnType<typeof twilio>['verify']['v2'];

/** The passkey relying party of the compat service, and the origin its software authenticator reports. */
export const PASSKEY_ORIGIN = 'https://login.example.com';
const PASSKEY_RP_ID = 'example.com';
/** The `messagingServiceSid` of the messaging route the compat Verity is started with. */
export const COMPAT_MESSAGING_SERVICE_SID = `MG${'c0'.repeat(16)}`;

const TOTP_OPTIONS = { algorithm: 'sha1' as const, digits: 6, period: 30, skew: 1 };

/**
 * The parents every action needs, created before the actions run (through the API, not counted),
 * and the resources the actions themselves create for the ones after them. A resource whose create
 * failed leaves a well-formed SID of its kind, so the later actions still reach their route.
 */
export interface World {
  v: TestVerity;
  v2: V2;
  serviceSid: string;
  identity: string;
  totpFactorSid: string;
  totpSecret: string;
  pushChallengeSid: string;
  /** A pending verification for `Verification update` (canceled by it). */
  cancelableVerificationSid: string;
  authenticator: SoftAuthenticator;
  created: Partial<Record<'service' | 'entity' | 'factor' | 'challenge' | 'accessToken' | 'verification' | 'webhook' | 'rateLimit' | 'bucket' | 'attempt', string>>;
  passkeyOptions?: RegistrationOptions;
  passkeyChallengeOptions?: AuthenticationOptions;
}

/** A SID of this kind that names nothing, for a parent whose create did not succeed. */
const none = (prefix: string): string => `${prefix}${'0'.repeat(32)}`;

const VERIFY_TO = '+15005550006';
const CANCEL_TO = '+15005550008';
const SAFE_LISTED = '+15005550007';
const SPARE_IDENTITY = 'compat-spare-0001';

/** Creates the parents: a service with passkey settings, an entity with a verified TOTP factor, a verified push device with a pending challenge, a pending verification. */
export async function createWorld(v: TestVerity, v2: V2): Promise<World> {
  const service = await v.api('POST', '/v2/Services', {
    FriendlyName: 'Compat',
    'Passkeys.RelyingParty.Id': PASSKEY_RP_ID,
    'Passkeys.RelyingParty.Name': 'Compat',
    'Passkeys.RelyingParty.Origins': PASSKEY_ORIGIN,
  });
  assert.equal(service.status, 201, JSON.stringify(service.body));
  const serviceSid = service.body.sid as string;
  const identity = 'compat-user-0001';
  const factor = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FactorType: 'totp', FriendlyName: 'Phone' });
  assert.equal(factor.status, 201, JSON.stringify(factor.body));
  const totpSecret = factor.body.binding.secret as string;
  const code = totp(base32Decode(totpSecret), v.ctx.clock.now(), TOTP_OPTIONS);
  const verified = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${factor.body.sid}`, { AuthPayload: code });
  assert.equal(verified.body.status, 'verified', JSON.stringify(verified.body));
  const device = await enrollDevice(v, serviceSid, 'compat-push-0001');
  const push = await v.api('POST', `/v2/Services/${serviceSid}/Entities/compat-push-0001/Challenges`, { FactorSid: device.factorSid, 'Details.Message': 'Sign in to Compat?' });
  assert.equal(push.status, 201, JSON.stringify(push.body));
  const pending = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: CANCEL_TO, Channel: 'sms' });
  assert.equal(pending.status, 201, JSON.stringify(pending.body));
  return {
    v,
    v2,
    serviceSid,
    identity,
    totpFactorSid: factor.body.sid,
    totpSecret,
    pushChallengeSid: push.body.sid,
    cancelableVerificationSid: pending.body.sid,
    authenticator: new SoftAuthenticator(PASSKEY_ORIGIN),
    created: {},
  };
}

/** One action of the client, as the compat test calls it. */
export interface CompatAction {
  /** `<client resource file>#<action>` (twilio-actions.ts). */
  key: string;
  call: (w: World) => Promise<unknown>;
}

const S = (w: World) => w.v2.services(w.serviceSid);
const E = (w: World) => S(w).entities(w.identity);
const rateLimit = (w: World) => S(w).rateLimits(w.created.rateLimit ?? none('RK'));
const bucket = (w: World) => rateLimit(w).buckets(w.created.bucket ?? none('BL'));

/**
 * Every Verify v2 action of the twilio client, in the order they run: creates before the reads and
 * updates that use what they made, removals last. Each makes exactly one request, with parameters a
 * real application would send, and is expected to succeed.
 */
export const COMPAT_ACTIONS: CompatAction[] = [
  // Services
  { key: 'service#create', call: async (w) => (w.created.service = (await w.v2.services.create({ friendlyName: 'Compat spare' })).sid) },
  { key: 'service#list', call: (w) => w.v2.services.page({ pageSize: 20 }) },
  { key: 'service#fetch', call: (w) => S(w).fetch() },
  { key: 'service#update', call: (w) => S(w).update({ codeLength: 6, friendlyName: 'Compat' }) },
  // Entities, factors, challenges, notifications
  { key: 'service/entity#create', call: async (w) => (w.created.entity = (await S(w).entities.create({ identity: SPARE_IDENTITY })).identity) },
  { key: 'service/entity#list', call: (w) => S(w).entities.page({ pageSize: 20 }) },
  { key: 'service/entity#fetch', call: (w) => E(w).fetch() },
  { key: 'service/entity/newFactor#create', call: async (w) => (w.created.factor = (await S(w).entities(SPARE_IDENTITY).newFactors.create({ friendlyName: 'Spare phone', factorType: 'totp' })).sid) },
  { key: 'service/entity/factor#list', call: (w) => E(w).factors.page({ pageSize: 20 }) },
  { key: 'service/entity/factor#fetch', call: (w) => E(w).factors(w.totpFactorSid).fetch() },
  { key: 'service/entity/factor#update', call: (w) => E(w).factors(w.totpFactorSid).update({ friendlyName: 'Phone (work)' }) },
  { key: 'service/entity/challenge#create', call: async (w) => (w.created.challenge = (await E(w).challenges.create({ factorSid: w.totpFactorSid, 'details.message': 'Sign in to Compat?' })).sid) },
  { key: 'service/entity/challenge#list', call: (w) => E(w).challenges.page({ factorSid: w.totpFactorSid, pageSize: 20 }) },
  { key: 'service/entity/challenge#fetch', call: (w) => E(w).challenges(w.created.challenge ?? none('YC')).fetch() },
  {
    key: 'service/entity/challenge#update',
    // A wrong code: 200 and still `pending` (the right one was used up by the factor's verification step).
    call: (w) => E(w).challenges(w.created.challenge ?? none('YC')).update({ authPayload: otherCode(totp(base32Decode(w.totpSecret), w.v.ctx.clock.now(), TOTP_OPTIONS)) }),
  },
  { key: 'service/entity/challenge/notification#create', call: (w) => S(w).entities('compat-push-0001').challenges(w.pushChallengeSid).notifications.create({ ttl: 300 }) },
  // AccessTokens
  { key: 'service/accessToken#create', call: async (w) => (w.created.accessToken = (await S(w).accessTokens.create({ identity: 'compat-push-0002', factorType: 'push', factorFriendlyName: 'Pixel', ttl: 300 })).sid) },
  { key: 'service/accessToken#fetch', call: (w) => S(w).accessTokens(w.created.accessToken ?? none('YK')).fetch() },
  // Verifications
  { key: 'service/verification#create', call: async (w) => (w.created.verification = (await S(w).verifications.create({ to: VERIFY_TO, channel: 'sms' })).sid) },
  { key: 'service/verification#fetch', call: (w) => S(w).verifications(w.created.verification ?? none('VE')).fetch() },
  { key: 'service/verificationCheck#create', call: async (w) => S(w).verificationChecks.create({ to: VERIFY_TO, code: await w.v.lastCode(VERIFY_TO) }) },
  { key: 'service/verification#update', call: (w) => S(w).verifications(w.cancelableVerificationSid).update({ status: 'canceled' }) },
  // MessagingConfigurations
  { key: 'service/messagingConfiguration#create', call: (w) => S(w).messagingConfigurations.create({ country: 'GB', messagingServiceSid: COMPAT_MESSAGING_SERVICE_SID }) },
  { key: 'service/messagingConfiguration#list', call: (w) => S(w).messagingConfigurations.page({ pageSize: 20 }) },
  { key: 'service/messagingConfiguration#fetch', call: (w) => S(w).messagingConfigurations('GB').fetch() },
  { key: 'service/messagingConfiguration#update', call: (w) => S(w).messagingConfigurations('GB').update({ messagingServiceSid: COMPAT_MESSAGING_SERVICE_SID }) },
  // Webhooks (an address nothing listens on: only challenge.denied, which no action causes)
  {
    key: 'service/webhook#create',
    call: async (w) => (w.created.webhook = (await S(w).webhooks.create({ friendlyName: 'Compat hook', eventTypes: ['challenge.denied'], webhookUrl: 'http://127.0.0.1:9/compat-hook' })).sid),
  },
  { key: 'service/webhook#list', call: (w) => S(w).webhooks.page({ pageSize: 20 }) },
  { key: 'service/webhook#fetch', call: (w) => S(w).webhooks(w.created.webhook ?? none('YW')).fetch() },
  { key: 'service/webhook#update', call: (w) => S(w).webhooks(w.created.webhook ?? none('YW')).update({ friendlyName: 'Compat hook (renamed)' }) },
  // RateLimits and Buckets
  { key: 'service/rateLimit#create', call: async (w) => (w.created.rateLimit = (await S(w).rateLimits.create({ uniqueName: 'end_user_ip_address', description: 'Per end-user IP' })).sid) },
  { key: 'service/rateLimit#list', call: (w) => S(w).rateLimits.page({ pageSize: 20 }) },
  { key: 'service/rateLimit#fetch', call: (w) => rateLimit(w).fetch() },
  { key: 'service/rateLimit#update', call: (w) => rateLimit(w).update({ description: 'Per end-user IP address' }) },
  { key: 'service/rateLimit/bucket#create', call: async (w) => (w.created.bucket = (await rateLimit(w).buckets.create({ max: 4, interval: 60 })).sid) },
  { key: 'service/rateLimit/bucket#list', call: (w) => rateLimit(w).buckets.page({ pageSize: 20 }) },
  { key: 'service/rateLimit/bucket#fetch', call: (w) => bucket(w).fetch() },
  { key: 'service/rateLimit/bucket#update', call: (w) => bucket(w).update({ max: 5, interval: 60 }) },
  // Passkeys (service level, JSON bodies), with a software authenticator
  {
    key: 'service/newFactor#create',
    call: async (w) => {
      const factor = await S(w).newFactors.create({ friendlyName: 'Compat laptop', identity: 'compat-passkey-0001' });
      w.passkeyOptions = factor.options.publicKey as RegistrationOptions;
    },
  },
  { key: 'service/newVerifyFactor#update', call: (w) => S(w).newVerifyFactors.update(w.authenticator.register(w.passkeyOptions ?? { challenge: 'AA', rp: { name: 'none' }, user: { id: 'AA', name: 'none' } })) },
  {
    key: 'service/newChallenge#create',
    call: async (w) => {
      const challenge = await S(w).newChallenge().create({ identity: 'compat-passkey-0001' });
      w.passkeyChallengeOptions = challenge.options.publicKey as AuthenticationOptions;
    },
  },
  {
    key: 'service/approveChallenge#update',
    call: (w) => {
      const options = w.passkeyChallengeOptions;
      const assertion = options
        ? w.authenticator.authenticate(options)
        : { id: 'AA', rawId: 'AA', type: 'public-key', authenticatorAttachment: 'platform', response: { authenticatorData: 'AA', clientDataJSON: 'AA', signature: 'AA' } };
      return S(w).approveChallenge.update(assertion);
    },
  },
  // SafeList, Templates, Attempts, Forms (account level)
  { key: 'safelist#create', call: (w) => w.v2.safelist.create({ phoneNumber: SAFE_LISTED }) },
  { key: 'safelist#fetch', call: (w) => w.v2.safelist(SAFE_LISTED).fetch() },
  { key: 'template#list', call: (w) => w.v2.templates.page({ pageSize: 20 }) },
  {
    key: 'verificationAttempt#list',
    call: async (w) => {
      const page = await w.v2.verificationAttempts.page({ verifyServiceSid: w.serviceSid, pageSize: 20 });
      w.created.attempt = page.instances[0]?.sid;
    },
  },
  { key: 'verificationAttempt#fetch', call: (w) => w.v2.verificationAttempts(w.created.attempt ?? none('VL')).fetch() },
  { key: 'verificationAttemptsSummary#fetch', call: (w) => w.v2.verificationAttemptsSummary().fetch({ verifyServiceSid: w.serviceSid }) },
  { key: 'form#fetch', call: (w) => w.v2.forms('form-push').fetch() },
  // Removals, children first
  { key: 'service/rateLimit/bucket#remove', call: (w) => bucket(w).remove() },
  { key: 'service/rateLimit#remove', call: (w) => rateLimit(w).remove() },
  { key: 'service/webhook#remove', call: (w) => S(w).webhooks(w.created.webhook ?? none('YW')).remove() },
  { key: 'service/messagingConfiguration#remove', call: (w) => S(w).messagingConfigurations('GB').remove() },
  { key: 'safelist#remove', call: (w) => w.v2.safelist(SAFE_LISTED).remove() },
  { key: 'service/entity/factor#remove', call: (w) => S(w).entities(SPARE_IDENTITY).factors(w.created.factor ?? none('YF')).remove() },
  { key: 'service/entity#remove', call: (w) => S(w).entities(SPARE_IDENTITY).remove() },
  { key: 'service#remove', call: (w) => w.v2.services(w.created.service ?? none('VA')).remove() },
];
