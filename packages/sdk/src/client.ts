import { createTransport, segment, type FetchLike, type FormValue, type Transport } from './http.ts';
import type {
  AccessToken,
  Challenge,
  ChallengeField,
  ChallengeStatus,
  Channel,
  CreatedWebhook,
  Entity,
  Factor,
  HandoffClient,
  IssuedRecoveryCodes,
  Page,
  PageOptions,
  RecoveryCodeCheck,
  RecoveryCodeSummary,
  Service,
  TotpAlgorithm,
  Verification,
  VerificationCheck,
  VoiceFlow,
  Webhook,
} from './types.ts';

export interface VerityClientOptions {
  /** Verity's origin, e.g. `https://verify.example.com` (no `/v2`). */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
}

// Request parameters: camelCase here, sent as the API's PascalCase form keys. ----------------------

export interface ServiceParams {
  friendlyName?: string;
  codeLength?: number;
  /** Verity: how long a code stays valid (120 to 86 400 s; default 600). */
  codeExpirySeconds?: number;
  /** Verity: the channels verifications may use. */
  enabledChannels?: Channel[];
  /** Verity: the language of messages when a verification names none. */
  defaultLocale?: string;
  /** Verity: ISO 3166-1 alpha-2 codes; an empty list allows every country. */
  allowedCountries?: string[];
  customCodeEnabled?: boolean;
  psd2Enabled?: boolean;
  doNotShareWarningEnabled?: boolean;
  dtmfInputRequired?: boolean;
  push?: {
    includeDate?: boolean;
    /** Verity: the login page shows a number the user enters on the device (default true). */
    numberMatching?: boolean;
    /** Verity: push challenges allowed since the last success, 1 to 100 (default 5). */
    maxChallengesSinceSuccess?: number;
  };
  totp?: { issuer?: string; timeStep?: number; codeLength?: number; skew?: number };
  /** Passkeys (WebAuthn): the relying party is the domain of the page that runs the ceremony. */
  passkeys?: {
    relyingPartyId?: string;
    relyingPartyName?: string;
    /** Origins a WebAuthn response may come from (default `https://<relyingPartyId>`). */
    origins?: string[];
    authenticatorAttachment?: 'platform' | 'cross-platform' | 'any';
    userVerification?: 'required' | 'preferred' | 'discouraged';
  };
}

export interface CreateVerificationParams {
  to: string;
  channel: Channel;
  locale?: string;
  customFriendlyName?: string;
  customCode?: string;
  amount?: string;
  payee?: string;
  /** Verity, `call` only: read the code, have it typed on the keypad, or press 1 (default speak_code). */
  voiceFlow?: VoiceFlow;
  /** Verity, `press_one` only: the user presses a number shown on screen instead of 1. */
  numberMatch?: boolean;
}

/** A check names the verification by its destination or by its SID. */
export type CheckVerificationParams = { code: string; amount?: string; payee?: string } & ({ to: string; verificationSid?: never } | { verificationSid: string; to?: never });

export type CreateFactorParams =
  | {
      factorType: 'totp';
      friendlyName: string;
      /** A base32 secret of your own; by default Verity makes one and returns it in `binding`. */
      secret?: string;
      config?: { timeStep?: number; skew?: number; codeLength?: number; alg?: TotpAlgorithm };
      metadata?: Record<string, unknown>;
    }
  | {
      factorType: 'push';
      friendlyName: string;
      binding: { alg: 'ES256'; publicKey: string };
      config?: { notificationPlatform?: 'apn' | 'fcm' | 'none'; notificationToken?: string; appId?: string; sdkVersion?: string };
      metadata?: Record<string, unknown>;
    };

export interface UpdateFactorParams {
  /** A TOTP code, or a push factor's signed statement: verifies an unverified factor. */
  authPayload?: string;
  friendlyName?: string;
  config?: { timeStep?: number; skew?: number; codeLength?: number; alg?: TotpAlgorithm };
}

