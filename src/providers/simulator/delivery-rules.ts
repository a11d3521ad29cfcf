/**
 * What the simulated carrier does with a message, chosen per destination prefix
 * (VERITY_SIMULATOR_DELIVERY), so an operator can demonstrate failover, carrier errors and a
 * falling delivery rate without any account. A pure parser and a pure choice; the randomness is
 * passed in (seeded by VERITY_SIMULATOR_SEED).
 *
 * Syntax: rules separated by `;`, each `[instance:]match=choice[,choice…]`:
 * - `match`: a destination prefix (`+44`, `+1555`, `bounce@`) or `*` for every destination; the
 *   longest matching prefix wins, a rule naming the instance beats one that does not.
 * - `choice`: `outcome[@latency][ percent%]`. Choices with a percent take that share of the messages,
 *   the others share the rest equally (with none, the rest is delivered).
 * - `outcome`: `deliver`; `undelivered[:code]` (sent, then undelivered with that carrier error,
 *   default 30003); `failed[:code]` (never sent, default 30008); `reject` (the send is refused,
 *   retryable, as a throttling carrier does); `reject-permanent` (refused for good); `blackhole`
 *   (accepted, then never a word).
 * - `latency`: ms from acceptance to the final status, `2000` or a range `1000-5000`
 *   (default VERITY_SIMULATOR_LATENCY_MS).
 *
 * @example
 * parseDeliveryRules('+4477=undelivered:30006 40%,deliver; +1555=blackhole; sim-b:*=deliver@8000')
 */

type SimOutcome =
  | { kind: 'deliver' }
  | { kind: 'undelivered'; errorCode: string }
  | { kind: 'failed'; errorCode: string }
  | { kind: 'reject'; retryable: boolean }
  | { kind: 'blackhole' };

/** A latency range in ms, inclusive. */
export type Latency = readonly [min: number, max: number];

interface SimChoice {
  outcome: SimOutcome;
  latency?: Latency;
  /** Share of the messages in percent; undefined: an equal share of what the others leave. */
  percent?: number;
}

export interface SimRule {
  /** Only for messages sent through this provider instance; undefined: every instance. */
  instance?: string;
  /** Destination prefix; '' matches everything (`*`). */
  prefix: string;
  choices: SimChoice[];
  /** The rule as written, for logs and the inbox. */
  text: string;
}

/** What the carrier does with one message. */
export interface SimPlan {
  outcome: SimOutcome;
  /** ms from acceptance to the final status (unused by reject and blackhole). */
  latencyMs: number;
  /** The rule that chose it (undefined: no rule matched, delivered). */
  rule?: string;
}

/** The simulated carrier's error codes, with the texts a carrier reports them with (Twilio's numbering). */
export const SIM_ERROR_TEXTS: Readonly<Record<string, string>> = {
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered by the carrier',
  '30008': 'Unknown error',
};

const MAX_LATENCY_MS = 600_000;

export class DeliveryRulesError extends Error {
  override name = 'DeliveryRulesError';
}

/** `2000` or `1000-5000` (ms). */
export function parseLatency(text: string): Latency {
  const match = /^\s*(\d{1,6})(?:\s*-\s*(\d{1,6}))?\s*$/.exec(text);
  if (!match) throw new DeliveryRulesError(`latency "${text}": expected milliseconds (2000) or a range (1000-5000)`);
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (max < min) throw new DeliveryRulesError(`latency "${text}": the range ends before it starts`);
  if (max > MAX_LATENCY_MS) throw new DeliveryRulesError(`latency "${text}": at most ${MAX_LATENCY_MS} ms`);
  return [min, max];
}

function parseOutcome(text: string, rule: string): SimOutcome {
  const [name = '', code, ...extra] = text.split(':');
  if (extra.length > 0 || (code !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(code))) throw new DeliveryRulesError(`rule "${rule}": bad error code in "${text}"`);
  switch (name) {
    case 'deliver':
    case 'reject':
    case 'reject-permanent':
    case 'blackhole':
      if (code !== undefined) throw new DeliveryRulesError(`rule "${rule}": "${name}" takes no error code`);
      if (name === 'reject' || name === 'reject-permanent') return { kind: 'reject', retryable: name === 'reject' };
      return { kind: name };
    case 'undelivered':
      return { kind: 'undelivered', errorCode: code ?? '30003' };
    case 'failed':
      return { kind: 'failed', errorCode: code ?? '30008' };
    default:
      throw new DeliveryRulesError(`rule "${rule}": unknown outcome "${name}" (deliver, undelivered[:code], failed[:code], reject, reject-permanent, blackhole)`);
  }
}

