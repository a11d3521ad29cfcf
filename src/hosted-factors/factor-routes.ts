import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { passkeyRoutes } from './passkey/passkey-routes.ts';
import { phoneRoutes } from './phone/phone-routes.ts';
import { pushRoutes } from './push/push-routes.ts';
import { recoveryCodeRoutes } from './recovery-code/recovery-code-routes.ts';
import { totpRoutes } from './totp/totp-routes.ts';
import { voiceprintRoutes } from './voiceprint/voiceprint-routes.ts';

/** A hosted factor's HTTP routes: its forms, its scripts' endpoints, its browser files. */
type FactorRoutes = (app: FastifyInstance, ctx: AppContext) => void | Promise<void>;

/**
 * Each hosted factor's routes, by its id in registry.ts (factor-routes.test.ts checks that every
 * registered factor has them), mounted by the hosted pages (http/routes/handoff-routes.ts). A table
 * apart from registry.ts: routes import their flows, and the flows import the chooser, which reads
 * the registry; the registry of plug-in records imports no flow, so the graph stays acyclic.
 */
export const FACTOR_ROUTES: Readonly<Record<string, FactorRoutes>> = {
  totp: totpRoutes,
  push: pushRoutes,
  voiceprint: voiceprintRoutes,
  passkey: passkeyRoutes,
  phone: phoneRoutes,
  recovery_code: recoveryCodeRoutes,
};
