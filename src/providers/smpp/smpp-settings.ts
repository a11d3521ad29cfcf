import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { settingValues, type Config } from '../../config/config.ts';
import type { SettingRows } from '../../config/config-rows.ts';
import type { SmppProviderOptions } from './smpp-provider.ts';
import { RECEIPT_ID_FORMATS } from './smpp-receipt.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const smscUrls = z
  .string()
  .transform((v) => v.split(',').map((url) => url.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^s?smpp:\/\/[^/:\s]+:\d{1,5}\/?$/, 'must be smpp://host:port or ssmpp://host:port')).min(1));

/** SMPP's variables in the configuration table (docs/configuration.md), checked at boot by loadConfig. */
export const SMPP_SETTINGS = {
  VERITY_SMPP_URL: {
    schema: smscUrls.optional(),
    doc: 'SMPP provider: the SMSC, `smpp://host:port` or `ssmpp://host:port` (TLS); several separated by commas, used round-robin.',
    required: {},
  },
  VERITY_SMPP_SYSTEM_ID: { schema: z.string().min(1).max(15).optional(), doc: 'SMPP provider: the account\'s system_id (at most 15 characters, SMPP 3.4 §5.2.1).', required: {} },
  VERITY_SMPP_PASSWORD: { schema: z.string().min(1).max(8).optional(), doc: 'SMPP provider: the account\'s password (at most 8 characters, SMPP 3.4 §5.2.2).', required: {} },
  VERITY_SMPP_SYSTEM_TYPE: { schema: z.string().max(12).default(''), doc: 'SMPP provider: system_type sent when binding, if the carrier asks for one.' },
  VERITY_SMPP_BIND_MODE: {
    schema: z.enum(['transceiver', 'tx+rx']).default('transceiver'),
    doc: 'SMPP provider: `transceiver` (one bind_transceiver session) or `tx+rx` (a bind_transmitter for submits and a bind_receiver for receipts, for SMSCs without transceiver binds).',
  },
  VERITY_SMPP_BINDS: { schema: int(1, 16).default(1), doc: 'SMPP provider: binds opened to each SMSC URL (each with its own window and throughput limit); sends go round-robin over the bound ones.' },
  VERITY_SMPP_SOURCE_TON: { schema: int(0, 6).optional(), doc: 'SMPP provider: source_addr_ton of VERITY_SMS_FROM. Default: 5 (alphanumeric) for a sender id, 1 (international) for an E.164 number, 3 (network specific) for a short code of 3–8 digits.' },
  VERITY_SMPP_SOURCE_NPI: { schema: int(0, 18).optional(), doc: 'SMPP provider: source_addr_npi. Default: 1 (E.164) for a number, 0 for a sender id or short code.' },
  VERITY_SMPP_DEST_TON: { schema: int(0, 6).default(1), doc: 'SMPP provider: dest_addr_ton (default 1, international; the number is sent without its `+`).' },
  VERITY_SMPP_DEST_NPI: { schema: int(0, 18).default(1), doc: 'SMPP provider: dest_addr_npi (default 1, E.164).' },
  VERITY_SMPP_REGISTERED_DELIVERY: {
    schema: z.enum(['all', 'last', 'none']).default('all'),
    doc: 'SMPP provider: ask for a delivery receipt on every part of a message (`all`), on its last part (`last`), or never (`none`: attempts end at `sent` and no delivery time-out applies).',
  },
  VERITY_SMPP_RECEIPT_ID_FORMAT: {
    schema: z.enum(RECEIPT_ID_FORMATS).default('same'),
    doc: 'SMPP provider: how receipts write the message id compared with submit_sm_resp (Kannel\'s msg-id-type): `same`, `hex-to-dec` (hex in receipts, decimal in responses) or `dec-to-hex`.',
  },
  VERITY_SMPP_FORCE_UCS2: { schema: bool.default(false), doc: 'SMPP provider: send every message as UCS-2 (data_coding 8), for SMSCs that mangle GSM-7.' },
  VERITY_SMPP_WINDOW: { schema: int(1, 1000).default(10), doc: 'SMPP provider: submit_sm awaiting their response at once, per bind (the carrier\'s window).' },
  VERITY_SMPP_THROUGHPUT: { schema: int(0, 100_000).default(100), doc: 'SMPP provider: submit_sm per second per bind (the carrier\'s contracted rate; 0 = no limit).' },
  VERITY_SMPP_ENQUIRE_LINK_SECONDS: { schema: int(1, 3600).default(30), doc: 'SMPP provider: enquire_link keep-alive interval; a missing answer drops and reconnects the bind.' },
  VERITY_SMPP_RESPONSE_TIMEOUT_MS: {
    schema: int(100, 120_000).default(10_000),
    doc: 'SMPP provider: how long a bind, submit_sm or enquire_link waits for its response. A submit_sm without an answer fails not retryable (the SMSC may have taken it).',
  },
  VERITY_SMPP_RECONNECT_MIN_MS: { schema: int(10, 600_000).default(500), doc: 'SMPP provider: first reconnect delay; doubles per failed attempt up to VERITY_SMPP_RECONNECT_MAX_MS, each jittered to 50–100 %.' },
  VERITY_SMPP_RECONNECT_MAX_MS: { schema: int(10, 600_000).default(30_000), doc: 'SMPP provider: the longest reconnect delay.' },
  VERITY_SMPP_TLS_CA_FILE: { schema: z.string().min(1).optional(), doc: 'SMPP provider with `ssmpp://`: PEM file of the CA that signed the SMSC\'s certificate (default: the system\'s CAs).' },
  VERITY_SMPP_TLS_VERIFY: { schema: bool.default(true), doc: 'SMPP provider with `ssmpp://`: verify the SMSC\'s certificate and name. Turning this off is refused in production.' },
  VERITY_SMPP_TLS_SERVERNAME: { schema: z.string().min(1).optional(), doc: 'SMPP provider with `ssmpp://`: the name the SMSC\'s certificate must carry, when it differs from the URL\'s host.' },
} as const satisfies SettingRows;

