import { z } from 'zod';
import { settingValues, type Config } from '../../config/config.ts';
import type { SettingRows } from '../../config/config-rows.ts';

/** AWS SNS's variables in the configuration table (docs/configuration.md), checked at boot by loadConfig. */
export const SNS_SETTINGS = {
  VERITY_SNS_REGION: { schema: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as us-east-1').optional(), doc: 'AWS SNS provider: the region SMS are published in.', required: {} },
  VERITY_SNS_ACCESS_KEY_ID: {
    schema: z.string().regex(/^[A-Z0-9]{16,128}$/, 'must be an AWS access key id').optional(),
    doc: 'AWS SNS provider: access key id of static credentials; unset uses the AWS SDK\'s default chain (AWS_* environment, shared config, web identity, container or instance role).',
  },
  VERITY_SNS_SECRET_ACCESS_KEY: {
    schema: z.string().min(16).optional(),
    doc: 'AWS SNS provider: secret access key of the static credentials (required with VERITY_SNS_ACCESS_KEY_ID).',
    required: { whenAlsoGiven: 'VERITY_SNS_ACCESS_KEY_ID', because: 'required by the sns provider with VERITY_SNS_ACCESS_KEY_ID' },
  },
  VERITY_SNS_SESSION_TOKEN: { schema: z.string().min(1).optional(), doc: 'AWS SNS provider: session token of temporary static credentials.' },
  VERITY_SNS_SMS_TYPE: {
    schema: z.enum(['Transactional', 'Promotional']).default('Transactional'),
    doc: 'AWS SNS provider: `AWS.SNS.SMS.SMSType`; Transactional is routed for reliability (codes), Promotional for cost.',
  },
  VERITY_SNS_SENDER_ID: {
    schema: z.string().regex(/^(?=.*[A-Za-z])[A-Za-z0-9-]{1,11}$/, 'must be 1 to 11 letters, digits or hyphens, with at least one letter').optional(),
    doc: 'AWS SNS provider: alphanumeric sender id (`AWS.SNS.SMS.SenderID`), where the destination country supports one.',
  },
  VERITY_SNS_ORIGINATION_NUMBER: {
    schema: z.string().regex(/^\+[1-9]\d{5,14}$/, 'must be an E.164 number').optional(),
    doc: 'AWS SNS provider: the origination number (`AWS.MM.SMS.OriginationNumber`) of the account to send from; unset lets AWS choose.',
  },
  VERITY_SNS_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).max(60_000).default(10_000),
    doc: 'AWS SNS provider: how long a Publish may take. One that times out is not retried on another route (AWS may have taken it).',
  },
  VERITY_SNS_STATUS_TOPIC_ARN: {
    schema: z.string().regex(/^arn:aws:sns:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)').optional(),
    doc: 'AWS SNS provider: the topic the account forwards its SMS delivery logs to; Verity then takes an HTTPS subscription of it at `/messaging/<instance>/notifications` (signature-checked) and records delivered / undelivered. Unset: attempts end at sent.',
  },
  VERITY_SNS_ENDPOINT: { schema: z.string().url().optional(), doc: 'AWS SNS provider: API endpoint instead of the region\'s (override only for testing).' },
} as const satisfies SettingRows;

export interface SnsSettings {
  region: string;
  /** Static credentials; undefined uses the SDK's default chain. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  smsType: 'Transactional' | 'Promotional';
  senderId: string | undefined;
  originationNumber: string | undefined;
  timeoutMs: number;
  endpoint: string | undefined;
  statusTopicArn: string | undefined;
}

/** SNS's settings; only called when SNS is selected, so the required ones are there. */
export function snsSettings(config: Config): SnsSettings {
  const r = settingValues(config, SNS_SETTINGS);
  const accessKeyId = r.VERITY_SNS_ACCESS_KEY_ID;
  return {
    region: r.VERITY_SNS_REGION as string,
    credentials: accessKeyId
      ? { accessKeyId, secretAccessKey: r.VERITY_SNS_SECRET_ACCESS_KEY as string, ...(r.VERITY_SNS_SESSION_TOKEN ? { sessionToken: r.VERITY_SNS_SESSION_TOKEN } : {}) }
      : undefined,
    smsType: r.VERITY_SNS_SMS_TYPE,
    senderId: r.VERITY_SNS_SENDER_ID,
    originationNumber: r.VERITY_SNS_ORIGINATION_NUMBER,
    timeoutMs: r.VERITY_SNS_TIMEOUT_MS,
    endpoint: r.VERITY_SNS_ENDPOINT,
    statusTopicArn: r.VERITY_SNS_STATUS_TOPIC_ARN,
  };
}
