import { z } from 'zod';
import { csrfToken, form, text } from './admin-form-schemas.ts';

/**
 * The schemas of the console's identity views (entities, challenges, limits): queries, path
 * parameters and forms. As every console schema (admin-form-schemas.ts): fields of the wrong shape
 * are dropped, never a validation error, and the handlers answer with the console's own pages.
 */

const query = form;
const sidParam = (description: string) => z.string().meta({ description });
const entityParams = z.object({ entitySid: sidParam('The entity\'s SID (a malformed one is "entity not found").') });
const factorParams = entityParams.extend({ factorSid: sidParam('The factor\'s SID (a malformed one is "factor not found").') });

export const entitiesPageSchema = {
  hide: true,
  querystring: query({
    service: text('Only entities of this service (its SID).'),
    identity: text('The entity with exactly this identity.'),
    page: text('The page of entities, from 0.'),
  }),
};

export const entityPageSchema = { hide: true, params: entityParams, querystring: query({ done: text('The notice of the action just carried out (IDENTITY_NOTICES).') }) };

/** The confirmation page of a factor action, and the action itself. */
export const factorActionPageSchema = { hide: true, params: factorParams };
export const factorActionSchema = { hide: true, params: factorParams, body: form({ csrf_token: csrfToken() }) };

export const recoveryCodesActionPageSchema = { hide: true, params: entityParams };
export const recoveryCodesActionSchema = { hide: true, params: entityParams, body: form({ csrf_token: csrfToken() }) };

export const challengesPageSchema = {
  hide: true,
  querystring: query({
    service: text('Only challenges of this service (its SID).'),
    status: text('Only challenges with this status: pending, approved, denied or expired.'),
    factor_type: text('Only challenges of this factor type: push, totp, passkeys or voiceprint.'),
    page: text('The page of challenges, from 0.'),
  }),
};

export const challengePageSchema = { hide: true, params: z.object({ challengeSid: sidParam('The challenge\'s SID (a malformed one is "challenge not found").') }) };

export const limitsPageSchema = {
  hide: true,
  querystring: query({
    service: text('The service whose limits and lock-outs are shown (default: the newest).'),
    page: text('The page of the safe list, from 0.'),
    done: text('The notice of the action just carried out (IDENTITY_NOTICES).'),
  }),
};

export const clearLockoutPageSchema = {
  hide: true,
  querystring: query({ key: text('The lock-out to clear (its counter\'s key).'), from: text('Where to go back to: `entity` (its page) or the limits page.') }),
};

export const clearLockoutActionSchema = {
  hide: true,
  body: form({ csrf_token: csrfToken(), key: text('The lock-out to clear (its counter\'s key).'), from: text('Where to go back to: `entity` or the limits page.') }),
};
