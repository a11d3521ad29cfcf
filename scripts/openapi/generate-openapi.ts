import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { loadVerityConfig } from '../../src/providers/registry.ts';
import { createContext } from '../../src/create-context.ts';
import { buildApp } from '../../src/http/build-app.ts';
import { bandwidthVoiceRoutes } from '../../src/providers/bandwidth/bandwidth-voice-routes.ts';
import { kannelDlrRoutes } from '../../src/providers/kannel/kannel-dlr-routes.ts';
import { plivoRoutes } from '../../src/providers/plivo/plivo-routes.ts';
import { snsNotificationRoutes } from '../../src/providers/sns/sns-notification-routes.ts';
import { telnyxRoutes } from '../../src/providers/telnyx/telnyx-routes.ts';
import { twilioStatusRoutes } from '../../src/providers/twilio/twilio-status-routes.ts';
import { twilioVoiceRoutes } from '../../src/providers/twilio/twilio-voice-routes.ts';
import { vonageDlrRoutes } from '../../src/providers/vonage/vonage-dlr-routes.ts';
import { whatsAppRoutes } from '../../src/providers/whatsapp/whatsapp-routes.ts';
import type { CallEvents } from '../../src/voice/voice-provider.ts';

/** The server URL written into the committed document (the default of a local `verity serve`). */
const SERVER_URL = 'http://127.0.0.1:4000';

export const DOCUMENT_PATH = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));
export const SDK_TYPES_PATH = fileURLToPath(new URL('../../packages/sdk/src/generated/api-types.ts', import.meta.url));

/**
 * The OpenAPI document @fastify/swagger generates from the routes' zod schemas, taken from a
 * booted app (development configuration, an empty SQLite database in a temporary folder). A
 * server has the webhooks of its one configured voice provider (the simulator here) and documents
 * those at /openapi.json; the committed document describes every provider's, so the other
 * carriers' webhook routes are registered too (never called: they only declare their schemas).
 */
export async function generateDocument(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'verity-openapi-'));
  try {
    const config = loadVerityConfig({ NODE_ENV: 'development', VERITY_DATA_DIR: dataDir, VERITY_PUBLIC_URL: SERVER_URL, VERITY_LOG_LEVEL: 'silent' });
    const ctx = await createContext(config);
    try {
      const { app } = await buildApp(ctx);
      const events = {} as CallEvents;
      await twilioVoiceRoutes(app, { logger: ctx.logger, authToken: 'documentation-only', publicUrl: SERVER_URL, events });
      await bandwidthVoiceRoutes(app, { logger: ctx.logger, callbackUsername: 'documentation', callbackPassword: 'documentation-only', publicUrl: SERVER_URL, events });
      await whatsAppRoutes(app, { instance: 'whatsapp', appSecret: 'documentation-only', verifyToken: 'documentation-only', logger: ctx.logger, deliveryStatus: ctx.messaging.recorder });
      await kannelDlrRoutes(app, { instance: 'kannel', key: Buffer.alloc(32), deliveryStatus: { report: async () => 'unknown' }, logger: ctx.logger });
      const documentationOnly = { logger: ctx.logger, deliveryStatus: { report: async () => 'unknown' as const } };
      // Any valid Ed25519 key (RFC 8032 §7.1 TEST 2's): the route is only declared, never called.
      await telnyxRoutes(app, { ...documentationOnly, instance: 'telnyx', publicKey: Buffer.from('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', 'hex'), clock: ctx.clock });
      await plivoRoutes(app, { ...documentationOnly, instance: 'plivo', authToken: 'documentation-only', publicUrl: SERVER_URL });
      await snsNotificationRoutes(app, { ...documentationOnly, instance: 'sns', topicArn: 'arn:aws:sns:us-east-1:123456789012:verity-sms-delivery', clock: ctx.clock });
      await twilioStatusRoutes(app, { instance: 'twilio', authToken: 'documentation-only', publicUrl: SERVER_URL, sink: documentationOnly.deliveryStatus, logger: ctx.logger });
      await vonageDlrRoutes(app, { instance: 'vonage', signature: { secret: 'documentation-only', method: 'sha256' }, sink: documentationOnly.deliveryStatus, clock: ctx.clock, logger: ctx.logger });
      await app.ready();
      const document = app.swagger() as unknown as Record<string, unknown>;
      await app.close();
      return document;
    } finally {
      await Promise.all(Object.values(ctx.providers).flatMap((p) => (p?.close ? [p.close()] : [])));
      await ctx.db.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The document as committed: stable two-space JSON with a final newline. */
export const documentText = (document: Record<string, unknown>): string => `${JSON.stringify(document, null, 2)}\n`;

/** The SDK's wire types, generated from the document by openapi-typescript. */
export async function generateSdkTypes(document: Record<string, unknown>): Promise<string> {
  // A default is what the server assumes when a request leaves a parameter out: the parameter stays optional.
  const ast = await openapiTS(document as never, { alphabetize: true, defaultNonNullable: false });
  return `// Generated by \`npm run openapi\` from docs/openapi.json (openapi-typescript); do not edit.\n\n${astToString(ast)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const document = await generateDocument();
  writeFileSync(DOCUMENT_PATH, documentText(document));
  writeFileSync(SDK_TYPES_PATH, await generateSdkTypes(document));
  console.log(`wrote ${DOCUMENT_PATH} and ${SDK_TYPES_PATH}`);
}
