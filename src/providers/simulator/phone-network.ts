import type { Clock } from '../../crypto/clock.ts';
import type { CallEvents, PlaceCallRequest, VoiceProvider } from '../../voice/voice-provider.ts';
import { DeliveryError } from '../provider.ts';
import type { PromptAudio } from '../../audio/prompt-audio.ts';
import { type ScheduleTimer, type SimCallView, type SimLogger, SimulatedCall, SimulatorPhoneError, realTimers } from './simulated-call.ts';

export { SimulatorPhoneError, type SimCallView, type ScheduleTimer } from './simulated-call.ts';

export interface SimulatorPhoneNetworkOptions {
  /** For timestamps only; waits use real timers (or `timers`). */
  clock: Clock;
  /** The engine; a getter because the engine is built after its providers. */
  events: () => CallEvents;
  /** Speech for the prompts (EspeakPromptAudio); without it prompts have no audio_url. */
  audio?: PromptAudio | undefined;
  logger?: SimLogger | undefined;
  /** Prefix of prompt audio URLs. Default `/sim/v1/audio/` (served by simulator-phone-routes). */
  audioBasePath?: string;
  /** Timer scheduling, injectable so tests need not wait. Default: unref'd setTimeout. */
  timers?: ScheduleTimer;
  /** An engine answer slower than this ends the call as failed. Default 15 000 ms. */
  eventTimeoutMs?: number;
  /**
   * Speaking rate (characters per second) that estimates how long a prompt without audio plays, so
   * gather/record timeouts start after it; a prompt with audio counts its real length. Default 10
   * (espeak-ng reads a spelled-out code at about that rate); Infinity for none.
   */
  speechCharsPerSecond?: number;
  /** Ended calls listed per phone. Default 50. */
  keepEndedCalls?: number;
  /** Phones remembered; the least recently called idle phones are forgotten first. Default 10 000. */
  maxPhones?: number;
}

interface Phone {
  /** Oldest first. */
  calls: SimulatedCall[];
  busy: boolean;
  listeners: Set<(call: SimCallView) => void>;
}

/**
 * A virtual phone network inside the Verity process: the default voice provider in development
 * and tests (production refuses it). Verity places calls to numbers; a person (the simulator UI)
 * or a test plays the phone through the actions below, which report to the engine through
 * CallEvents exactly as a carrier's webhooks would. See SimulatedCall for the ordering guarantees.
 *
 * @example
 * const network = new SimulatorPhoneNetwork({ clock: systemClock, events: () => engine });
 * await network.placeCall({ callSid, verificationSid, to: '+14155552671', from: '+15005550006', ringTimeoutSeconds: 30, flash: false });
 * let call = await network.answer('+14155552671', callSid); // call.prompts: what the engine said
 * call = await network.dtmf('+14155552671', callSid, '123456');
 */
export class SimulatorPhoneNetwork implements VoiceProvider {
  readonly name = 'simulator';
  private readonly options: SimulatorPhoneNetworkOptions;
  private readonly keepEndedCalls: number;
  private readonly maxPhones: number;
  /** By number, least recently called first. */
  private readonly phones = new Map<string, Phone>();
  private readonly bySid = new Map<string, SimulatedCall>();

  constructor(options: SimulatorPhoneNetworkOptions) {
    this.options = options;
    this.keepEndedCalls = options.keepEndedCalls ?? 50;
    this.maxPhones = options.maxPhones ?? 10_000;
  }

  async placeCall(request: PlaceCallRequest): Promise<{ providerCallId: string }> {
    if (this.bySid.has(request.callSid)) throw new DeliveryError(`call ${request.callSid} was already placed`, { retryable: false });
    const base = this.options.audioBasePath ?? '/sim/v1/audio/';
    const call = new SimulatedCall(
      {
        clock: this.options.clock,
        events: this.options.events,
        audio: this.options.audio,
        audioUrl: (id) => `${base}${id}.wav`,
        logger: this.options.logger,
        timers: this.options.timers ?? realTimers,
        eventTimeoutMs: this.options.eventTimeoutMs ?? 15_000,
        speechCharsPerSecond: this.options.speechCharsPerSecond ?? 10,
        onChange: (changed) => this.changed(changed),
      },
      { sid: request.callSid, from: request.from, to: request.to },
    );
    const phone = this.phoneForCall(request.to);
    phone.calls.push(call);
    this.bySid.set(call.sid, call);
    call.start(request.ringTimeoutSeconds, phone.busy);
    // A busy call has already announced its end.
    if (call.isActive) this.changed(call);
    return { providerCallId: providerCallId(request.callSid) };
  }

  /** Verity ends a call: `canceled` while ringing, else `completed`; reported through `ended`. Unknown or ended calls are ignored. */
  async hangup(callSid: string, _providerCallId: string): Promise<void> {
    this.bySid.get(callSid)?.hangupByVerity();
  }

