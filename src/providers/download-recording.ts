/**
 * Downloads a call recording from a voice provider's REST API with the account's credentials.
 * Shared by the Twilio and Bandwidth voice adapters (and any carrier that announces recordings by URL).
 */

export interface DownloadRecordingOptions {
  /**
   * The only place recordings may come from (origin plus path prefix, e.g.
   * `https://api.twilio.com/2010-04-01/Accounts/AC…/Recordings/`). The URL to download arrives in a
   * webhook and the request carries the account's credentials, so anything else is refused.
   */
  allowedPrefix: string;
  /** The `Authorization` header value (HTTP Basic of the REST API credentials). */
  authorization: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  /**
   * Providers announce a recording a moment before its media can be fetched (Twilio's RecordingUrl,
   * Bandwidth's recordComplete): a 404 is retried this many times in all. Default 4: the carriers
   * wait 15 s for the answer to the recording's callback, and four tries a second apart stay well inside it.
   */
  attempts?: number;
  /** Default 1000 (tests shorten it). */
  retryDelayMs?: number | undefined;
  /**
   * A verification recording is seconds long; anything larger is refused (16-bit 8 kHz mono is
   * 16 kB/s). Default 10 MiB.
   */
  maxBytes?: number;
}

export class RecordingDownloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordingDownloadError';
  }
}

/** The recording's bytes; throws RecordingDownloadError when they cannot be had. */
export async function downloadRecording(url: string, options: DownloadRecordingOptions): Promise<Buffer> {
  const attempts = options.attempts ?? 4;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  if (!isUnder(url, options.allowedPrefix)) {
    throw new RecordingDownloadError('the recording URL is not on the provider API the credentials belong to');
  }
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await options.fetch(url, {
        headers: { authorization: options.authorization, accept: 'audio/wav, audio/x-wav, */*' },
        // A redirect (to a media CDN) is followed; fetch drops Authorization when it crosses origins.
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      throw new RecordingDownloadError('the recording request failed', { cause: err });
    }
    if (response.status === 404 && attempt < attempts) {
      await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RecordingDownloadError(`the recording request answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw new RecordingDownloadError(`the recording is larger than ${maxBytes} bytes`);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > maxBytes) throw new RecordingDownloadError(`the recording is larger than ${maxBytes} bytes`);
    return bytes;
  }
}

function isUnder(candidate: string, prefix: string): boolean {
  let url: URL;
  let allowed: URL;
  try {
    url = new URL(candidate);
    allowed = new URL(prefix);
  } catch {
    return false;
  }
  // new URL() resolves `..` segments, so a path cannot climb out of the prefix.
  return url.origin === allowed.origin && url.username === '' && url.password === '' && url.pathname.startsWith(allowed.pathname);
}
