import { AMR_BY_FACTOR_TYPE, MAX_CHALLENGE_ATTEMPTS } from '../../factors/challenges.ts';
import { PUSH_FATIGUE_WINDOW_MS } from '../../factors/push/push-challenges.ts';
import { JWT_TYPES, MAX_SIGNATURE_AGE_SECONDS } from '../../factors/push/push-protocol.ts';
import { MAX_FACTOR_VERIFY_ATTEMPTS } from '../../factors/totp/totp-factor.ts';
import { MAX_AUDIO_SECONDS } from '../../factors/voiceprint/index.ts';
import type { EnrollProblemCode } from '../../factors/voiceprint/voiceprint-engine.ts';
import { BIOMETRIC_FREE_FAILURES, biometricLockoutDelayMs } from '../../factors/voiceprint-factor/biometric-lockout.ts';
import { VOICEPRINT_CHALLENGE_WINDOW_MS, VOICEPRINT_MAX_CHALLENGES_SINCE_SUCCESS } from '../../factors/voiceprint-factor/voiceprint-challenge-cap.ts';
import { ENROLLMENT_RECORDINGS } from '../../factors/voiceprint-factor/voiceprint-factor.ts';
import { LOCKOUT } from '../../verify/limits.ts';
import type { FactorCallFlow } from '../../voice/factor-calls/factor-call-engine.ts';

/** How each factor type behaves, as the operations of factors and challenges describe it. */

/** The application's user id as the path and the body carry it. */
export const IDENTITY_PATTERN = '^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$';

export const TOTP_SEMANTICS = `
**TOTP factors and challenges** (RFC 6238): a wrong code is not an error (200, the factor stays \`unverified\`, the challenge \`pending\`). Each time step is accepted once per factor: a code already used, or one older than it, counts as wrong. A factor accepts ${MAX_FACTOR_VERIFY_ATTEMPTS} verification codes, then 60310; a challenge accepts ${MAX_CHALLENGE_ATTEMPTS} answers, then 60308. Consecutive wrong codes also count per entity across challenges (new challenges do not reset the count, an approval does): after ${LOCKOUT.freeFailures}, answers are refused with 60308 and \`Retry-After\`, ${LOCKOUT.baseDelayMs / 1000} s doubling up to ${LOCKOUT.maxDelayMs / 3_600_000} h. A challenge past its expiration date becomes \`expired\`; answering an expired or approved challenge is refused with 60306.
`.trim();

export const PASSKEY_SEMANTICS = `
**Passkeys** (WebAuthn Level 3, with @simplewebauthn/server; Verity's own wire format, the hosted API's is not public): the service needs \`Passkeys.RelyingParty.Id\` (else 60300) and lists its sign-in origins in \`Passkeys.RelyingParty.Origins\`. \`FactorType=passkeys\` answers 201 \`unverified\` with \`binding.registration_options\` (attestation \`none\`, the entity's passkeys excluded), valid 5 minutes (then 64201); post the browser's RegistrationResponse JSON as AuthPayload to \`POST …/Factors/{Sid}\`: it is checked (challenge, origin, RP ID hash, user presence, user verification when required) and the factor becomes \`verified\` (\`factor.verified\`); one that does not verify is 60311 (${MAX_FACTOR_VERIFY_ATTEMPTS} tries, then 60310). The credential (id, COSE public key, transports) is sealed in the factor; its signature counter is kept beside it. A passkey challenge answers 201 with \`passkey_options\` (the authentication options for that credential); post the browser's AuthenticationResponse JSON as AuthPayload to \`POST …/Challenges/{Sid}\`. It approves the challenge (\`amr\` \`${JSON.stringify(AMR_BY_FACTOR_TYPE.passkeys)}\`: a synced passkey is not hardware-bound) when the signature verifies for this challenge's options and the signature counter increased (or the authenticator keeps none: both 0); a counter that did not increase is 64202 (a replay or a cloned authenticator, logged); anything else that does not verify is 60324. Both count as an attempt (${MAX_CHALLENGE_ATTEMPTS} per challenge) and a failure of the entity. The counter moves with one conditional UPDATE: one assertion approves at most once. Usernameless sign-in: \`POST …/Passkeys/AuthenticationOptions\` then \`POST …/Passkeys/Authentications\`.
`.trim();

