import { after, before, beforeEach } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { capturedLogger } from './captured-logger.ts';
import { fakeCallEvents } from './fake-call-events.ts';

export interface VoiceRoutesApp {
  /** The scripted flow engine the routes report to; emptied before each test. */
  events: ReturnType<typeof fakeCallEvents>;
  /** The routes' log lines; emptied before each test. */
  logLines: Record<string, unknown>[];
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/**
 * A carrier's voice webhook routes alone on a Fastify app with form bodies, reporting to
 * `fakeCallEvents(knownCalls)` and logging to a captured logger. Registers the suite's
 * before/after/beforeEach hooks: call it at the top of the test file.
 */
export function voiceRoutesApp(
  knownCalls: readonly string[],
  register: (app: FastifyInstance, deps: { logger: Logger; events: ReturnType<typeof fakeCallEvents> }) => Promise<void>,
): VoiceRoutesApp {
  const events = fakeCallEvents(knownCalls);
  const { logger, lines: logLines } = capturedLogger();
  let app: FastifyInstance | undefined;
  before(async () => {
    app = Fastify();
    await app.register(formbody);
    await register(app, { logger, events });
    await app.ready();
  });
  after(async () => {
    await app?.close();
  });
  beforeEach(() => {
    events.reported.length = 0;
    logLines.length = 0;
  });
  return {
    events,
    logLines,
    inject: async (options) => {
      if (!app) throw new Error('voiceRoutesApp: inject before the suite started');
      return app.inject(options);
    },
  };
}
