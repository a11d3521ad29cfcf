import { z } from 'zod';
import { TEMPLATE_TEXT_MAX_LENGTH, BUILT_IN_VARIABLES, MAX_CUSTOM_VARIABLES, SUBSTITUTION_MAX_LENGTH } from '../../verify/templates/template-text.ts';
import { MAX_ACCOUNT_TEMPLATES } from '../../verify/templates/templates.ts';
import { TEMPLATE_CHANNELS } from '../../verify/templates/verify-template.ts';
import { FRIENDLY_NAME_MAX_LENGTH } from '../../services/friendly-name.ts';
import { API_ERRORS, BODY_ERRORS, PAGE_ERRORS, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { dateTime, extension, listOf, pathSid, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { PageQuery } from '../pagination.ts';

/**
 * Verify Templates: the texts a verification's SMS (and, in Verity, email) can be sent with.
 * Listing is the hosted API's; creating, fetching and deleting an account's own are Verity extensions.
 */

const TAG = 'Templates';

const Translation = z
  .object({
    text: z.string().meta({ description: 'The text, with `{{variable}}` placeholders.' }),
    locale: z.string().meta({ description: 'Its language (`en`, `pt-BR`).' }),
    status: z.enum(['approved']).meta({ description: 'Always `approved`: Verity has no review queue (an account approves its own texts by creating them).' }),
    date_created: dateTime('Creation time,'),
    date_updated: dateTime('Last change,'),
  })
  .meta({ id: 'TemplateTranslation' });

const Template = z
  .object({
    sid: sid('HJ', 'Template SID.'),
    account_sid: sid('AC', 'The account that created it; for a built-in template, the account that lists it.'),
    friendly_name: z.string().meta({ description: 'Its name (the `FriendlyName` filter matches it exactly).' }),
    channels: z.array(z.enum(TEMPLATE_CHANNELS)).meta({ description: 'Channels it is written for. Verity renders templates into SMS and email; call and whatsapp send the built-in text.' }),
    translations: z.record(z.string(), Translation).meta({ description: 'Its texts by language.' }),
    built_in: extension(z.boolean(), 'True for Verity\'s pre-approved templates (every account lists them; they cannot be deleted).'),
  })
  .meta({ id: 'Template', description: 'A Verify Template.' });

const TemplateList = listOf('templates', Template, 'TemplateList', 'A page of templates: the built-in ones first, then the account\'s, oldest first.');

const TemplateListQuery = field.fields({
  ...PageQuery.out.shape,
  FriendlyName: field.string({ max: 64 }).meta({ description: 'Only templates with exactly this friendly name.' }),
});

const variables = `Verity fills ${BUILT_IN_VARIABLES.map((v) => `\`{{${v}}}\``).join(', ')}; any other name (letters, digits, \`_\`; at most ${MAX_CUSTOM_VARIABLES}) is a custom variable each verification gives in \`TemplateCustomSubstitutions\` (values at most ${SUBSTITUTION_MAX_LENGTH} characters, without links, markup or line breaks).`;

const TemplateCreateParams = field
  .fields({
    FriendlyName: field.string({ max: FRIENDLY_NAME_MAX_LENGTH }).meta({ description: 'Its name; the rules of a service FriendlyName apply (no links, markup, control characters). Required.' }),
    Channels: field.commaList().meta({ description: `Channels it is for: a subset of ${TEMPLATE_CHANNELS.join(', ')} (comma-separated or repeated; default sms).` }),
    Translations: field.jsonObject(16_384).meta({
      description: `JSON object of language tag → text, e.g. \`{"en":"Your {{friendly_name}} code is {{code}}","de":"…"}\`. Each text: at most ${TEMPLATE_TEXT_MAX_LENGTH} characters, must contain \`{{code}}\`, no control characters or markup, and no links unless VERITY_TEMPLATE_LINKS. ${variables} Required.`,
    }),
  })
  .meta({ id: 'TemplateCreateParams', required: ['FriendlyName', 'Translations'] });

const TemplatePath = z.object({ templateSid: pathSid('HJ', 'Template SID (`HJ` + 32 hex).') });

const notFound: ErrorCase = { code: 20404, when: 'no template of the account (or built-in) has this SID; built-in templates cannot be deleted.', message: 'The requested resource /Templates/HJ0123456789abcdef0123456789abcdef was not found' };

export const listTemplatesSchema = operation({
  operationId: 'listTemplates',
  tag: TAG,
  summary: 'List templates',
  description: 'Lists the templates the account can use: Verity\'s built-in ones (its counterparts of Twilio\'s pre-approved templates, the same SIDs on every Verity) and the account\'s own.',
  caller: 'account',
  querystring: TemplateListQuery,
  ok: { 200: { description: 'A page of templates.', schema: TemplateList } },
  errors: [...PAGE_ERRORS, ...API_ERRORS],
});

export const createTemplateSchema = operation({
  operationId: 'createTemplate',
  tag: TAG,
  summary: 'Create a template (Verity extension)',
  description: `Creates an account template, usable at once as \`TemplateSid\`, in \`Templates\` or as a service's \`DefaultTemplateSid\` (Twilio creates custom templates through its support and reviews them; here whoever holds the account's credentials approves them). At most ${MAX_ACCOUNT_TEMPLATES} per account.`,
  caller: 'account',
  body: TemplateCreateParams,
  ok: { 201: { description: 'The new template.', schema: Template } },
  errors: [
    { code: 60200, when: 'FriendlyName missing or unsafe, Channels outside the list, Translations missing, not a JSON object of texts, a text without {{code}}, too long, with control characters, markup, malformed placeholders, too many custom variables or (without VERITY_TEMPLATE_LINKS) a link; or the account has its maximum of templates.', message: 'Invalid parameter: Translations (en: must contain the {{code}} placeholder)' },
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const fetchTemplateSchema = operation({
  operationId: 'fetchTemplate',
  tag: TAG,
  summary: 'Fetch a template (Verity extension)',
  description: 'Fetches a built-in template or one of the account\'s.',
  caller: 'account',
  params: TemplatePath,
  ok: { 200: { description: 'The template.', schema: Template } },
  errors: [notFound, ...API_ERRORS],
});

export const deleteTemplateSchema = operation({
  operationId: 'deleteTemplate',
  tag: TAG,
  summary: 'Delete a template (Verity extension)',
  description: 'Deletes one of the account\'s templates. Services whose DefaultTemplateSid names it fall back to the built-in text; verifications naming it get 60228.',
  caller: 'account',
  params: TemplatePath,
  ok: { 204: { description: 'Deleted.' } },
  errors: [notFound, ...API_ERRORS],
});
