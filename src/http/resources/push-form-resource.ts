/**
 * The Form resource of `GET /v2/Forms/form-push`: what a push SDK sends to enroll a factor and to
 * answer a challenge, as JSON Schema (draft 2020-12), as the hosted API describes its forms ("the
 * available forms are given in the standard JSON Schema format"; `form_meta` holds extra
 * information such as the format of `binding`). The content is Verity's own: it states the rules
 * the factor and challenge routes enforce (src/factors/push/).
 */
const FORMS = {
  create_factor: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Create a push factor',
    type: 'object',
    required: ['FriendlyName', 'FactorType', 'Binding.Alg', 'Binding.PublicKey'],
    properties: {
      FriendlyName: { type: 'string', minLength: 1, maxLength: 64 },
      FactorType: { type: 'string', const: 'push' },
      'Binding.Alg': { type: 'string', const: 'ES256' },
      'Binding.PublicKey': { type: 'string', contentEncoding: 'base64', description: 'DER SubjectPublicKeyInfo of the device\'s P-256 key' },
      'Config.AppId': { type: 'string', maxLength: 128 },
      'Config.NotificationPlatform': { type: 'string', enum: ['apn', 'fcm', 'none'] },
      'Config.NotificationToken': { type: 'string', minLength: 32, maxLength: 255 },
      'Config.SdkVersion': { type: 'string', maxLength: 32 },
    },
  },
  verify_factor: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Verify a push factor',
    type: 'object',
    required: ['AuthPayload'],
    properties: { AuthPayload: { type: 'string', description: 'A statement signed with the factor\'s key (ES256 JWT)' } },
  },
  update_challenge: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Answer a push challenge',
    type: 'object',
    required: ['AuthPayload'],
    properties: {
      AuthPayload: { type: 'string', description: 'The challenge\'s approval or denial signed with the factor\'s key (ES256 JWT)' },
      Metadata: { type: 'string', contentMediaType: 'application/json', description: 'A JSON object' },
    },
  },
};

const FORM_META = {
  binding: { alg: 'ES256', public_key_format: 'base64 DER SubjectPublicKeyInfo (P-256)' },
  auth_payload: { alg: 'ES256', format: 'compact JWS' },
};

/** The form types the hosted API has (`form-push` only). */
export const FORM_TYPES = ['form-push'] as const;

export function pushFormResource(baseUrl: string): Record<string, unknown> {
  return { form_type: 'form-push', forms: FORMS, form_meta: FORM_META, url: `${baseUrl}/v2/Forms/form-push` };
}
