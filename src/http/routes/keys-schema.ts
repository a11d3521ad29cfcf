import { z } from 'zod';
import { API_ERRORS, BODY_ERRORS, PAGE_ERRORS, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { pathSid, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { PageQuery } from '../pagination.ts';

/** Twilio's standard API keys (`/2010-04-01/Accounts/{AccountSid}/Keys`): `SK…:secret` as a second credential of an account. */

const AccountPath = z.object({ accountSid: pathSid('AC', 'Account SID (`AC` + 32 hex): the authenticated account.') });
const KeyPath = AccountPath.extend({ keySid: pathSid('SK', 'API key SID (`SK` + 32 hex).') });

const KeyParams = field.fields({ FriendlyName: field.string({ max: 64 }).meta({ description: 'A name for the key (at most 64 characters).' }) }).meta({ id: 'ApiKeyParams' });

const rfc2822 = (description: string) => z.string().meta({ description: `${description} RFC 2822, UTC (\`Thu, 30 Jul 2015 20:00:00 +0000\`), as the 2010-04-01 API writes dates.` });

const keyShape = {
  sid: sid('SK', 'API key SID; the user name of HTTP Basic `SK…:secret`.'),
  friendly_name: z.string().nullable(),
  date_created: rfc2822('Creation time,'),
  date_updated: rfc2822('Last update,'),
};

const ApiKey = z.object(keyShape).meta({ id: 'ApiKey', description: 'An API key (never with its secret).' });
const NewApiKey = z
  .object({ ...keyShape, secret: z.string().meta({ description: 'The key\'s secret, the password of HTTP Basic `SK…:secret`. Returned only by create; Verity keeps only a keyed digest of it.' }) })
  .meta({ id: 'NewApiKey', description: 'The key as created, with its secret (shown only in this response).' });

const pageUri = z.string().meta({ description: 'A path on this server (prefix it with the API origin).' });
const ApiKeyList = z
  .object({
    keys: z.array(ApiKey),
    first_page_uri: pageUri,
    previous_page_uri: pageUri.nullable(),
    next_page_uri: pageUri.nullable(),
    uri: pageUri,
    page: z.number().int().min(0),
    page_size: z.number().int().min(1),
    start: z.number().int().min(0),
    end: z.number().int().min(0),
  })
  .meta({ id: 'ApiKeyList', description: 'A page of keys, oldest first, in the 2010-04-01 list shape.' });

const keyNotFound: ErrorCase = { code: 20404, when: 'no key with this `Sid` in the account.', message: 'The requested resource /Accounts/AC…/Keys/SK….json was not found' };
const invalid: ErrorCase = { code: 60200, when: '`FriendlyName` is over 64 characters.', message: 'Invalid parameter: FriendlyName (at most 64 characters)' };
const KEY_ERRORS: ErrorCase[] = [
  {
    code: 20003,
    when: 'also when the path names another account than the credentials\', or when the request authenticated with an API key: as on Twilio, only the account\'s auth token manages keys.',
    message: 'Authenticate',
  },
  ...API_ERRORS,
];

const common = { tag: 'API keys', caller: 'account' as const };

export const createKeySchema = operation({
  ...common,
  operationId: 'createApiKey',
  summary: 'Create an API key',
  description: 'Creates a standard API key. The answer carries its `secret` once; authenticate with HTTP Basic `SK…:secret` (the twilio client: `twilio(keySid, secret, { accountSid })`).',
  params: AccountPath,
  body: KeyParams,
  ok: { 201: { description: 'The new key, with its secret.', schema: NewApiKey } },
  errors: [invalid, ...BODY_ERRORS, ...KEY_ERRORS],
});

export const listKeysSchema = operation({
  ...common,
  operationId: 'listApiKeys',
  summary: 'List API keys',
  description: 'Lists the account\'s keys, oldest first (never their secrets).',
  params: AccountPath,
  querystring: PageQuery,
  ok: { 200: { description: 'A page of keys.', schema: ApiKeyList } },
  errors: [...PAGE_ERRORS, ...KEY_ERRORS],
});

export const fetchKeySchema = operation({
  ...common,
  operationId: 'fetchApiKey',
  summary: 'Fetch an API key',
  description: 'Fetches one key (without its secret).',
  params: KeyPath,
  ok: { 200: { description: 'The key.', schema: ApiKey } },
  errors: [keyNotFound, ...KEY_ERRORS],
});

export const updateKeySchema = operation({
  ...common,
  operationId: 'updateApiKey',
  summary: 'Update an API key',
  description: 'Renames a key; its secret stays the same.',
  params: KeyPath,
  body: KeyParams,
  ok: { 200: { description: 'The updated key.', schema: ApiKey } },
  errors: [invalid, keyNotFound, ...BODY_ERRORS, ...KEY_ERRORS],
});

export const deleteKeySchema = operation({
  ...common,
  operationId: 'deleteApiKey',
  summary: 'Delete (revoke) an API key',
  description: 'Deletes the key: requests with it fail with 20003 from the next one on, on every Verity node (keys are never cached).',
  params: KeyPath,
  ok: { 204: { description: 'Deleted (no body).' } },
  errors: [keyNotFound, ...KEY_ERRORS],
});
