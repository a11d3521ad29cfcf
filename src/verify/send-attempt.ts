/**
 * One delivery of a verification's code, as kept in `verifications.send_attempts` (a JSON array) and
 * shown as the resource's `send_code_attempts`.
 */
export interface SendAttempt {
  time: string;
  channel: string;
  attempt_sid: string;
}