function parseChoice(text: string, rule: string): SimChoice {
  const match = /^([a-z-]+(?::[^@\s]*)?)(?:@(\S+))?(?:\s+(\d{1,3}(?:\.\d+)?)%)?$/.exec(text.trim());
  if (!match) throw new DeliveryRulesError(`rule "${rule}": cannot read "${text.trim()}" (expected outcome[@latency][ percent%])`);
  const choice: SimChoice = { outcome: parseOutcome(match[1] ?? '', rule) };
  if (match[2] !== undefined) choice.latency = parseLatency(match[2]);
  if (match[3] !== undefined) choice.percent = Number(match[3]);
  return choice;
}

function parseRule(text: string): SimRule {
  const equals = text.indexOf('=');
  if (equals < 0) throw new DeliveryRulesError(`rule "${text}": expected match=outcome`);
  const head = text.slice(0, equals).trim();
  const colon = head.indexOf(':');
  const instance = colon >= 0 ? head.slice(0, colon).trim() : undefined;
  const match = colon >= 0 ? head.slice(colon + 1).trim() : head;
  if (instance !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(instance)) throw new DeliveryRulesError(`rule "${text}": bad instance name "${instance}"`);
  if (match === '' || /\s/.test(match)) throw new DeliveryRulesError(`rule "${text}": expected a destination prefix or * before =`);
  const choices = text
    .slice(equals + 1)
    .split(',')
    .map((c) => parseChoice(c, text));
  const given = choices.reduce((sum, c) => sum + (c.percent ?? 0), 0);
  if (given > 100) throw new DeliveryRulesError(`rule "${text}": the percentages add up to ${given}, more than 100`);
  if (given < 100 && choices.every((c) => c.percent !== undefined) && choices.length > 0) choices.push({ outcome: { kind: 'deliver' }, percent: 100 - given });
  return { ...(instance === undefined ? {} : { instance }), prefix: match === '*' ? '' : match, choices, text: text.trim() };
}

/** Reads VERITY_SIMULATOR_DELIVERY; throws DeliveryRulesError naming the first bad rule. Empty: no rules. */
export function parseDeliveryRules(text: string): SimRule[] {
  return text
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r !== '')
    .map(parseRule);
}

/** The rule for a message to `to` sent through `instance`: the longest prefix, the instance's own first. */
export function matchRule(rules: readonly SimRule[], instance: string, to: string): SimRule | undefined {
  let best: SimRule | undefined;
  for (const rule of rules) {
    if (rule.instance !== undefined && rule.instance !== instance) continue;
    if (!to.startsWith(rule.prefix)) continue;
    if (!best || rule.prefix.length > best.prefix.length || (rule.prefix.length === best.prefix.length && best.instance === undefined && rule.instance !== undefined)) best = rule;
  }
  return best;
}

/** Picks what happens to one message; `random` returns [0, 1) (seeded), two draws per message. */
export function planDelivery(rules: readonly SimRule[], defaults: { instance: string; to: string; latency: Latency; random: () => number }): SimPlan {
  const rule = matchRule(rules, defaults.instance, defaults.to);
  const pick = defaults.random() * 100;
  const latencyDraw = defaults.random();
  const latencyOf = (latency: Latency) => Math.round(latency[0] + latencyDraw * (latency[1] - latency[0]));
  if (!rule) return { outcome: { kind: 'deliver' }, latencyMs: latencyOf(defaults.latency) };
  const given = rule.choices.reduce((sum, c) => sum + (c.percent ?? 0), 0);
  const unweighted = rule.choices.filter((c) => c.percent === undefined).length;
  let cumulative = 0;
  let chosen = rule.choices[rule.choices.length - 1] as SimChoice;
  for (const choice of rule.choices) {
    cumulative += choice.percent ?? (100 - given) / unweighted;
    if (pick < cumulative) {
      chosen = choice;
      break;
    }
  }
  return { outcome: chosen.outcome, latencyMs: latencyOf(chosen.latency ?? defaults.latency), rule: rule.text };
}

/** A small seeded generator (mulberry32): the same seed and the same sends give the same outcomes. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
