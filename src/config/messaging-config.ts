import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ProviderOption, ProviderSelector } from './config-rows.ts';

/**
 * The messaging configuration file (VERITY_MESSAGING_CONFIG): named provider instances (two SMPP
 * accounts, two Vonage keys) and the routes that send through them, with the circuit breaker's
 * thresholds. Without the file every channel has one implicit route to its VERITY_*_PROVIDER.
 * docs/messaging-config.schema.json is this schema as JSON Schema (a test keeps it in sync).
 */

const INSTANCE_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const ROUTE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A setting's value: written in the file, or (for secrets) the name of an environment variable holding it. */
const settingValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).describe('Name of the environment variable that holds the value (keep secrets out of the file).') }),
]);

const instanceSchema = z.strictObject({
  plugin: z.string().min(1).describe('The provider plug-in (a VERITY_*_PROVIDER value: `twilio`, `smpp`, `vonage`, …).'),
  settings: z.record(z.string(), settingValue).default({}).describe('The plug-in\'s own settings by their variable names (e.g. `VERITY_SMPP_URL`); unset ones take their defaults, never the environment\'s value.'),
  from: z.string().min(1).optional().describe('Sender number or alphanumeric id of this instance (default VERITY_SMS_FROM).'),
});

const targetSchema = z.strictObject({
  instance: z.string().min(1).describe('A name under `instances`, or a plug-in\'s name to use it with its settings from the environment.'),
  tier: z.int().min(0).max(100).default(1).describe('Lower tiers are tried first; a higher tier is a fallback.'),
  weight: z.number().min(0).max(1_000_000).default(1).describe('Share of first attempts among the healthy targets of its tier.'),
});

const routeSchema = z.strictObject({
  id: z.string().regex(ROUTE_ID, 'letters, digits, `.`, `_`, `-` (at most 64)').describe('Names the route in attempts, metrics, the console and the MessagingConfigurations API.'),
  channel: z.string().min(1).describe('`sms`, `call`, `email` or `whatsapp`.'),
  prefixes: z.array(z.string().regex(/^\+[1-9][0-9]{0,14}$/, 'an E.164 prefix such as +44 or +4477')).default([]).describe('E.164 prefixes it serves; the longest matching prefix wins. None: every number (the channel\'s default route).'),
  services: z.array(z.string().regex(/^VA[0-9a-f]{32}$/, 'a Verify service SID (VA + 32 hex)')).default([]).describe('Only for these services (checked before routes for every service). None: every service.'),
  messagingServiceSid: z.string().regex(/^MG[0-9a-f]{32}$/, 'MG + 32 hex').optional().describe('The MessagingServiceSid the MessagingConfigurations API names this route by (default: derived from the id).'),
  targets: z.array(targetSchema).min(1).describe('The instances it sends through: the lowest tier with a healthy target first, weighted within a tier, the rest as failover.'),
  deliveryTimeoutSeconds: z.int().min(1).max(3600).optional().describe('Fail over to the next target when no final delivery status arrived within this time (default 20).'),
});

const healthSchema = z.strictObject({
  windowSize: z.int().min(1).max(10_000).default(50).describe('Final outcomes kept per instance and country.'),
  windowSeconds: z.int().min(1).max(86_400).default(600).describe('Outcomes older than this leave the window.'),
  minSamples: z.int().min(1).max(10_000).default(20).describe('Outcomes needed before the delivery rate can open the breaker.'),
  openBelowRate: z.number().min(0).max(1).default(0.6).describe('Open when delivered / final outcomes falls below this.'),
  openAfterRejections: z.int().min(1).max(10_000).default(5).describe('Open after this many consecutive rejected sends.'),
  cooldownSeconds: z.int().min(1).max(86_400).default(60).describe('How long an open breaker keeps its target out of rotation before probing.'),
  probeEvery: z.int().min(1).max(10_000).default(10).describe('Half-open: one in this many sends through its route probes the target first.'),
  closeAfterProbes: z.int().min(1).max(10_000).default(3).describe('Half-open: delivered probes that close the breaker (one failed probe opens it again).'),
});

/** The file, as written. */
export const messagingConfigFileSchema = z.strictObject({
  $schema: z.string().optional(),
  instances: z.record(z.string().regex(INSTANCE_NAME, 'lower-case letters, digits and `-` (at most 40)'), instanceSchema).default({}).describe('Provider instances by name; the name is their webhook path `/messaging/<name>/…`.'),
  routes: z.array(routeSchema).default([]),
  health: healthSchema.default(healthSchema.parse({})).describe('The circuit breaker kept per instance and destination country.'),
}).describe('Verity messaging configuration (VERITY_MESSAGING_CONFIG): provider instances, routes, circuit breaker.');

export type HealthSettings = z.output<typeof healthSchema>;

