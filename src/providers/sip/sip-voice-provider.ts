import { networkInterfaces } from 'node:os';
import { DeliveryError } from '../provider.ts';
import type { PlaceCallRequest, VoiceProvider, CallEvents } from '../../voice/voice-provider.ts';
import { openMediaSession } from './media/rtp-media-session.ts';
import type { RenderPrompt } from './media/instruction-player.ts';
import type { MediaSession } from './media/media-session.ts';
import type { SipSettings } from './sip-settings.ts';
import { SipCall } from './sip-call.ts';
import { startSipUserAgent } from './signalling/sip-user-agent.ts';
import type { SipLogger, SipUserAgent } from './signalling/sip-signalling.ts';

export interface SipVoiceProviderOptions {
  settings: SipSettings;
  /** Where calls report (the call router). */
  events: () => CallEvents;
  /** Prompts as 8 kHz audio (espeak-ng through src/audio/prompt-audio.ts). */
  render: RenderPrompt;
  logger: SipLogger;
  /** The User-Agent header. */
  userAgent: string;
}

/**
 * Verity as a SIP user agent: each call is an INVITE through the configured trunk or proxy, its
 * audio an RTP stream Verity sends and hears itself, and its conversation the same CallInstructions
 * the simulated phone and the CPaaS providers run (sip-call.ts). The user agent starts at boot (the
 * plug-in's onReady; REGISTER when configured) or at the first call, and hangs up every live call
 * when the server stops.
 */
export class SipVoiceProvider implements VoiceProvider {
  readonly name = 'sip';
  private userAgent: Promise<SipUserAgent> | undefined;
  private readonly calls = new Map<string, SipCall>();
  private readonly publicAddress: string;

  constructor(private readonly options: SipVoiceProviderOptions) {
    this.publicAddress = options.settings.publicAddress ?? defaultPublicAddress(options.settings.listen.address);
  }

  /** Opens the SIP socket (and registers); the same promise for every caller. */
  start(): Promise<SipUserAgent> {
    const { settings, logger, userAgent } = this.options;
    if (this.userAgent) return this.userAgent;
    const starting = startSipUserAgent({
      proxy: settings.proxy,
      domain: settings.domain,
      ...(settings.credentials ? { credentials: settings.credentials } : {}),
      ...(settings.register ? { register: settings.register } : {}),
      listen: settings.listen,
      publicAddress: this.publicAddress,
      ...(settings.tls ? { tls: settings.tls } : {}),
      userAgent,
      logger,
    });
    this.userAgent = starting;
    // A failed start is retried by the next call rather than remembered.
    starting.catch(() => {
      if (this.userAgent === starting) this.userAgent = undefined;
    });
    return starting;
  }

  async placeCall(request: PlaceCallRequest): Promise<{ providerCallId: string }> {
    const { settings, logger } = this.options;
    let userAgent: SipUserAgent;
    try {
      userAgent = await this.start();
    } catch (error) {
      throw new DeliveryError(`the SIP user agent could not start: ${(error as Error).message}`, { retryable: true, cause: error });
    }
    let media: MediaSession;
    try {
      media = await openMediaSession({ bindAddress: settings.listen.address, publicAddress: this.publicAddress, portRange: settings.rtpPorts, codecs: settings.codecs, dtmf: settings.dtmf });
    } catch (error) {
      throw new DeliveryError(`no RTP port for the call's audio: ${(error as Error).message}`, { retryable: true, cause: error });
    }
    const call = new SipCall(request.callSid, media, {
      events: this.options.events,
      render: this.options.render,
      logger,
      maxCallMs: settings.maxCallSeconds * 1000,
      onFinished: (done) => {
        if (this.calls.get(done.sid) === done) this.calls.delete(done.sid);
      },
    });
    this.calls.set(request.callSid, call);
    const outgoing = userAgent.invite(
      {
        callSid: request.callSid,
        to: this.dialString(request.to),
        callerId: this.dialString(request.from),
        assertIdentity: settings.assertIdentity,
        sdpOffer: media.offer(),
      },
      {
        progress: (status, sdp) => call.progress(status, sdp),
        answered: (sdp) => call.answered(sdp),
        ended: (how, detail, status) => call.signalled(how, detail, status),
      },
    );
    call.started(outgoing, request.ringTimeoutSeconds * 1000);
    // Render what the call will say first while the phone rings, so the callee hears it at once.
    for (const prompt of request.openingPrompts ?? []) if (prompt.kind === 'say') void this.options.render(prompt.text, prompt.locale).catch(() => null);
    return { providerCallId: outgoing.id };
  }

  /** Verity no longer needs the call: CANCEL while it rings, BYE once answered; the end is reported as usual. */
  async hangup(callSid: string): Promise<void> {
    this.calls.get(callSid)?.hangUpByVerity();
  }

  /** A live call's audio and milestones (benchmarks, diagnostics); undefined once it has ended. */
  liveCall(callSid: string): Pick<SipCall, 'media' | 'timings'> | undefined {
    return this.calls.get(callSid);
  }

  /** Hangs up every live call and closes the SIP socket (unregistering first). */
  async close(): Promise<void> {
    for (const call of this.calls.values()) call.hangUpByVerity();
    const userAgent = this.userAgent;
    this.userAgent = undefined;
    if (userAgent) await (await userAgent.catch(() => undefined))?.close();
  }

  /** A number as the trunk wants it in a URI: `+14155550100`, or its digits alone. */
  private dialString(e164: string): string {
    return this.options.settings.numberFormat === 'digits' ? e164.replace(/^\+/, '') : e164;
  }
}

/** The listen address, or, listening on every interface, the first external IPv4 (else loopback). */
function defaultPublicAddress(listen: string): string {
  if (listen !== '0.0.0.0' && listen !== '::') return listen;
  for (const addresses of Object.values(networkInterfaces())) {
    const external = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (external) return external.address;
  }
  return '127.0.0.1';
}