export interface CreateChallengeParams {
  factorSid: string;
  expirationDate?: string | Date;
  details?: { message?: string; fields?: ChallengeField[] };
  /** String values only; shown to the device, not in notifications. */
  hiddenDetails?: Record<string, string>;
  /** TOTP: the code, so the challenge is answered as it is created. */
  authPayload?: string;
}

export interface ListChallengesParams extends PageOptions {
  factorSid?: string;
  status?: ChallengeStatus;
  order?: 'asc' | 'desc';
}

export interface WebhookParams {
  friendlyName?: string;
  /** Event types such as `factor.verified`, or `*` for all. */
  eventTypes?: string[];
  webhookUrl?: string;
  status?: 'enabled' | 'disabled';
  version?: 'v2';
}

// -------------------------------------------------------------------------------------------------

const pageForm = (p: PageOptions = {}): Record<string, FormValue> => ({ PageSize: p.pageSize, Page: p.page, PageToken: p.pageToken });
const json = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));

function serviceForm(p: ServiceParams): Record<string, FormValue> {
  return {
    FriendlyName: p.friendlyName,
    CodeLength: p.codeLength,
    CodeExpirySeconds: p.codeExpirySeconds,
    EnabledChannels: p.enabledChannels?.join(','),
    DefaultLocale: p.defaultLocale,
    AllowedCountries: p.allowedCountries?.join(','),
    CustomCodeEnabled: p.customCodeEnabled,
    Psd2Enabled: p.psd2Enabled,
    DoNotShareWarningEnabled: p.doNotShareWarningEnabled,
    DtmfInputRequired: p.dtmfInputRequired,
    'Push.IncludeDate': p.push?.includeDate,
    'Push.NumberMatching': p.push?.numberMatching,
    'Push.MaxChallengesSinceSuccess': p.push?.maxChallengesSinceSuccess,
    'Totp.Issuer': p.totp?.issuer,
    'Totp.TimeStep': p.totp?.timeStep,
    'Totp.CodeLength': p.totp?.codeLength,
    'Totp.Skew': p.totp?.skew,
    'Passkeys.RelyingParty.Id': p.passkeys?.relyingPartyId,
    'Passkeys.RelyingParty.Name': p.passkeys?.relyingPartyName,
    'Passkeys.RelyingParty.Origins': p.passkeys?.origins?.join(','),
    'Passkeys.AuthenticatorAttachment': p.passkeys?.authenticatorAttachment,
    'Passkeys.UserVerification': p.passkeys?.userVerification,
  };
}

const totpConfigForm = (c: UpdateFactorParams['config'] = {}): Record<string, FormValue> => ({
  'Config.TimeStep': c.timeStep,
  'Config.Skew': c.skew,
  'Config.CodeLength': c.codeLength,
  'Config.Alg': c.alg,
});

function webhookForm(p: WebhookParams): Record<string, FormValue> {
  return { FriendlyName: p.friendlyName, EventTypes: p.eventTypes, WebhookUrl: p.webhookUrl, Status: p.status, Version: p.version };
}

const servicePath = (serviceSid: string): string => `/v2/Services/${segment(serviceSid)}`;
const entityPath = (serviceSid: string, identity: string): string => `${servicePath(serviceSid)}/Entities/${segment(identity)}`;

function servicesApi(http: Transport) {
  return {
    create: (params: ServiceParams & { friendlyName: string }) => http.request<Service>('POST', '/v2/Services', serviceForm(params)),
    fetch: (serviceSid: string) => http.request<Service>('GET', servicePath(serviceSid)),
    list: (page?: PageOptions) => http.request<Page<'services', Service>>('GET', '/v2/Services', pageForm(page)),
    /** Changes only the parameters given. */
    update: (serviceSid: string, params: ServiceParams) => http.request<Service>('POST', servicePath(serviceSid), serviceForm(params)),
    remove: (serviceSid: string) => http.request<void>('DELETE', servicePath(serviceSid)),
  };
}

