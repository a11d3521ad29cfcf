import { getCountries } from 'libphonenumber-js/max';
import type { Updateable } from 'kysely';
import { z } from 'zod';
import { VERIFICATION_CHANNELS, type ServiceRow, type ServicesTable } from '../schema.ts';
import { bit, flag, jsonColumn } from './column.ts';

const countries = jsonColumn('services.allowed_countries', z.array(z.enum(getCountries())));
const channels = jsonColumn('services.enabled_channels', z.array(z.enum(VERIFICATION_CHANNELS)));
const extras = jsonColumn('services.extras', z.record(z.string(), z.unknown()));

export function decodeService(row: ServicesTable): ServiceRow {
  return {
    ...row,
    custom_code_enabled: flag(row.custom_code_enabled),
    lookup_enabled: flag(row.lookup_enabled),
    skip_sms_to_landlines: flag(row.skip_sms_to_landlines),
    dtmf_input_required: flag(row.dtmf_input_required),
    psd2_enabled: flag(row.psd2_enabled),
    do_not_share_warning_enabled: flag(row.do_not_share_warning_enabled),
    allowed_countries: row.allowed_countries === null ? null : countries.decode(row.allowed_countries),
    enabled_channels: channels.decode(row.enabled_channels),
    extras: extras.decode(row.extras),
  };
}

export function encodeService(row: ServiceRow): ServicesTable {
  return {
    ...row,
    custom_code_enabled: bit(row.custom_code_enabled),
    lookup_enabled: bit(row.lookup_enabled),
    skip_sms_to_landlines: bit(row.skip_sms_to_landlines),
    dtmf_input_required: bit(row.dtmf_input_required),
    psd2_enabled: bit(row.psd2_enabled),
    do_not_share_warning_enabled: bit(row.do_not_share_warning_enabled),
    allowed_countries: row.allowed_countries === null ? null : countries.encode(row.allowed_countries),
    enabled_channels: channels.encode(row.enabled_channels),
    extras: extras.encode(row.extras),
  };
}

/**
 * Encodes the fields a patch sets. Each keeps its place (an absent one is added as undefined, which
 * Kysely skips), so the UPDATE lists its columns in the patch's order, as before decoding existed.
 */
export function encodeServicePatch(patch: Partial<ServiceRow>): Updateable<ServicesTable> {
  const encode = <T, S>(value: T | undefined, to: (value: T) => S): S | undefined => (value === undefined ? undefined : to(value));
  return {
    ...patch,
    custom_code_enabled: encode(patch.custom_code_enabled, bit),
    lookup_enabled: encode(patch.lookup_enabled, bit),
    skip_sms_to_landlines: encode(patch.skip_sms_to_landlines, bit),
    dtmf_input_required: encode(patch.dtmf_input_required, bit),
    psd2_enabled: encode(patch.psd2_enabled, bit),
    do_not_share_warning_enabled: encode(patch.do_not_share_warning_enabled, bit),
    allowed_countries: encode(patch.allowed_countries, (list) => (list === null ? null : countries.encode(list))),
    enabled_channels: encode(patch.enabled_channels, channels.encode),
    extras: encode(patch.extras, extras.encode),
  };
}