export const PUSH_SEMANTICS = `
**Push factors** (docs/push.md): a P-256 key pair made on the user's device; Verity keeps only the public key (\`Binding.PublicKey\`, sealed) and trusts only statements signed by it (compact JWS, ES256, header \`kid\` = the factor SID and a \`typ\` naming the statement; \`iat\` within ${MAX_SIGNATURE_AGE_SECONDS / 60} minutes). A device enrolls with an enrollment token from \`POST …/AccessTokens\` and the device API (\`/device/v1\`), or the app creates the factor here with the device's public key. Either way the factor is verified by a \`${JWT_TYPES.factorVerification}\` statement \`{factor_sid, status: "verified", iat}\` as AuthPayload; one that does not verify is refused with 60311.

**Push challenges** need \`Details.Message\`. With the service's \`Push.NumberMatching\` (on by default) the challenge carries a two-digit \`number_match\` for the login page to show; the device must send it back to approve, and a wrong number denies the challenge. An entity gets at most \`Push.MaxChallengesSinceSuccess\` (default 5) push challenges since its last approved challenge within ${PUSH_FATIGUE_WINDOW_MS / 3_600_000} h, then 64001. The device answers with a \`${JWT_TYPES.pushResponse}\` statement \`{challenge_sid, factor_sid, status: "approved"|"denied", details_sha256, hidden_details_sha256, number, iat}\`, where the digests are base64url(SHA-256(RFC 8785 canonical JSON)) of the challenge's \`details\` and \`hidden_details\` (dynamic linking); the app may relay the same AuthPayload to \`POST …/Challenges/{Sid}\`. A statement whose signature, key id, type, challenge, factor, digests or time do not match is refused with 60324 and counts as an attempt (${MAX_CHALLENGE_ATTEMPTS} per challenge, then 60308) and as a failure of the entity (lock-out, 60308 with \`Retry-After\`). \`links.events\` streams the challenge's progress to the login page without credentials.
`.trim();


/**
 * Why a recording was refused (64011 `details.problems`) or dropped from an enrolment
 * (`enrollment_problem`); a Record so that a new code of the engine does not compile until documented.
 */
export const RECORDING_PROBLEMS: Record<EnrollProblemCode, string> = {
  too_short: 'less speech than the pass phrase needs',
  too_quiet: 'the speech is too quiet',
  clipped: 'the recording is distorted: too loud, or too close to the microphone',
  too_noisy: 'too much background sound',
  mostly_silence: 'the recording is mostly silence',
  narrow_band: 'the sound is muffled: the recording chain cut the voice band below the telephone band (300–3400 Hz)',
  gated: 'parts of the voice were cut out, typically by heavy noise suppression on the device',
  inconsistent: 'enrolment only: the recording does not sound like the others, another phrase or another voice',
  digits_unclear: 'digits mode, enrolment only: the digits shown could not be heard one by one; say them again with a short pause after each',
};
export const recordingProblemList = (codes: string[]): string => codes.map((code) => `\`${code}\` (${RECORDING_PROBLEMS[code as EnrollProblemCode]})`).join(', ');
/** The problems of a recording's quality checks (64011). */
export const QUALITY_PROBLEMS = Object.keys(RECORDING_PROBLEMS).filter((code) => code !== 'inconsistent' && code !== 'digits_unclear');

/** How a voiceprint call goes, by its `flow`. */
export const VOICEPRINT_CALL_FLOWS: Record<FactorCallFlow, string> = {
  voiceprint_enroll: `the callee says the pass phrase after each beep until ${ENROLLMENT_RECORDINGS} good recordings make the voiceprint (poor ones are asked for again)`,
  voiceprint_verify: 'the callee says the pass phrase once, and once more after a mismatch',
};