function verificationsApi(http: Transport) {
  const path = (serviceSid: string, sid: string) => `${servicePath(serviceSid)}/Verifications/${segment(sid)}`;
  return {
    /** Sends a code (or places the call). For calls, the answer has Verity's `display_code` and `links.events`. */
    create: (serviceSid: string, p: CreateVerificationParams) =>
      http.request<Verification>('POST', `${servicePath(serviceSid)}/Verifications`, {
        To: p.to,
        Channel: p.channel,
        Locale: p.locale,
        CustomFriendlyName: p.customFriendlyName,
        CustomCode: p.customCode,
        Amount: p.amount,
        Payee: p.payee,
        VoiceFlow: p.voiceFlow,
        NumberMatch: p.numberMatch,
      }),
    fetch: (serviceSid: string, sid: string) => http.request<Verification>('GET', path(serviceSid, sid)),
    cancel: (serviceSid: string, sid: string) => http.request<Verification>('POST', path(serviceSid, sid), { Status: 'canceled' }),
    /** Marks a pending verification approved after an out-of-band check. */
    approve: (serviceSid: string, sid: string) => http.request<Verification>('POST', path(serviceSid, sid), { Status: 'approved' }),
    /** A wrong code resolves with `status: 'pending'`, `valid: false`; it does not throw. */
    check: (serviceSid: string, p: CheckVerificationParams) =>
      http.request<VerificationCheck>('POST', `${servicePath(serviceSid)}/VerificationCheck`, { Code: p.code, To: p.to, VerificationSid: p.verificationSid, Amount: p.amount, Payee: p.payee }),
  };
}

function entitiesApi(http: Transport) {
  return {
    create: (serviceSid: string, identity: string) => http.request<Entity>('POST', `${servicePath(serviceSid)}/Entities`, { Identity: identity }),
    fetch: (serviceSid: string, identity: string) => http.request<Entity>('GET', entityPath(serviceSid, identity)),
    list: (serviceSid: string, page?: PageOptions) => http.request<Page<'entities', Entity>>('GET', `${servicePath(serviceSid)}/Entities`, pageForm(page)),
    /** Deletes the entity and all its factors. */
    remove: (serviceSid: string, identity: string) => http.request<void>('DELETE', entityPath(serviceSid, identity)),
  };
}

function factorsApi(http: Transport) {
  const path = (serviceSid: string, identity: string, sid: string) => `${entityPath(serviceSid, identity)}/Factors/${segment(sid)}`;
  const update = (serviceSid: string, identity: string, sid: string, p: UpdateFactorParams) =>
    http.request<Factor>('POST', path(serviceSid, identity, sid), { AuthPayload: p.authPayload, FriendlyName: p.friendlyName, ...totpConfigForm(p.config) });
  return {
    /** Creates an unverified factor (and the entity if needed); `binding` is in this answer only. */
    create: (serviceSid: string, identity: string, p: CreateFactorParams) => {
      const form: Record<string, FormValue> = { FactorType: p.factorType, FriendlyName: p.friendlyName, Metadata: json(p.metadata) };
      if (p.factorType === 'totp') Object.assign(form, { 'Binding.Secret': p.secret }, totpConfigForm(p.config));
      else {
        Object.assign(form, {
          'Binding.Alg': p.binding.alg,
          'Binding.PublicKey': p.binding.publicKey,
          'Config.NotificationPlatform': p.config?.notificationPlatform,
          'Config.NotificationToken': p.config?.notificationToken,
          'Config.AppId': p.config?.appId,
          'Config.SdkVersion': p.config?.sdkVersion,
        });
      }
      return http.request<Factor>('POST', `${entityPath(serviceSid, identity)}/Factors`, form);
    },
    /** Verifies a new factor with a current TOTP code or the push device's signed statement. */
    verify: (serviceSid: string, identity: string, sid: string, authPayload: string) => update(serviceSid, identity, sid, { authPayload }),
    update,
    fetch: (serviceSid: string, identity: string, sid: string) => http.request<Factor>('GET', path(serviceSid, identity, sid)),
    list: (serviceSid: string, identity: string, page?: PageOptions) => http.request<Page<'factors', Factor>>('GET', `${entityPath(serviceSid, identity)}/Factors`, pageForm(page)),
    remove: (serviceSid: string, identity: string, sid: string) => http.request<void>('DELETE', path(serviceSid, identity, sid)),
  };
}

