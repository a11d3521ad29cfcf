import { after, before, beforeEach } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { ManualClock } from '../../src/crypto/clock.ts';
import { installErrorHandling } from '../../src/http/error-handler.ts';
import { serializerCompiler, validatorCompiler } from '../../src/http/schema/validation.ts';
import type { DeliveryStatusReport } from '../../src/messaging/delivery-status.ts';
import { capturedLogger } from '../support/captured-logger.ts';
import { RecordingStatusSink } from './recording-status-sink.ts';

export interface ReceiptRoutesApp {
  sink: RecordingStatusSink;
  /** The reports the sink got since the test began, without its answers. */
  reported(): DeliveryStatusReport[];
  clock: ManualClock;
  logLines: Record<string, unknown>[];
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/**
 * A carrier's receipt routes alone on a Fastify app set up as buildApp sets it up (form bodies,
 * the error handler, zod validation and response checks), reporting to a RecordingStatusSink, with a
 * manual clock and a captured logger. Registers the suite's hooks: call it at the top of the file.
 */
export function receiptRoutesApp(register: (app: FastifyInstance, deps: { logger: Logger; clock: ManualClock; deliveryStatus: RecordingStatusSink }) => Promise<void>): ReceiptRoutesApp {
  const sink = new RecordingStatusSink();
  const clock = new ManualClock();
  const { logger, lines: logLines } = capturedLogger();
  let app: FastifyInstance | undefined;
  before(async () => {
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler({ mode: 'fail', violations: [] }));
    installErrorHandling(app, () => 'https://verity.example.com');
    app.removeContentTypeParser('text/plain');
    await app.register(formbody);
    await register(app, { logger, clock, deliveryStatus: sink });
    await app.ready();
  });
  after(async () => {
    await app?.close();
  });
  beforeEach(() => {
    sink.clear();
    logLines.length = 0;
  });
  return {
    sink,
    reported: () => sink.reports.map((r) => r.report),
    clock,
    logLines,
    inject: async (options) => {
      if (!app) throw new Error('receiptRoutesApp: inject before the suite started');
      return app.inject(options);
    },
  };
}
