import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { VerityError, invalidParameter, notFound } from '../../errors/verity-error.ts';
import { openEventStream } from '../../http/event-stream.ts';
import { parseDestination } from '../../verify/destination.ts';
import { type SimulatorPhoneNetwork, SimulatorPhoneError } from './phone-network.ts';
import {
  callActionSchemas,
  fetchSimulatorPhoneCallSchema,
  fetchSimulatorPromptAudioSchema,
  listSimulatorPhoneCallsSchema,
  pressSimulatorPhoneKeysSchema,
  setSimulatorPhoneBusySchema,
  speakToSimulatorPhoneCallSchema,
  streamSimulatorPhoneSchema,
} from './simulator-schema.ts';

/** What the simulated phone may upload as speech. */
const MAX_SPEECH_BYTES = 5 * 1024 * 1024;
const WAV_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave'];

function normalise(number: string): string {
  let destination;
  try {
    destination = parseDestination(number, 'number');
  } catch {
    throw invalidParameter('number', 'expected an E.164 phone number such as +14155552671');
  }
  if (destination.kind !== 'phone') throw invalidParameter('number', 'expected an E.164 phone number such as +14155552671');
  return destination.address;
}

/** The phone number in the path is checked before the body (preValidation): its error comes first. */
async function numberFirst(request: FastifyRequest): Promise<void> {
  normalise((request.params as { number: string }).number);
}

function pathOf(url: string): string {
  return url.split('?')[0] ?? url;
}

/** Maps the network's refusals onto the API's errors: 404 for an unknown call, 400 (60306) for an action that does not fit the call's state. */
async function act<T>(path: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof SimulatorPhoneError)) throw error;
    if (error.kind === 'unknown-call') throw notFound(path);
    if (error.kind === 'invalid-input') throw new VerityError(60200, `Invalid parameter: ${error.message}`);
    throw new VerityError(60306, `Invalid Request: ${error.message}`);
  }
}

/**
 * The simulated phones (development only; registered only when the simulator voice provider is
 * enabled, which production refuses). No authentication, like the simulator inboxes: whoever can
 * reach them plays the phone, and prompts (and their audio) contain the codes.
 *
 * Actions answer with the call after the action and the engine's answer to it, so `answer`
 * shows the first prompts and `waiting_for`.
 */
export async function simulatorPhoneRoutes(app: FastifyInstance, ctx: AppContext, network: SimulatorPhoneNetwork): Promise<void> {
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(WAV_TYPES, { parseAs: 'buffer', bodyLimit: MAX_SPEECH_BYTES }, (_request, body, done) => done(null, body));

    scope.get('/sim/v1/phones/:number/calls', { schema: listSimulatorPhoneCallsSchema }, async (request) => {
      return { calls: network.calls(normalise(request.params.number)) };
    });

    scope.get('/sim/v1/phones/:number/calls/:sid', { schema: fetchSimulatorPhoneCallSchema }, async (request) => {
      const { number, sid } = request.params;
      return act(pathOf(request.url), async () => network.call(normalise(number), sid));
    });

    for (const action of ['answer', 'reject', 'hangup'] as const) {
      scope.post(`/sim/v1/phones/:number/calls/:sid/${action}`, { schema: callActionSchemas[action] }, async (request) => {
        const number = normalise(request.params.number);
        const { sid } = request.params;
        return act(pathOf(request.url), () =>
          action === 'answer' ? network.answer(number, sid) : action === 'reject' ? network.reject(number, sid) : network.calleeHangup(number, sid),
        );
      });
    }

    scope.post('/sim/v1/phones/:number/calls/:sid/dtmf', { schema: pressSimulatorPhoneKeysSchema, preValidation: numberFirst }, async (request) => {
      const number = normalise(request.params.number);
      const { digits } = request.body;
      return act(pathOf(request.url), () => network.dtmf(number, request.params.sid, digits));
    });

    scope.post('/sim/v1/phones/:number/calls/:sid/speak', { schema: speakToSimulatorPhoneCallSchema }, async (request) => {
      const number = normalise(request.params.number);
      if (!Buffer.isBuffer(request.body)) {
        throw new VerityError(20001, 'Unsupported Content-Type: send the speech as audio/wav', { status: 415 });
      }
      const wav = request.body;
      return act(pathOf(request.url), () => network.speak(number, request.params.sid, wav));
    });

    scope.post('/sim/v1/phones/:number/busy', { schema: setSimulatorPhoneBusySchema, preValidation: numberFirst }, async (request) => {
      const number = normalise(request.params.number);
      const { busy } = request.body;
      if (busy === undefined) throw invalidParameter('busy', 'required: true or false');
      network.setBusy(number, busy);
      return { number, busy: network.isBusy(number) };
    });

    scope.get('/sim/v1/phones/:number/stream', { schema: streamSimulatorPhoneSchema, config: { eventStream: true } }, async (request, reply) => {
      const number = normalise(request.params.number);
      const stream = openEventStream(ctx, request, reply);
      stream.onClose(network.subscribe(number, (call) => stream.send('call', call)));
    });

    scope.get('/sim/v1/audio/:file', { schema: fetchSimulatorPromptAudioSchema }, async (request, reply) => {
      const id = /^([0-9a-f]{32})\.wav$/.exec(request.params.file)?.[1];
      const wav = id === undefined ? undefined : await network.promptAudio(id);
      if (!wav) throw notFound(pathOf(request.url));
      return reply.header('Content-Type', 'audio/wav').header('Cache-Control', 'no-store').send(wav);
    });
  });
}