/** The provider's options from the configuration; only called when SMPP is selected, so the required ones are there. */
export function smppSettings(config: Config): Omit<SmppProviderOptions, 'deliveryStatus' | 'logger' | 'clock' | 'instance'> {
  const r = settingValues(config, SMPP_SETTINGS);
  if (!r.VERITY_SMPP_TLS_VERIFY && config.env === 'production') throw new Error('VERITY_SMPP_TLS_VERIFY=false is refused in production');
  return {
    url: r.VERITY_SMPP_URL as string[],
    bindsPerUrl: r.VERITY_SMPP_BINDS,
    systemId: r.VERITY_SMPP_SYSTEM_ID as string,
    password: r.VERITY_SMPP_PASSWORD as string,
    systemType: r.VERITY_SMPP_SYSTEM_TYPE,
    bindMode: r.VERITY_SMPP_BIND_MODE,
    tls: {
      ca: r.VERITY_SMPP_TLS_CA_FILE ? readFileSync(r.VERITY_SMPP_TLS_CA_FILE) : undefined,
      verify: r.VERITY_SMPP_TLS_VERIFY,
      servername: r.VERITY_SMPP_TLS_SERVERNAME,
    },
    from: config.smsFrom,
    sourceTon: r.VERITY_SMPP_SOURCE_TON,
    sourceNpi: r.VERITY_SMPP_SOURCE_NPI,
    destTon: r.VERITY_SMPP_DEST_TON,
    destNpi: r.VERITY_SMPP_DEST_NPI,
    registeredDelivery: r.VERITY_SMPP_REGISTERED_DELIVERY,
    receiptIdFormat: r.VERITY_SMPP_RECEIPT_ID_FORMAT,
    forceUcs2: r.VERITY_SMPP_FORCE_UCS2,
    window: r.VERITY_SMPP_WINDOW,
    throughputPerSecond: r.VERITY_SMPP_THROUGHPUT,
    enquireLinkMs: r.VERITY_SMPP_ENQUIRE_LINK_SECONDS * 1000,
    responseTimeoutMs: r.VERITY_SMPP_RESPONSE_TIMEOUT_MS,
    reconnectMinMs: r.VERITY_SMPP_RECONNECT_MIN_MS,
    reconnectMaxMs: r.VERITY_SMPP_RECONNECT_MAX_MS,
  };
}
