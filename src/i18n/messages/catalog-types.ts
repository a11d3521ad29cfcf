import type { en } from './en.ts';

/** Every message id: `namespace.key`, the namespace naming the module that shows it. */
export type MessageId = keyof typeof en;

/** The namespaces: `handoff`, `call`, `verification`… (the part of an id before its first dot). */
export type Namespace = MessageId extends `${infer N}.${string}` ? N : never;

/** The keys of one namespace: `MessageKey<'call'>` is `'codeTitle' | 'codeLead' | …`. */
export type MessageKey<N extends Namespace> = MessageId extends infer I ? (I extends `${N}.${infer K}` ? K : never) : never;

/** The namespaces every message language has (Twilio's locale list); the pages' namespaces are in the page languages only. */
type MessageNamespace = 'verification' | 'voice';

/** A page language's catalog: every id, so the compiler finds a missing translation. */
export type PageCatalog = Record<MessageId, string>;

/** A message-only language's catalog (ja, pt, zh-HK…): the verification message and the call flows. */
export type MessageCatalog = Record<Extract<MessageId, `${MessageNamespace}.${string}`>, string>;

/** A regional variant that reads like its language except for a few texts (en-GB): the rest come from the language's catalog. */
export type RegionalCatalog = Partial<MessageCatalog>;
