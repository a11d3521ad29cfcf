/**
 * Where a provider instance's receipt webhooks live: `/messaging/<instance>/<name>` (ProviderDeps.instance),
 * so two instances of one plug-in (two Vonage keys) never share a route.
 *
 * @example
 * receiptPath('twilio', 'status'); // '/messaging/twilio/status'
 * receiptUrl(config.publicUrl, 'vonage-eu', 'dlr'); // 'https://verity.example.com/messaging/vonage-eu/dlr'
 */
export function receiptPath(instance: string, name: string): string {
  return `/messaging/${encodeURIComponent(instance)}/${name}`;
}

/** The absolute URL a carrier is given for receipts: the public origin (no trailing slash) and receiptPath. */
export function receiptUrl(publicUrl: string, instance: string, name: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${receiptPath(instance, name)}`;
}