/** The breaker's thresholds when the file does not set them. */
export const DEFAULT_HEALTH: HealthSettings = healthSchema.parse({});

/** One provider instance: a plug-in built with its own settings (parsed by the plug-in's rows). */
export interface MessagingInstance {
  name: string;
  plugin: string;
  /** Parsed values of the plug-in's rows, by variable name (what settingValues reads). */
  settings: Readonly<Record<string, unknown>>;
  /** The instance's sender, overriding VERITY_SMS_FROM. */
  from: string | undefined;
  /** False for a plug-in named directly by a target: it is built with the environment's settings. */
  declared: boolean;
}

export interface RouteTargetConfig {
  instance: string;
  tier: number;
  weight: number;
}

export interface MessagingRouteConfig {
  id: string;
  channel: string;
  prefixes: string[];
  services: string[];
  messagingServiceSid: string;
  targets: RouteTargetConfig[];
  deliveryTimeoutMs: number | undefined;
}

export interface MessagingConfig {
  /** The file it was read from. */
  file: string;
  instances: MessagingInstance[];
  routes: MessagingRouteConfig[];
  health: HealthSettings;
}

const DEFAULT_DELIVERY_TIMEOUT_SECONDS = 20;

/** The MessagingServiceSid a route without one is known by: stable across nodes and restarts. */
export function derivedMessagingServiceSid(routeId: string): string {
  return `MG${createHash('sha256').update(`verity-route:${routeId}`).digest('hex').slice(0, 32)}`;
}

/** The selector whose required settings a channel needs (a call that speaks the code: the voice rows). */
function selectorOf(channel: string): string {
  return channel === 'call' ? 'voice' : channel;
}

interface LoadContext {
  env: NodeJS.ProcessEnv;
  providers: readonly ProviderOption[];
  production: boolean;
}

/**
 * Reads and checks VERITY_MESSAGING_CONFIG; every problem is pushed to `problems` (prefixed with the
 * variable and the path in the file) so loadConfig reports them with all the others.
 */
