import { invalidParameter } from '../errors/verity-error.ts';

/**
 * The Android SMS Retriever's app hash: 11 characters of base64 (the first 9 bytes of a SHA-256 of
 * the package name and signing certificate, https://developers.google.com/identity/sms-retriever/verify).
 */
const APP_HASH = /^[A-Za-z0-9+/]{11}$/;

/** `AppHash` checked (60200 when it is not 11 base64 characters); undefined when not given. */
export function appHashOf(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!APP_HASH.test(value)) throw invalidParameter('AppHash', 'expected the 11-character app hash of the Android SMS Retriever');
  return value;
}

/**
 * The SMS as the hosted API formats it for the SMS Retriever: `<#> ` first and the hash last,
 * after a space (Twilio's example: `<#> Your AppName verification code is: 1234 He42w354ol9`).
 */
export function withAppHash(body: string, appHash: string): string {
  return `<#> ${body} ${appHash}`;
}
