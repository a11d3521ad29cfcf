import { z } from 'zod';
import { API_ERRORS } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl } from '../schema/resource-fields.ts';

const Form = z
  .object({
    form_type: z.enum(['form-push']).meta({ description: 'The form type.' }),
    forms: z.record(z.string(), z.unknown()).meta({ description: 'The forms of this type (`create_factor`, `verify_factor`, `update_challenge`), each a JSON Schema (draft 2020-12) of the parameters.' }),
    form_meta: z.record(z.string(), z.unknown()).meta({ description: 'What the forms do not say: the algorithm and format of `Binding.PublicKey` and of `AuthPayload`.' }),
    url: absoluteUrl('Absolute URL of the form.'),
  })
  .meta({ id: 'Form', description: 'What a push SDK sends to Verify, described as JSON Schema.' });

export const fetchFormSchema = operation({
  operationId: 'fetchForm',
  tag: 'Forms',
  summary: 'Fetch a form',
  description: 'The static description of the push forms (`form-push`, the only type); the same for every account.',
  caller: 'account',
  params: z.object({ formType: z.string().meta({ description: '`form-push`.' }) }),
  ok: { 200: { description: 'The form.', schema: Form } },
  errors: [{ code: 20404, when: 'a form type other than `form-push`.', message: 'The requested resource /Forms/form-sms was not found' }, ...API_ERRORS],
});