export function loadMessagingConfig(file: string | undefined, context: LoadContext, problems: string[]): MessagingConfig | undefined {
  if (file === undefined) return undefined;
  const problem = (text: string) => problems.push(`VERITY_MESSAGING_CONFIG: ${text}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problem(`cannot read ${file} as JSON (${(error as Error).message})`);
    return undefined;
  }
  const parsed = messagingConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // A record's bad key (an instance name) carries the reason in its own issues.
      const message = issue.code === 'invalid_key' ? issue.issues.map((i) => i.message).join('; ') : issue.message;
      problem(`${pathOf(issue.path)}: ${message}`);
    }
    return undefined;
  }
  return checkMessagingConfig(file, parsed.data, context, problem);
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(file)';
}

/** The parsed file checked against the registered plug-ins: instances' settings, targets, channels, ambiguous routes. */
function checkMessagingConfig(file: string, data: z.output<typeof messagingConfigFileSchema>, { env, providers, production }: LoadContext, problem: (text: string) => void): MessagingConfig {
  const option = (name: string) => providers.find((p) => p.name === name);
  const channels = new Set(providers.flatMap((p) => p.channels ?? []));
  // The selectors each instance is used for, from the routes' channels (its required settings follow them).
  const usedFor = new Map<string, Set<string>>();
  data.routes.forEach((route, r) => {
    const knownChannel = channels.size === 0 || channels.has(route.channel);
    if (!knownChannel) problem(`routes[${r}].channel: ${route.channel} is not a channel of any provider (${[...channels].join(', ')})`);
    const seen = new Set<string>();
    route.targets.forEach((target, t) => {
      if (seen.has(target.instance)) problem(`routes[${r}].targets[${t}].instance: ${target.instance} appears twice in route ${route.id}`);
      seen.add(target.instance);
      const declared = data.instances[target.instance];
      const plugin = option(declared ? declared.plugin : target.instance);
      if (!plugin) {
        problem(`routes[${r}].targets[${t}].instance: ${target.instance} is neither an instance nor a provider plug-in`);
        return;
      }
      if (knownChannel && plugin.channels && !plugin.channels.includes(route.channel)) {
        problem(`routes[${r}].targets[${t}].instance: ${target.instance} (${plugin.name}) does not deliver the ${route.channel} channel`);
        return;
      }
      usedFor.set(target.instance, (usedFor.get(target.instance) ?? new Set()).add(selectorOf(route.channel)));
    });
  });
  checkRoutesAreDistinct(data.routes, problem);

  const instances: MessagingInstance[] = [];
  for (const [name, declared] of Object.entries(data.instances)) {
    const plugin = option(declared.plugin);
    if (!plugin) {
      problem(`instances.${name}.plugin: no provider plug-in is named ${declared.plugin} (${providers.map((p) => p.name).join(', ')})`);
      continue;
    }
    if (option(name) && name !== plugin.name) problem(`instances.${name}: the name of another plug-in; an instance may be named after its own plug-in only`);
    if (production && plugin.developmentOnly) problem(`instances.${name}: the ${plugin.name} provider is for development only (it shows codes) and is refused when NODE_ENV=production`);
    const by = usedFor.get(name) ?? new Set<string>(plugin.selectableBy);
    instances.push({ name, plugin: plugin.name, settings: instanceSettings((row) => `instances.${name}.settings.${row}`, plugin, declared.settings, by, env, problem), from: declared.from, declared: true });
  }
  // A plug-in named directly by a target is an instance of that name with the environment's settings.
  for (const [name, by] of usedFor) {
    const plugin = option(name);
    if (data.instances[name] || !plugin) continue;
    if (production && plugin.developmentOnly) problem(`routes: the ${plugin.name} provider is for development only (it shows codes) and is refused when NODE_ENV=production`);
    const fromEnv = Object.fromEntries(Object.keys(plugin.settings).filter((row) => env[row] !== undefined && env[row] !== '').map((row) => [row, { env: row }]));
    instances.push({ name, plugin: plugin.name, settings: instanceSettings((row) => `${row} (the ${name} target's settings come from the environment)`, plugin, fromEnv, by, env, problem), from: undefined, declared: false });
  }

  const routes = data.routes.map((route): MessagingRouteConfig => ({
    id: route.id,
    channel: route.channel,
    prefixes: route.prefixes,
    services: route.services,
    messagingServiceSid: route.messagingServiceSid ?? derivedMessagingServiceSid(route.id),
    targets: route.targets,
    deliveryTimeoutMs: (route.deliveryTimeoutSeconds ?? DEFAULT_DELIVERY_TIMEOUT_SECONDS) * 1000,
  }));
  const sids = new Map<string, string>();
  for (const route of routes) {
    const other = sids.get(route.messagingServiceSid);
    if (other !== undefined && other !== route.id) problem(`routes: ${other} and ${route.id} have the same messagingServiceSid ${route.messagingServiceSid}`);
    sids.set(route.messagingServiceSid, route.id);
  }
  return { file, instances, routes, health: data.health };
}

/** Route ids are unique, and no two routes of one channel claim the same services and prefix (which would win would be arbitrary). */
function checkRoutesAreDistinct(routes: readonly z.output<typeof routeSchema>[], problem: (text: string) => void): void {
  const ids = new Set<string>();
  const claims = new Map<string, string>();
  for (const route of routes) {
    if (ids.has(route.id)) problem(`routes: the id ${route.id} is used twice`);
    ids.add(route.id);
    const services = [...route.services].sort().join(',') || '*';
    for (const prefix of route.prefixes.length ? route.prefixes : ['*']) {
      const key = `${route.channel}|${services}|${prefix}`;
      const other = claims.get(key);
      if (other !== undefined && other !== route.id) problem(`routes: ${other} and ${route.id} both serve ${route.channel} to ${prefix === '*' ? 'every number' : prefix} for ${services === '*' ? 'every service' : services}`);
      claims.set(key, route.id);
    }
  }
}

/** An instance's settings parsed by its plug-in's rows, with each row's required-when rule. */
function instanceSettings(where: (row: string) => string, plugin: ProviderOption, written: Record<string, z.output<typeof settingValue>>, by: ReadonlySet<string>, env: NodeJS.ProcessEnv, problem: (text: string) => void): Record<string, unknown> {
  const rows = plugin.settings;
  const given: Record<string, string | undefined> = {};
  // Rows naming an unset environment variable: reported once, not again as missing.
  const unset = new Set<string>();
  for (const [name, value] of Object.entries(written)) {
    if (!(name in rows)) {
      problem(`${where(name)}: not a setting of the ${plugin.name} provider (${Object.keys(rows).join(', ') || 'it has none'})`);
      continue;
    }
    if (typeof value === 'object') {
      const fromEnv = env[value.env];
      if (fromEnv === undefined || fromEnv === '') {
        problem(`${where(name)}: the environment variable ${value.env} is not set`);
        unset.add(name);
      }
      given[name] = fromEnv === '' ? undefined : fromEnv;
    } else {
      given[name] = String(value);
    }
  }
  const values: Record<string, unknown> = {};
  for (const [name, row] of Object.entries(rows)) {
    const parsed = row.schema.safeParse(given[name]);
    if (parsed.success) values[name] = parsed.data;
    else problem(`${where(name)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    const required = row.required;
    if (!required || given[name] !== undefined || unset.has(name)) continue;
    if (required.by && !required.by.some((selector: ProviderSelector) => by.has(selector))) continue;
    if (required.whenAlsoGiven !== undefined && given[required.whenAlsoGiven] === undefined) continue;
    problem(`${where(name)}: ${required.because ?? `required by the ${plugin.name} provider`}`);
  }
  return values;
}