export const VOICEPRINT_SEMANTICS = `
**Voiceprint factors** (a Verity extension, voice biometrics): the user says a pass phrase of their choice; ${ENROLLMENT_RECORDINGS} accepted recordings of it make the voiceprint, sealed in the factor and never returned. A biometric is never the only factor (NIST SP 800-63B-4 §3.2.3): \`FactorType=voiceprint\` is refused with 60300 unless the entity already has another verified factor or unused recovery codes (and when the server has no voiceprint models). The factor starts \`unverified\` with \`config\` \`{recordings_needed, recordings_accepted, sample_rate}\`; send the recordings to \`POST …/Factors/{Sid}/Recordings\`, or have Verity call the user (\`POST …/Factors/{Sid}/Calls\`). The last one makes it \`verified\` (\`factor.verified\`); \`POST …/Factors/{Sid}\` cannot verify it (60300).

Recordings are WAV bodies (\`Content-Type: audio/wav\`): 16-bit PCM, µ-law or A-law, mono or stereo, sampled at 8000 or 16000 Hz, at most ${MAX_AUDIO_SECONDS} s; other audio is refused with 60200, as is an enrolment recording whose sample rate differs from the earlier ones. Each recording is checked for quality first: a poor one is refused with 64011 and \`details.problems\`, each with a message to show the user: ${recordingProblemList(QUALITY_PROBLEMS)}. When the enrolment recordings do not sound alike, the odd one is dropped (200 with \`enrollment_problem\` ${recordingProblemList(['inconsistent'])}) and must be recorded again.

**Voiceprint challenges** need no \`Details.Message\` and refuse AuthPayload (60300): they are answered with one recording of the pass phrase (\`POST …/Challenges/{Sid}/Recording\`) or on a call Verity places (\`POST …/Challenges/{Sid}/Calls\`). A match approves the challenge (\`amr\` \`${JSON.stringify(AMR_BY_FACTOR_TYPE.voiceprint)}\`); a mismatch leaves it \`pending\` (the response's \`voiceprint\` says why) and counts a biometric failure of the factor: after ${BIOMETRIC_FREE_FAILURES} in a row, recordings are refused with 64012 and \`Retry-After\`, ${biometricLockoutDelayMs(BIOMETRIC_FREE_FAILURES) / 1000} s doubling up to ${biometricLockoutDelayMs(1_000) / 3_600_000} h; a match resets the count. Offer another factor meanwhile. A recording this factor has already heard (a replay) denies the challenge (\`denied_reason\` \`replay_suspected\`). An entity gets at most ${VOICEPRINT_MAX_CHALLENGES_SINCE_SUCCESS} voiceprint challenges since its last approved challenge within ${VOICEPRINT_CHALLENGE_WINDOW_MS / 3_600_000} h, then 64013. Every recording, poor ones included, uses one of the challenge's ${MAX_CHALLENGE_ATTEMPTS} attempts (then 60308); a poor one (64011) is no biometric failure.

**Voiceprint calls** (\`POST …/Calls\` with \`To\`): Verity phones the user and records the pass phrase; the recordings go through the same checks as uploaded ones. On an enrolment call (flow \`voiceprint_enroll\`) ${VOICEPRINT_CALL_FLOWS.voiceprint_enroll}; on a challenge call (\`voiceprint_verify\`) ${VOICEPRINT_CALL_FLOWS.voiceprint_verify}. Calls need a voice provider (else 60223), and a number takes one call at a time (60212). Like every outbound message and call they pass the send gate: the service's AllowedCountries (60605), the number's send budget shared with verifications (5 per 10 minutes, 60203), the number-prefix cap (60410) and the account's send budget (64301). The response names the call; the outcome shows on the factor or challenge (fetch it, follow the challenge's \`links.events\`, or receive \`factor.verified\`, \`challenge.approved\` and \`challenge.denied\` events).
`.trim();