function challengesApi(http: Transport) {
  const path = (serviceSid: string, identity: string, sid: string) => `${entityPath(serviceSid, identity)}/Challenges/${segment(sid)}`;
  return {
    /** For push, the answer has Verity's `number_match` and `links.events` for the login page. */
    create: (serviceSid: string, identity: string, p: CreateChallengeParams) =>
      http.request<Challenge>('POST', `${entityPath(serviceSid, identity)}/Challenges`, {
        FactorSid: p.factorSid,
        ExpirationDate: p.expirationDate instanceof Date ? p.expirationDate.toISOString() : p.expirationDate,
        'Details.Message': p.details?.message,
        // The API takes each field as one JSON string, repeated.
        'Details.Fields': p.details?.fields?.map((field) => JSON.stringify({ label: field.label, value: field.value })),
        HiddenDetails: json(p.hiddenDetails),
        AuthPayload: p.authPayload,
      }),
    fetch: (serviceSid: string, identity: string, sid: string) => http.request<Challenge>('GET', path(serviceSid, identity, sid)),
    list: (serviceSid: string, identity: string, p: ListChallengesParams = {}) =>
      http.request<Page<'challenges', Challenge>>('GET', `${entityPath(serviceSid, identity)}/Challenges`, { FactorSid: p.factorSid, Status: p.status, Order: p.order, ...pageForm(p) }),
    /** Answers a challenge: a TOTP code, or a push response signed by the device and relayed by the app. */
    respond: (serviceSid: string, identity: string, sid: string, authPayload: string, metadata?: Record<string, unknown>) =>
      http.request<Challenge>('POST', path(serviceSid, identity, sid), { AuthPayload: authPayload, Metadata: json(metadata) }),
  };
}

function accessTokensApi(http: Transport) {
  return {
    /** A single-use enrollment token for a push device (docs/push.md §1). `ttl` is 60 to 300 s. */
    create: (serviceSid: string, p: { identity: string; factorType?: 'push'; factorFriendlyName?: string; ttl?: number }) =>
      http.request<AccessToken>('POST', `${servicePath(serviceSid)}/AccessTokens`, {
        Identity: p.identity,
        FactorType: p.factorType ?? 'push',
        FactorFriendlyName: p.factorFriendlyName,
        Ttl: p.ttl,
      }),
  };
}

function recoveryCodesApi(http: Transport) {
  const path = (serviceSid: string, identity: string) => `${entityPath(serviceSid, identity)}/RecoveryCodes`;
  return {
    /** Issues a new set (the old codes stop working); the codes are in this answer only. */
    issue: (serviceSid: string, identity: string) => http.request<IssuedRecoveryCodes>('POST', path(serviceSid, identity)),
    summary: (serviceSid: string, identity: string) => http.request<RecoveryCodeSummary>('GET', path(serviceSid, identity)),
    /** Uses up a code if it is valid. */
    check: (serviceSid: string, identity: string, code: string) => http.request<RecoveryCodeCheck>('POST', `${path(serviceSid, identity)}/Check`, { Code: code }),
  };
}

