import { z } from 'zod';
import { API_ERRORS, BODY_ERRORS, PAGE_ERRORS, SERVICE_NOT_FOUND, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl, dateTime, listOf, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { PageQuery } from '../pagination.ts';
import { ServicePath } from './services-schema.ts';

/**
 * Verify's MessagingConfigurations: per service and destination country (or `all`), which messaging
 * route its SMS go through. Twilio names a Messaging Service (`MG…`); Verity names one of the routes
 * of VERITY_MESSAGING_CONFIG by its `messagingServiceSid` (set in the file, or derived from the
 * route id), or by the route id itself.
 */

const TAG = 'Messaging Configurations';

const countryDescription = 'ISO 3166-1 alpha-2 country code of the destinations it applies to (`GB`), or `all` for every country without its own configuration.';
const routeDescription =
  'The route: a `messagingServiceSid` of a route of VERITY_MESSAGING_CONFIG (`MG` + 32 hex; set in the file or derived from its id, listed in the admin console) or, a Verity extension, the route\'s id. It must be an `sms` route.';

const MessagingConfigurationCreateParams = field
  .fields({
    Country: field.required({ max: 3 }).meta({ description: countryDescription }),
    MessagingServiceSid: field.required({ max: 64 }).meta({ description: routeDescription }),
  })
  .meta({ id: 'MessagingConfigurationCreateParams' });

const MessagingConfigurationUpdateParams = field
  .fields({ MessagingServiceSid: field.required({ max: 64 }).meta({ description: routeDescription }) })
  .meta({ id: 'MessagingConfigurationUpdateParams' });

const MessagingConfiguration = z
  .object({
    account_sid: sid('AC', 'Account SID.'),
    service_sid: sid('VA', 'Service SID.'),
    country: z.string().meta({ description: countryDescription }),
    messaging_service_sid: z.string().meta({ description: 'The `messagingServiceSid` of the route its SMS go through.' }),
    date_created: dateTime('Creation time,'),
    date_updated: dateTime('Last update,'),
    url: absoluteUrl('Absolute URL of this configuration.'),
  })
  .meta({ id: 'MessagingConfiguration', description: 'The messaging route a service\'s SMS to one country (or `all`) go through.' });

const MessagingConfigurationList = listOf('messaging_configurations', MessagingConfiguration, 'MessagingConfigurationList', 'A page of a service\'s messaging configurations, oldest first.');

const MessagingConfigurationPath = ServicePath.extend({ country: z.string().meta({ description: countryDescription }) });

const notFound: ErrorCase = { code: 20404, when: 'unknown service, or no configuration for this country in the service.', message: 'The requested resource /Services/VA…/MessagingConfigurations/GB was not found' };
const invalid: ErrorCase = {
  code: 60200,
  when: 'Country is not an ISO 3166-1 alpha-2 code or `all`, or the service already has a configuration for it (create); MessagingServiceSid names no `sms` route of this Verity.',
  message: 'Invalid parameter: MessagingServiceSid (no sms route of this Verity has it)',
};
const routingNote = 'A send to a number of that country (else `all`) goes through this route, before the routes of VERITY_MESSAGING_CONFIG are matched by service and prefix; every Verity node follows a change within 5 seconds.';

export const createMessagingConfigurationSchema = operation({
  operationId: 'createMessagingConfiguration',
  tag: TAG,
  summary: 'Create a messaging configuration',
  description: `Chooses the messaging route of the service's SMS to one country. ${routingNote}`,
  caller: 'account',
  params: ServicePath,
  body: MessagingConfigurationCreateParams,
  ok: { 201: { description: 'The new configuration.', schema: MessagingConfiguration } },
  errors: [invalid, SERVICE_NOT_FOUND, ...BODY_ERRORS, ...API_ERRORS],
});

export const listMessagingConfigurationsSchema = operation({
  operationId: 'listMessagingConfigurations',
  tag: TAG,
  summary: 'List messaging configurations',
  description: 'Lists the service\'s messaging configurations, oldest first.',
  caller: 'account',
  params: ServicePath,
  querystring: PageQuery,
  ok: { 200: { description: 'A page of messaging configurations.', schema: MessagingConfigurationList } },
  errors: [...PAGE_ERRORS, SERVICE_NOT_FOUND, ...API_ERRORS],
});

export const fetchMessagingConfigurationSchema = operation({
  operationId: 'fetchMessagingConfiguration',
  tag: TAG,
  summary: 'Fetch a messaging configuration',
  description: 'Fetches the service\'s configuration for one country (or `all`).',
  caller: 'account',
  params: MessagingConfigurationPath,
  ok: { 200: { description: 'The configuration.', schema: MessagingConfiguration } },
  errors: [notFound, ...API_ERRORS],
});

export const updateMessagingConfigurationSchema = operation({
  operationId: 'updateMessagingConfiguration',
  tag: TAG,
  summary: 'Update a messaging configuration',
  description: `Chooses another route for the country. ${routingNote}`,
  caller: 'account',
  params: MessagingConfigurationPath,
  body: MessagingConfigurationUpdateParams,
  ok: { 200: { description: 'The updated configuration.', schema: MessagingConfiguration } },
  errors: [invalid, notFound, ...BODY_ERRORS, ...API_ERRORS],
});

export const deleteMessagingConfigurationSchema = operation({
  operationId: 'deleteMessagingConfiguration',
  tag: TAG,
  summary: 'Delete a messaging configuration',
  description: 'The country\'s SMS go through the routes of VERITY_MESSAGING_CONFIG again (or the service\'s `all` configuration).',
  caller: 'account',
  params: MessagingConfigurationPath,
  ok: { 204: { description: 'Deleted (no body).' } },
  errors: [notFound, ...API_ERRORS],
});
