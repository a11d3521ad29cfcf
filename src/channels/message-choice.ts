import type { Logger } from 'pino';
import { VerityError, invalidParameter } from '../errors/verity-error.ts';
import type { ServiceRow } from '../store/schema.ts';
import type { StoreSet } from '../store/store-set.ts';
import type { VerificationChannel } from '../verify/destination.ts';
import { chooseTemplate, type TemplateRequest } from '../verify/templates/choose-template.ts';
import { customVariables, fillTemplate, templateTextProblem } from '../verify/templates/template-text.ts';
import { looksLikeLink } from '../services/friendly-name.ts';
import type { TemplateChannel } from '../verify/templates/verify-template.ts';
import { appHashOf } from './app-hash.ts';
import { emailChannelConfiguration, type EmailSender } from './email-sender.ts';

/** The message parameters of a verification create, as the wire gives them (JSON ones still strings). */
export interface MessageParameters {
  customMessage?: string | undefined;
  appHash?: string | undefined;
  channelConfiguration?: string | undefined;
  templateSid?: string | undefined;
  templateCustomSubstitutions?: string | undefined;
  templates?: string | undefined;
  /** `CustomFriendlyName`: the name `{{friendly_name}}` is filled with instead of the service's. */
  customFriendlyName?: string | undefined;
  /** `CustomCode`: the code `{{code}}` is filled with (letters may spell a top-level domain). */
  customCode?: string | undefined;
}

/** What a send's message is made of, beyond the built-in text. */
export interface MessageChoice {
  /** A text replacing the built-in message (a template's translation or a CustomMessage) and the values of its custom variables. */
  text?: { text: string; locale: string | null; substitutions: Readonly<Record<string, string>> };
  /** SMS: the Android SMS Retriever hash the message ends with. */
  appHash?: string;
  /** Email: the From the verification's ChannelConfiguration asks for. */
  emailSender?: EmailSender;
}

type MessageChoiceDeps = { stores: Pick<StoreSet, 'templates'>; config: { emailFrom: string; emailAllowedFrom: readonly string[]; templateLinks: boolean }; logger: Pick<Logger, 'info'> };

/** Templates are written for `voice`; a verification says `call`. A flash call has no message. */
const TEMPLATE_CHANNEL: Readonly<Record<VerificationChannel, TemplateChannel | null>> = { sms: 'sms', call: 'voice', email: 'email', whatsapp: 'whatsapp', flashcall: null };

/** The service's `CustomMessageEnabled` (a Verity extension, stored with its other settings). */
const customMessagesEnabled = (service: ServiceRow): boolean => service.extras.CustomMessageEnabled === true;

/**
 * Checks a verification's message parameters before anything is spent, and says what its message is
 * made of. Precedence: `CustomMessage` (only where the service enables it, 60243 otherwise), then
 * `Templates`, `TemplateSid` (for email also ChannelConfiguration's `template_id`), the service's
 * `DefaultTemplateSid`, and last the built-in message. Verity renders templates into SMS and email;
 * a call speaks, and WhatsApp sends Meta's fixed authentication template, so for those the template is
 * checked (unknown → 60228, missing values → 60224) but the built-in text is sent (logged).
 */
export async function chooseMessage(deps: MessageChoiceDeps, service: ServiceRow, channel: VerificationChannel, locale: string | null | undefined, params: MessageParameters): Promise<MessageChoice> {
  const choice: MessageChoice = {};
  const appHash = appHashOf(params.appHash);
  if (appHash !== undefined && channel === 'sms') choice.appHash = appHash;
  const templateChannel = TEMPLATE_CHANNEL[channel];
  if (templateChannel === null) return choice;

  let request: TemplateRequest = { templateSid: params.templateSid, templateCustomSubstitutions: params.templateCustomSubstitutions, templates: params.templates, defaultTemplateSid: defaultTemplateSid(service) };
  if (channel === 'email') {
    const email = emailChannelConfiguration(params.channelConfiguration, { defaultFrom: deps.config.emailFrom, allowedFrom: deps.config.emailAllowedFrom });
    if (email.sender) choice.emailSender = email.sender;
    if (email.templateSid !== undefined) request = { ...request, templates: undefined, templateSid: email.templateSid };
    if (email.substitutions !== undefined) request = { ...request, templateCustomSubstitutions: JSON.stringify(email.substitutions) };
  }

  if (params.customMessage !== undefined) {
    if (!customMessagesEnabled(service)) throw new VerityError(60243, 'Custom messages are not supported: the service does not enable CustomMessageEnabled; use a template instead');
    const problem = templateTextProblem(params.customMessage, { allowLinks: deps.config.templateLinks });
    if (problem) throw invalidParameter('CustomMessage', problem);
    const custom = customVariables(params.customMessage);
    if (custom.length) throw invalidParameter('CustomMessage', `only {{code}}, {{friendly_name}}, {{ttl_minutes}}, {{amount}} and {{payee}} may be used, not {{${custom[0] ?? ''}}}`);
    if (channel === 'sms' || channel === 'email') choice.text = { text: params.customMessage, locale: locale ?? null, substitutions: {} };
    refuseAssembledLink(deps, service, params, choice, 'CustomMessage');
    return choice;
  }

  const chosen = await chooseTemplate(deps, service.account_sid, request, templateChannel, locale);
  if (chosen && (channel === 'sms' || channel === 'email')) choice.text = { text: chosen.text, locale: chosen.locale, substitutions: chosen.substitutions };
  else if (chosen) deps.logger.info({ serviceSid: service.sid, templateSid: chosen.sid, channel }, 'template checked; the built-in text is sent on this channel');
  refuseAssembledLink(deps, service, params, choice, 'TemplateCustomSubstitutions');
  return choice;
}

/**
 * Without VERITY_TEMPLATE_LINKS, the message as it will be sent must hold no link either: each part
 * passes on its own (the text without its placeholders, every substitution, the friendly name), yet
 * side by side they can spell one (`{{a}}{{b}}` with `bit` and `.ly/x`, `acme{{a}}` with `.evil/login`,
 * `https{{a}}` with `://x`, `evil.{{code}}` with CustomCode `live`). Without CustomCode the code is digits; Amount and Payee are left out (a payee named like
 * a domain, `Amazon.com`, is allowed and shown as the application gives it).
 */
function refuseAssembledLink(deps: MessageChoiceDeps, service: ServiceRow, params: MessageParameters, choice: MessageChoice, parameter: string): void {
  if (deps.config.templateLinks || !choice.text) return;
  const filled = fillTemplate(choice.text.text, { ...choice.text.substitutions, code: params.customCode ?? '000000', friendly_name: params.customFriendlyName ?? service.friendly_name, ttl_minutes: '10', amount: ' ', payee: ' ' });
  if (looksLikeLink(filled.normalize('NFKC'))) throw invalidParameter(parameter, 'the message would contain a link or domain name once its variables are filled (VERITY_TEMPLATE_LINKS)');
}

function defaultTemplateSid(service: ServiceRow): string | null {
  const sid = service.extras.DefaultTemplateSid;
  return typeof sid === 'string' && sid !== '' ? sid : null;
}
