import type { CallEnd } from '../../../voice/call-script.ts';

/**
 * How a final non-2xx response to Verity's INVITE ends the call, in the outcomes every provider
 * reports. `canceled` is the answer to our CANCEL (487); anything Verity cannot name more closely
 * is `failed`.
 * - 486 Busy Here, 600 Busy Everywhere: busy.
 * - 603 Decline: rejected (the callee declined). 403 Forbidden is `failed`, not `rejected`: on an
 *   INVITE it comes from the trunk (caller id not allowed, destination barred, credit), not from a
 *   person who declined.
 * - 408 Request Timeout, 480 Temporarily Unavailable: no-answer (nobody picked up before the
 *   network gave up, or the phone is off).
 * - 487 Request Terminated: canceled after our CANCEL; without one (a proxy's own timer) failed.
 * - 3xx: failed, Verity does not follow redirects (a redirect could point the call anywhere).
 * - 404, 410, 484, 604 and every other 4xx/5xx/6xx: failed.
 */
export function callEndForStatus(status: number, weCanceled: boolean): { how: CallEnd; detail: string } {
  switch (status) {
    case 486:
    case 600:
      return { how: 'busy', detail: 'busy' };
    case 603:
      return { how: 'rejected', detail: 'declined by the callee' };
    case 408:
    case 480:
      return { how: 'no-answer', detail: 'not answered' };
    case 487:
      return weCanceled ? { how: 'canceled', detail: 'canceled by Verity' } : { how: 'failed', detail: 'terminated by the network' };
    case 403:
      return { how: 'failed', detail: 'forbidden by the trunk' };
    case 404:
    case 410:
    case 484:
    case 604:
      return { how: 'failed', detail: 'no such number' };
  }
  if (status >= 300 && status < 400) return { how: 'failed', detail: 'redirected (redirects are not followed)' };
  return { how: 'failed', detail: `refused with ${status}` };
}
