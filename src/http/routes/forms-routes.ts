import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors/verity-error.ts';
import { FORM_TYPES, pushFormResource } from '../resources/push-form-resource.ts';
import { fetchFormSchema } from './forms-schema.ts';

/** Verify's Forms: `form-push`, a static description; any other type is unknown (20404). */
export function formsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/v2/Forms/:formType', { schema: fetchFormSchema }, async (request) => {
    const { formType } = request.params;
    if (!(FORM_TYPES as readonly string[]).includes(formType)) throw notFound(`/Forms/${formType}`);
    return pushFormResource(ctx.config.publicUrl);
  });
}
