import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { settingValues, type Config } from '../../config/config.ts';
import type { SettingRows } from '../../config/config-rows.ts';
import type { DtmfModes, G711Codec } from './media/media-session.ts';
import type { SipTransport } from './signalling/sip-signalling.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** `sip:host[:port][;transport=udp|tcp|tls]` (a `sips:` URI means TLS). */
const PROXY = /^(sips?):([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?(?:;transport=(udp|tcp|tls))?$/i;

export interface SipProxy {
  host: string;
  port: number;
  transport: SipTransport;
}

/** Reads VERITY_SIP_PROXY; throws with the reason when it is not a SIP URI Verity can dial through. */
export function parseProxy(text: string): SipProxy {
  const match = PROXY.exec(text.trim());
  if (!match) throw new Error('must be sip:host[:port][;transport=udp|tcp|tls] or sips:host[:port]');
  const secure = match[1]!.toLowerCase() === 'sips';
  const transport = (match[4]?.toLowerCase() as SipTransport | undefined) ?? (secure ? 'tls' : 'udp');
  if (secure && transport !== 'tls') throw new Error('a sips: URI is reached over TLS only');
  const port = match[3] ? Number(match[3]) : transport === 'tls' ? 5061 : 5060;
  if (port < 1 || port > 65535) throw new Error('port must be 1-65535');
  return { host: match[2]!.replace(/^\[|\]$/g, ''), port, transport };
}

const proxy = z.string().superRefine((text, ctx) => {
  try {
    parseProxy(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** `<min>-<max>`, kept as text (so the docs show it) and split by sipSettings. */
const portRange = z
  .string()
  .regex(/^\d{1,5}-\d{1,5}$/, 'must be <min>-<max>')
  .refine((text) => {
    const [min, max] = text.split('-').map(Number) as [number, number];
    return min >= 1024 && max <= 65535 && max - min >= 1;
  }, 'must be two ports within 1024-65535, the first below the second');

const splitCodecs = (text: string): string[] => text.split(',').map((codec) => codec.trim().toUpperCase()).filter(Boolean);
const codecs = z.string().refine((text) => {
  const list = splitCodecs(text);
  return list.length >= 1 && list.length === new Set(list).size && list.every((codec) => codec === 'PCMU' || codec === 'PCMA');
}, 'must be PCMU, PCMA or both, comma-separated');

/** The SIP voice provider's variables in the configuration table (docs/configuration.md), checked at boot by loadConfig. */
export const SIP_SETTINGS = {
  VERITY_SIP_PROXY: {
    schema: proxy.optional(),
    doc: 'SIP voice provider: the trunk, PBX or SBC every call goes through, `sip:host[:port][;transport=udp|tcp|tls]` or `sips:host[:port]` (TLS).',
    required: {},
  },
  VERITY_SIP_DOMAIN: { schema: z.string().min(1).max(253).optional(), doc: 'SIP voice provider: the host part of request URIs and of From/To (the trunk\'s domain). Default: the proxy\'s host.' },
  VERITY_SIP_USERNAME: {
    schema: z.string().min(1).max(128).optional(),
    required: { whenAlsoGiven: 'VERITY_SIP_PASSWORD', because: 'VERITY_SIP_PASSWORD needs its user name' },
    doc: 'SIP voice provider: digest user name, answered to 401/407 challenges (and used to REGISTER). Without it Verity does not authenticate (trunks that trust its address).' },
  VERITY_SIP_PASSWORD: {
    schema: z.string().min(1).max(256).optional(),
    doc: 'SIP voice provider: digest password (never logged).',
    required: { whenAlsoGiven: 'VERITY_SIP_USERNAME', because: 'VERITY_SIP_USERNAME needs its password' },
  },
  VERITY_SIP_REGISTER: { schema: bool.default(false), doc: 'SIP voice provider: REGISTER with the trunk (refreshed before it expires), for trunks that only accept calls from a registered account.' },
  VERITY_SIP_REGISTER_EXPIRES_SECONDS: { schema: int(60, 86_400).default(600), doc: 'SIP voice provider: registration lifetime asked for.' },
  VERITY_SIP_LISTEN: {
    schema: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be address:port').default('0.0.0.0:5060'),
    doc: 'SIP voice provider: Verity\'s SIP socket, `address:port` (port 0: any free port).',
  },
  VERITY_SIP_PUBLIC_ADDRESS: { schema: z.string().min(1).optional(), doc: 'SIP voice provider: the address written into Via, Contact and SDP when Verity is behind NAT. Default: the listen address (or the first non-internal IPv4 when it listens on 0.0.0.0).' },
  VERITY_SIP_RTP_PORTS: { schema: portRange.default('20000-20999'), doc: 'SIP voice provider: the UDP ports for call audio (RTP), `<min>-<max>`; two per concurrent call.' },
  VERITY_SIP_CODECS: { schema: codecs.default('PCMU,PCMA'), doc: 'SIP voice provider: G.711 codecs offered, in order of preference (`PCMU`, `PCMA`); the callee\'s answer decides.' },
  VERITY_SIP_DTMF: {
    schema: z.enum(['rfc4733+inband', 'rfc4733', 'inband']).default('rfc4733+inband'),
    doc: 'SIP voice provider: how keypad digits are heard: RFC 4733 telephone-events (offered in SDP), in-band tones (for trunks that send no events), or both.',
  },
  VERITY_SIP_CALLER_ID: {
    schema: z.enum(['from', 'from+pai']).default('from+pai'),
    doc: 'SIP voice provider: where the caller id goes: the From header only, or From and P-Asserted-Identity (RFC 3325; most trunks take the caller id from it).',
  },
  VERITY_SIP_NUMBER_FORMAT: {
    schema: z.enum(['e164', 'digits']).default('e164'),
    doc: 'SIP voice provider: how numbers are written in request URIs and caller ids: `+14155550100` (e164) or `14155550100` (digits), as the trunk expects.',
  },
  VERITY_SIP_MAX_CALL_SECONDS: { schema: int(10, 3600).default(300), doc: 'SIP voice provider: a call is hung up (BYE) after this long whatever it is doing.' },
  VERITY_SIP_TLS_CA_FILE: { schema: z.string().min(1).optional(), doc: 'SIP voice provider over TLS: PEM file of the CA that signed the proxy\'s certificate (default: the system\'s CAs).' },
  VERITY_SIP_TLS_VERIFY: { schema: bool.default(true), doc: 'SIP voice provider over TLS: verify the proxy\'s certificate and name. Turning this off is refused in production.' },
} as const satisfies SettingRows;

export interface SipSettings {
  proxy: SipProxy;
  domain: string;
  credentials: { username: string; password: string } | undefined;
  register: { expiresSeconds: number } | undefined;
  listen: { address: string; port: number };
  publicAddress: string | undefined;
  rtpPorts: { min: number; max: number };
  codecs: G711Codec[];
  dtmf: DtmfModes;
  assertIdentity: boolean;
  numberFormat: 'e164' | 'digits';
  maxCallSeconds: number;
  tls: { ca?: string; verify: boolean } | undefined;
}

/** The provider's settings from the configuration; only called when SIP is the voice provider, so the proxy is there. */
export function sipSettings(config: Config): SipSettings {
  const r = settingValues(config, SIP_SETTINGS);
  const proxy = parseProxy(r.VERITY_SIP_PROXY as string);
  if (!r.VERITY_SIP_TLS_VERIFY && config.env === 'production') throw new Error('VERITY_SIP_TLS_VERIFY=false is refused in production');
  if (r.VERITY_SIP_REGISTER && r.VERITY_SIP_USERNAME === undefined) throw new Error('VERITY_SIP_REGISTER needs VERITY_SIP_USERNAME and VERITY_SIP_PASSWORD');
  const separator = r.VERITY_SIP_LISTEN.lastIndexOf(':');
  const [min, max] = r.VERITY_SIP_RTP_PORTS.split('-').map(Number) as [number, number];
  return {
    proxy,
    domain: r.VERITY_SIP_DOMAIN ?? proxy.host,
    credentials: r.VERITY_SIP_USERNAME !== undefined ? { username: r.VERITY_SIP_USERNAME, password: r.VERITY_SIP_PASSWORD as string } : undefined,
    register: r.VERITY_SIP_REGISTER ? { expiresSeconds: r.VERITY_SIP_REGISTER_EXPIRES_SECONDS } : undefined,
    listen: { address: r.VERITY_SIP_LISTEN.slice(0, separator), port: Number(r.VERITY_SIP_LISTEN.slice(separator + 1)) },
    publicAddress: r.VERITY_SIP_PUBLIC_ADDRESS,
    rtpPorts: { min, max },
    codecs: splitCodecs(r.VERITY_SIP_CODECS) as G711Codec[],
    dtmf: { rfc4733: r.VERITY_SIP_DTMF !== 'inband', inband: r.VERITY_SIP_DTMF !== 'rfc4733' },
    assertIdentity: r.VERITY_SIP_CALLER_ID === 'from+pai',
    numberFormat: r.VERITY_SIP_NUMBER_FORMAT,
    maxCallSeconds: r.VERITY_SIP_MAX_CALL_SECONDS,
    tls: proxy.transport === 'tls' ? { ...(r.VERITY_SIP_TLS_CA_FILE ? { ca: readFileSync(r.VERITY_SIP_TLS_CA_FILE, 'utf8') } : {}), verify: r.VERITY_SIP_TLS_VERIFY } : undefined,
  };
}
