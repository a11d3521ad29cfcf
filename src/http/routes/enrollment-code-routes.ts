import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { VerityError } from '../../errors/verity-error.ts';
import { ENROLLMENT_CODES_PATH, redeemEnrollmentCode } from '../../factors/push/enrollment-codes.ts';
import { rateLimitKeyOf } from '../client-address.ts';
import { redeemEnrollmentCodeSchema } from './enrollment-codes-schema.ts';

/**
 * `POST /device/v1/EnrollmentCodes/{Code}` (docs/push.md): the QR code of the enrollment hub's push
 * card. No authentication: the code is the credential. Besides the device API's per-IP bucket
 * (hosted-rate-limits.ts), a code that is not redeemed spends the client IP's bucket of failed
 * authentications (VERITY_RATE_AUTH_FAILURES_*, in the shared rate-limit store, so every Verity
 * process counts together), and an IP that emptied it is refused before any lookup. The token is
 * taken up front and given back when the code was good, so concurrent guesses cannot overdraw it.
 */
export function enrollmentCodeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(`${ENROLLMENT_CODES_PATH}/:code`, { schema: redeemEnrollmentCodeSchema }, async (request, reply) => {
    const limit = ctx.config.rateLimits.authFailures;
    const policy = { capacity: limit.burst, refillPerSecond: limit.perSecond };
    const key = `authfail:${rateLimitKeyOf(request.ip)}`;
    const taken = await ctx.stores.rateLimits.take(key, policy, ctx.clock.now());
    if (!taken.allowed) {
      ctx.metrics.rateLimited.inc({ limit: 'enrollment_code_failures' });
      throw new VerityError(20429, 'Too many requests', { retryAfterSeconds: taken.retryAfterSeconds });
    }
    const token = await redeemEnrollmentCode(ctx, request.params.code);
    await ctx.stores.rateLimits.giveBack(key, policy, 1);
    // The token is a credential: no cache along the way may keep it.
    void reply.header('Cache-Control', 'no-store');
    return { enrollment_token: token };
  });
}
