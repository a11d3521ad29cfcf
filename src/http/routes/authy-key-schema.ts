import { z } from 'zod';
import { API_ERRORS, BODY_ERRORS, SERVICE_NOT_FOUND, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl, dateTime, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { ServicePath } from './services-schema.ts';

/**
 * Verity extension: the Authy application of a service (docs/authy.md). Its API key authenticates the
 * Authy API under /authy and signs OneTouch callbacks; it is shown once, when issued or rotated.
 */

const TAG = 'Authy';

const callbackDescription = 'Where OneTouch callbacks are POSTed (signed `X-Authy-Signature`); an absolute http(s) URL checked against the webhooks\' address policy. Empty: no callbacks.';

const AuthyApiKeyParams = field
  .fields({ OneTouchCallbackUrl: field.string({ max: 2048 }).meta({ description: `${callbackDescription} Omitted: unchanged.` }) })
  .meta({ id: 'AuthyApiKeyParams' });

const AuthyAppParams = field.fields({ OneTouchCallbackUrl: field.string({ max: 2048 }).meta({ description: callbackDescription }) }).meta({ id: 'AuthyAppParams' });

const appFields = {
  account_sid: sid('AC', 'Account SID.'),
  service_sid: sid('VA', 'The service this Authy application is.'),
  app_id: z.number().int().meta({ description: 'The numeric `app_id` the Authy API answers.' }),
  key_status: z.enum(['active', 'revoked']).meta({ description: '`active` while the application has an API key.' }),
  onetouch_callback_url: z.string().nullable().meta({ description: callbackDescription }),
  date_created: dateTime('Creation time,'),
  date_updated: dateTime('Last update (key rotation or settings),'),
  url: absoluteUrl('Absolute URL of this application.'),
};

const AuthyApp = z.object(appFields).meta({ id: 'AuthyApp', description: 'A service\'s Authy application (Verity extension).' });

const AuthyApiKey = z
  .object({ ...appFields, api_key: z.string().meta({ description: 'The new API key: shown only in this answer. Send it as `X-Authy-API-Key` or `api_key`.' }) })
  .meta({ id: 'AuthyApiKey', description: 'A newly issued Authy API key and its application.' });

const noApp: ErrorCase = { code: 20404, when: 'unknown service, or the service has no Authy application yet.', message: 'The requested resource /Services/VA…/AuthyApp was not found' };
const badUrl: ErrorCase = { code: 60200, when: '`OneTouchCallbackUrl` is not an absolute http(s) URL, or has credentials.', message: 'Invalid parameter: WebhookUrl (expected an absolute http(s) URL)' };
const refusedUrl: ErrorCase = { code: 64501, when: '`OneTouchCallbackUrl` names or resolves to an address the webhook policy refuses.', message: 'Invalid parameter: WebhookUrl (its host is or resolves to loopback; Verity calls only public addresses)' };

export const issueAuthyApiKeySchema = operation({
  operationId: 'issueAuthyApiKey',
  tag: TAG,
  summary: 'Issue or rotate the Authy API key',
  description: 'Creates the service\'s Authy application with a new API key, or replaces its key (the old key stops working at once; users and their `authy_id`s stay). The key is returned only in this answer.',
  caller: 'account',
  params: ServicePath,
  body: AuthyApiKeyParams,
  ok: { 201: { description: 'The new key.', schema: AuthyApiKey } },
  errors: [badUrl, refusedUrl, SERVICE_NOT_FOUND, ...BODY_ERRORS, ...API_ERRORS],
});

export const revokeAuthyApiKeySchema = operation({
  operationId: 'revokeAuthyApiKey',
  tag: TAG,
  summary: 'Revoke the Authy API key',
  description: 'The Authy API answers 401 60001 for this service until a new key is issued.',
  caller: 'account',
  params: ServicePath,
  ok: { 204: { description: 'Revoked (no body).' } },
  errors: [noApp, ...API_ERRORS],
});

export const fetchAuthyAppSchema = operation({
  operationId: 'fetchAuthyApp',
  tag: TAG,
  summary: 'Fetch the Authy application',
  description: 'The service\'s Authy application, without its key.',
  caller: 'account',
  params: ServicePath,
  ok: { 200: { description: 'The application.', schema: AuthyApp } },
  errors: [noApp, ...API_ERRORS],
});

export const updateAuthyAppSchema = operation({
  operationId: 'updateAuthyApp',
  tag: TAG,
  summary: 'Update the Authy application',
  description: 'Sets (or, with an empty value, clears) the OneTouch callback URL.',
  caller: 'account',
  params: ServicePath,
  body: AuthyAppParams,
  ok: { 200: { description: 'The application.', schema: AuthyApp } },
  errors: [badUrl, refusedUrl, noApp, ...BODY_ERRORS, ...API_ERRORS],
});