function webhooksApi(http: Transport) {
  const path = (serviceSid: string, sid: string) => `${servicePath(serviceSid)}/Webhooks/${segment(sid)}`;
  return {
    /** The answer's `secret` signs the deliveries (Verity-Signature) and is shown this once. */
    create: (serviceSid: string, p: WebhookParams & { friendlyName: string; eventTypes: string[]; webhookUrl: string }) =>
      http.request<CreatedWebhook>('POST', `${servicePath(serviceSid)}/Webhooks`, webhookForm(p)),
    fetch: (serviceSid: string, sid: string) => http.request<Webhook>('GET', path(serviceSid, sid)),
    list: (serviceSid: string, page?: PageOptions) => http.request<Page<'webhooks', Webhook>>('GET', `${servicePath(serviceSid)}/Webhooks`, pageForm(page)),
    update: (serviceSid: string, sid: string, p: WebhookParams) => http.request<Webhook>('POST', path(serviceSid, sid), webhookForm(p)),
    remove: (serviceSid: string, sid: string) => http.request<void>('DELETE', path(serviceSid, sid)),
  };
}

export interface CreateHandoffClientParams {
  friendlyName: string;
  /** The URLs Verity may send users back to (`return_to` must equal one of them exactly). */
  returnUrls: string[];
  /** The client's public JWKS (ES256 / EdDSA); without it the client is HS256 and `secret` is returned once. */
  jwks?: { keys: Array<Record<string, unknown>> };
}

function handoffClientsApi(http: Transport) {
  const path = (serviceSid: string, sid: string) => `${servicePath(serviceSid)}/HandoffClients/${segment(sid)}`;
  return {
    /** Registers an application for the signed hand-off; an HS256 client's `secret` is in this answer only. */
    create: (serviceSid: string, p: CreateHandoffClientParams) =>
      http.request<HandoffClient>('POST', `${servicePath(serviceSid)}/HandoffClients`, { FriendlyName: p.friendlyName, ReturnUrl: p.returnUrls, Jwks: json(p.jwks) }),
    fetch: (serviceSid: string, sid: string) => http.request<HandoffClient>('GET', path(serviceSid, sid)),
    list: (serviceSid: string, page?: PageOptions) => http.request<Page<'handoff_clients', HandoffClient>>('GET', `${servicePath(serviceSid)}/HandoffClients`, pageForm(page)),
    remove: (serviceSid: string, sid: string) => http.request<void>('DELETE', path(serviceSid, sid)),
  };
}

/**
 * A client of one Verity account. Every method sends one request and resolves with the resource as
 * the server returns it, or rejects with VerityApiError.
 *
 * @example
 * const verity = new VerityClient({ baseUrl: 'http://localhost:8080', accountSid, authToken });
 * const service = await verity.services.create({ friendlyName: 'Acme' });
 * await verity.verifications.create(service.sid, { to: '+14155552671', channel: 'sms' });
 * const check = await verity.verifications.check(service.sid, { to: '+14155552671', code: '123456' });
 * if (check.status === 'approved') signIn();
 */
export class VerityClient {
  readonly services: ReturnType<typeof servicesApi>;
  readonly verifications: ReturnType<typeof verificationsApi>;
  readonly entities: ReturnType<typeof entitiesApi>;
  readonly factors: ReturnType<typeof factorsApi>;
  readonly challenges: ReturnType<typeof challengesApi>;
  readonly accessTokens: ReturnType<typeof accessTokensApi>;
  readonly recoveryCodes: ReturnType<typeof recoveryCodesApi>;
  readonly webhooks: ReturnType<typeof webhooksApi>;
  readonly handoffClients: ReturnType<typeof handoffClientsApi>;

  constructor(options: VerityClientOptions) {
    const http = createTransport(options);
    this.services = servicesApi(http);
    this.verifications = verificationsApi(http);
    this.entities = entitiesApi(http);
    this.factors = factorsApi(http);
    this.challenges = challengesApi(http);
    this.accessTokens = accessTokensApi(http);
    this.recoveryCodes = recoveryCodesApi(http);
    this.webhooks = webhooksApi(http);
    this.handoffClients = handoffClientsApi(http);
  }
}
