import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { whatsAppSignature } from '../../src/providers/whatsapp/whatsapp-signature.ts';
import { startFakeCarrier, type FakeCarrier } from './fake-carrier.ts';

export const WHATSAPP_ACCESS_TOKEN = 'EAAtest-access-token-0123456789';
export const WHATSAPP_PHONE_NUMBER_ID = '106540352242922';
export const WHATSAPP_APP_SECRET = 'test-app-secret-0123456789abcdef';
export const WHATSAPP_VERIFY_TOKEN = 'test-verify-token-0123456789';
export const WHATSAPP_TEMPLATE = 'verity_code';
export const WHATSAPP_API_VERSION = 'v23.0';
/** The languages the fake has the template approved in. */
export const WHATSAPP_LANGUAGES = ['en_US', 'fr', 'pt_BR'];
const WABA_ID = '102290129340398';

/** One template message the fake accepted: whom it went to, in which language, with which code. */
export interface WhatsAppRequest {
  to: string;
  template: string;
  language: string;
  /** The body's parameter and the copy-code button's: the fake refuses a request where they differ. */
  code: string;
  id: string;
}

/** `throttle`: Meta's 130429 (Cloud API throughput reached); `server-error`: 131000 (something went wrong, maybe after accepting it). */
export type WhatsAppBehaviour = 'accept' | 'throttle' | 'pair-rate-limit' | 'server-error' | 'hang';

export type FakeWhatsApp = FakeCarrier<WhatsAppRequest, WhatsAppBehaviour>;

/** Meta's Graph API error body. */
function metaError(res: ServerResponse, status: number, code: number, message: string, type = 'OAuthException'): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type, code, error_data: { messaging_product: 'whatsapp', details: message }, fbtrace_id: randomBytes(8).toString('base64url') } }));
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The code in a component's one text parameter, or undefined. */
function textParameter(component: Json | undefined): string | undefined {
  const parameters = component?.['parameters'];
  if (!Array.isArray(parameters) || parameters.length !== 1 || !isObject(parameters[0]) || parameters[0]['type'] !== 'text') return undefined;
  const text = parameters[0]['text'];
  return typeof text === 'string' ? text : undefined;
}

/**
 * A local stand-in for Meta's WhatsApp Cloud API, for the part Verity uses: sending an
 * authentication template (`POST /<version>/<phone-number-id>/messages`, Bearer token), validated
 * as Meta validates it (the template exists in that language, one body parameter, the copy-code
 * button's URL parameter equal to it, a code of at most 15 characters), answering
 * `messages[0].id` as a `wamid.…`, and Meta's error bodies.
 */
export async function startFakeWhatsApp(): Promise<FakeWhatsApp> {
  function answer(fake: FakeWhatsApp, req: IncomingMessage, body: string, res: ServerResponse): void {
    if (req.headers.authorization !== `Bearer ${WHATSAPP_ACCESS_TOKEN}`) return metaError(res, 401, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (req.method !== 'POST' || req.url !== `/${WHATSAPP_API_VERSION}/${WHATSAPP_PHONE_NUMBER_ID}/messages`) return metaError(res, 400, 100, 'Unsupported post request.', 'GraphMethodException');
    if (req.headers['content-type']?.split(';')[0] !== 'application/json') return metaError(res, 400, 100, 'Invalid parameter');
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return metaError(res, 400, 100, 'Invalid parameter');
    }
    if (!isObject(json) || json['messaging_product'] !== 'whatsapp') return metaError(res, 400, 100, 'The parameter messaging_product is required.');
    const to = json['to'];
    if (typeof to !== 'string' || !/^\+?[1-9][0-9]{6,14}$/.test(to)) return metaError(res, 400, 100, 'Invalid parameter: to');
    const template = json['template'];
    if (json['type'] !== 'template' || !isObject(template)) return metaError(res, 400, 100, 'Invalid parameter: type');
    const language = isObject(template['language']) ? template['language']['code'] : undefined;
    if (template['name'] !== WHATSAPP_TEMPLATE || typeof language !== 'string' || !WHATSAPP_LANGUAGES.includes(language)) {
      return metaError(res, 404, 132001, 'Template name does not exist in the translation');
    }
    const components = Array.isArray(template['components']) ? template['components'].filter(isObject) : [];
    const bodyCode = textParameter(components.find((c) => c['type'] === 'body'));
    const button = components.find((c) => c['type'] === 'button');
    const buttonCode = button?.['sub_type'] === 'url' && button['index'] === '0' ? textParameter(button) : undefined;
    if (bodyCode === undefined || buttonCode === undefined) return metaError(res, 400, 132000, 'Number of parameters does not match the expected number of params');
    if (bodyCode !== buttonCode || bodyCode.length > 15) return metaError(res, 400, 132018, 'There was an issue with the parameters in your template.');

    const id = `wamid.${Buffer.from(`${WABA_ID}${randomBytes(12).toString('hex')}`).toString('base64url')}`;
    fake.received.push({ to, template: WHATSAPP_TEMPLATE, language, code: bodyCode, id });
    if (fake.behaviour === 'hang') return; // never answers
    if (fake.behaviour === 'throttle') return metaError(res, 400, 130429, 'Rate limit hit');
    if (fake.behaviour === 'pair-rate-limit') return metaError(res, 400, 131056, '(Business Account, Consumer Account) pair rate limit hit');
    if (fake.behaviour === 'server-error') return metaError(res, 500, 131000, 'Something went wrong');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to.replace(/^\+/, '') }], messages: [{ id, message_status: 'accepted' }] }));
  }
  return startFakeCarrier(answer);
}

export type WhatsAppStatus = 'sent' | 'delivered' | 'read' | 'failed';

/**
 * A status notification as Meta posts it to the app's callback URL
 * (`entry[].changes[].value.statuses[]`, with `conversation` and `pricing`; `errors[]` when failed).
 */
export function statusNotification(id: string, status: WhatsAppStatus, options: { recipient?: string; timestamp?: number; errorCode?: number } = {}): Json {
  const recipient = (options.recipient ?? '+15551234567').replace(/^\+/, '');
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WABA_ID,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: WHATSAPP_PHONE_NUMBER_ID },
              statuses: [
                {
                  id,
                  status,
                  timestamp: String(options.timestamp ?? 1_767_225_600),
                  recipient_id: recipient,
                  ...(status === 'failed'
                    ? { errors: [{ code: options.errorCode ?? 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Message Undeliverable.' }, href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/' }] }
                    : {
                        conversation: { id: randomBytes(16).toString('hex'), origin: { type: 'authentication' } },
                        pricing: { billable: true, pricing_model: 'PMP', category: 'authentication', type: 'regular' },
                      }),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

/** The request Meta sends: the JSON body and its `X-Hub-Signature-256` made with `appSecret`. */
export function signedWebhook(body: Json | string, appSecret = WHATSAPP_APP_SECRET): { payload: string; headers: Record<string, string> } {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return { payload, headers: { 'content-type': 'application/json', 'x-hub-signature-256': whatsAppSignature(appSecret, payload) } };
}
