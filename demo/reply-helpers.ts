import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DemoContext } from './demo-context.ts';
import type { User } from './users/users-store.ts';

export const html = (reply: FastifyReply, body: string, status = 200): FastifyReply => reply.status(status).type('text/html; charset=utf-8').send(body);

/** The signed-in user of this request, or undefined. */
export function currentUser(ctx: DemoContext, request: FastifyRequest): User | undefined {
  const userId = request.demoSession.data.userId;
  return userId ? ctx.users.byId(userId) : undefined;
}
