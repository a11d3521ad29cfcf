import type { HealthSettings } from '../../config/messaging-config.ts';
import type { BreakerView } from './circuit-breaker.ts';

/** One route as operators see it (the admin console, docs/providers.md). */
export interface RouteSnapshot {
  id: string;
  channel: string;
  /** E.164 prefixes; [] = every number. */
  prefixes: string[];
  /** Verify service SIDs it is limited to; [] = every service. */
  services: string[];
  /** The MessagingServiceSid the MessagingConfigurations API names it by. */
  messagingServiceSid: string;
  deliveryTimeoutMs: number | undefined;
  /** `default:<channel>`: the channel's VERITY_*_PROVIDER, used when no configured route serves a send. */
  implicit: boolean;
  /** Plans this node made through it since it started. */
  selections: number;
  targets: { instance: string; plugin: string; tier: number; weight: number }[];
}

/** One circuit breaker: an instance's health towards one country. */
interface BreakerSnapshot extends BreakerView {
  instance: string;
  /** ISO 3166 alpha-2; `ZZ` a number of no known country; `-` e-mail. */
  country: string;
}

/** The routing table and the health of its targets on this node (in memory, no database). */
export interface RoutingSnapshot {
  at: number;
  /** Read from VERITY_MESSAGING_CONFIG; false: one implicit route per channel. */
  configured: boolean;
  routes: RouteSnapshot[];
  /** Every instance × country that had traffic, by instance then country. */
  breakers: BreakerSnapshot[];
  health: HealthSettings;
}
