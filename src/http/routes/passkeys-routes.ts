import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { completeSignIn, createSignInOptions } from '../../factors/passkeys/passkey-sign-in.ts';
import { createPasskeyAuthenticationOptionsSchema, createPasskeyAuthenticationSchema } from './passkeys-schema.ts';
import { loadService, serviceFirst } from './services-routes.ts';

/**
 * Verity extension: usernameless passkey sign-in (discoverable credentials). The application asks
 * for options, hands them to navigator.credentials.get(), and posts the response back; Verity
 * answers who signed in (passkeys-schema.ts).
 */
export function passkeysRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/v2/Services/:serviceSid/Passkeys/AuthenticationOptions', { schema: createPasskeyAuthenticationOptionsSchema, preValidation: serviceFirst(ctx) }, async (request, reply) => {
    const service = await loadService(ctx, request);
    return reply.status(201).send(await createSignInOptions(ctx, service));
  });

  api.post('/v2/Services/:serviceSid/Passkeys/Authentications', { schema: createPasskeyAuthenticationSchema, preValidation: serviceFirst(ctx) }, async (request) => {
    const service = await loadService(ctx, request);
    return completeSignIn(ctx, service, request.body.AuthPayload);
  });
}
