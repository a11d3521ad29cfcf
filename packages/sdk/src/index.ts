/**
 * @verity/sdk: a typed client of Verity's Verify v2 API and its extensions, plus a follower of its
 * event streams. Runs in Node 20 and in browsers (fetch, URLSearchParams, TextDecoder, AbortController).
 */
export {
  VerityClient,
  type VerityClientOptions,
  type ServiceParams,
  type CreateVerificationParams,
  type CheckVerificationParams,
  type CreateFactorParams,
  type UpdateFactorParams,
  type CreateChallengeParams,
  type ListChallengesParams,
  type WebhookParams,
  type CreateHandoffClientParams,
} from './client.ts';
export { VerityApiError } from './errors.ts';
export { followEvents, type FollowEventsOptions, type FollowEventsResult, type StreamEvent } from './event-stream.ts';
export type { FetchLike } from './http.ts';
export { SequenceBuffer } from './sequence-buffer.ts';
export { ServerSentEventParser, type ServerSentEvent } from './sse-parser.ts';
export type * from './types.ts';
export {
  buildHandoffRequestUrl,
  verifyHandoffResult,
  HandoffResultError,
  HANDOFF_FACTOR_TYPES,
  type BuildHandoffRequestOptions,
  type VerifyHandoffResultOptions,
  type HandoffResult,
  type HandoffResultErrorCode,
  type HandoffFactorType,
} from './handoff.ts';