  /** A phone's calls, newest first. */
  calls(number: string): SimCallView[] {
    return [...(this.phones.get(number)?.calls ?? [])].reverse().map((call) => call.view());
  }

  /** One call of a phone; throws SimulatorPhoneError `unknown-call`. */
  call(number: string, sid: string): SimCallView {
    return this.find(number, sid).view();
  }

  /** Picks up a ringing call; resolves after the engine's first instruction was played. */
  async answer(number: string, sid: string): Promise<SimCallView> {
    const call = this.find(number, sid);
    await call.answer();
    return call.view();
  }

  /** Declines a ringing call (`rejected`). */
  async reject(number: string, sid: string): Promise<SimCallView> {
    const call = this.find(number, sid);
    await call.reject();
    return call.view();
  }

  /** The phone hangs up: `completed` (or `rejected` while ringing). */
  async calleeHangup(number: string, sid: string): Promise<SimCallView> {
    const call = this.find(number, sid);
    await call.calleeHangup();
    return call.view();
  }

  /** Keypad digits (`0-9*#`, 1–32) for the waiting gather; resolves after the engine's answer, if the gather completed. */
  async dtmf(number: string, sid: string, digits: string): Promise<SimCallView> {
    const call = this.find(number, sid);
    await call.dtmf(digits);
    return call.view();
  }

  /** What the callee says (a 16-bit PCM WAV) for the waiting record step. */
  async speak(number: string, sid: string, wav: Buffer): Promise<SimCallView> {
    const call = this.find(number, sid);
    await call.speak(wav);
    return call.view();
  }

  /** While busy, every call placed to the number ends at once as `busy`. */
  setBusy(number: string, busy: boolean): void {
    const phone = this.phones.get(number);
    if (phone) phone.busy = busy;
    else if (busy) this.phoneForCall(number).busy = true;
  }

  isBusy(number: string): boolean {
    return this.phones.get(number)?.busy ?? false;
  }

  /** Calls `listener` with a call's view on every change of any call to `number`; returns the unsubscribe function. */
  subscribe(number: string, listener: (call: SimCallView) => void): () => void {
    const phone = this.phone(number);
    phone.listeners.add(listener);
    return () => phone.listeners.delete(listener);
  }

  /** The rendered WAV of a prompt (the id from its audio_url), if any. */
  async promptAudio(id: string): Promise<Buffer | undefined> {
    return this.options.audio?.get(id);
  }

  /** Resolves when no call has anything queued (for tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.bySid.values()].map((call) => call.idle()));
  }

  private find(number: string, sid: string): SimulatedCall {
    const call = this.bySid.get(sid);
    if (!call || call.to !== number) throw new SimulatorPhoneError('unknown-call', `No call ${sid} to ${number}`);
    return call;
  }

  private phone(number: string): Phone {
    let phone = this.phones.get(number);
    if (!phone) {
      phone = { calls: [], busy: false, listeners: new Set() };
      this.phones.set(number, phone);
      this.forgetIdlePhones(number);
    }
    return phone;
  }

  /** The phone, marked as the most recently called. */
  private phoneForCall(number: string): Phone {
    const phone = this.phone(number);
    this.phones.delete(number);
    this.phones.set(number, phone);
    return phone;
  }

  private changed(call: SimulatedCall): void {
    const phone = this.phones.get(call.to);
    if (!phone) return;
    if (!call.isActive) this.pruneEnded(phone);
    const view = call.view();
    for (const listener of phone.listeners) {
      try {
        listener(view);
      } catch {
        /* a broken stream must not break the call */
      }
    }
  }

  /** Keeps the newest `keepEndedCalls` ended calls of a phone; calls in progress always stay. */
  private pruneEnded(phone: Phone): void {
    let excess = phone.calls.filter((call) => !call.isActive).length - this.keepEndedCalls;
    if (excess <= 0) return;
    phone.calls = phone.calls.filter((call) => {
      if (excess > 0 && !call.isActive) {
        excess--;
        this.bySid.delete(call.sid);
        return false;
      }
      return true;
    });
  }

  /** Past maxPhones, forgets the least recently called phones that have no call in progress, no listener and are not busy. */
  private forgetIdlePhones(keep: string): void {
    if (this.phones.size <= this.maxPhones) return;
    for (const [number, phone] of this.phones) {
      if (this.phones.size <= this.maxPhones) break;
      if (number === keep || phone.busy || phone.listeners.size > 0 || phone.calls.some((call) => call.isActive)) continue;
      for (const call of phone.calls) this.bySid.delete(call.sid);
      this.phones.delete(number);
    }
  }
}

/** The simulator's id of a Verity call: `SIM` + the SID without its `CL` prefix. */
function providerCallId(callSid: string): string {
  return `SIM${callSid.slice(2)}`;
}
