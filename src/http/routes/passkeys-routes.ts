import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { MAX_PASSKEY_PAYLOAD } from '../../factors/passkeys/passkey-protocol.ts';
import { completeSignIn, createSignInOptions } from '../../factors/passkeys/passkey-sign-in.ts';
import { Params } from '../params.ts';
import { loadService } from './services-routes.ts';

type ServicePath = { Params: { serviceSid: string } };

/**
 * Verity extension: usernameless passkey sign-in (discoverable credentials). The application asks
 * for options, hands them to navigator.credentials.get(), and posts the response back; Verity
 * answers who signed in. See docs in the OpenAPI document.
 */
export function passkeysRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<ServicePath>('/v2/Services/:serviceSid/Passkeys/AuthenticationOptions', async (request, reply) => {
    const service = await loadService(ctx, request);
    return reply.status(201).send(await createSignInOptions(ctx, service));
  });

  app.post<ServicePath>('/v2/Services/:serviceSid/Passkeys/Authentications', async (request) => {
    const service = await loadService(ctx, request);
    return completeSignIn(ctx, service, new Params(request.body).string('AuthPayload', { max: MAX_PASSKEY_PAYLOAD }));
  });
}
