import { VerityError, invalidParameter } from '../errors/verity-error.ts';

/**
 * Why a PSD2 `Amount` or `Payee` cannot be shown in a message, or undefined. They are the
 * application's text put into a message the bank's customer trusts: no line break, control or
 * invisible character (a line of its own), no markup, and no link (a scheme or `www.`); a payee
 * named like a domain (`Amazon.com`) is a real merchant name and passes.
 */
export function paymentTextProblem(value: string): string | undefined {
  if (value.trim() === '') return 'must not be empty';
  if (/[\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]/u.test(value)) return 'must not contain line breaks, control or invisible characters';
  if (/[<>{}]/.test(value)) return 'must not contain markup (< > { })';
  const text = value.normalize('NFKC');
  if (/[a-z][a-z0-9+.-]*:\/\//i.test(text) || /(?:^|[^\p{L}\p{N}])www\d*[.。]/iu.test(text) || /\//.test(text)) return 'must not contain links';
  // Schemes that need no `//` (`tel:+1800…`, `sms:`, `mailto:`): phones make them tappable, as friendly names' rule knows.
  if (/(?:^|[^\p{L}\p{N}])(?:https?|ftp|mailto|tel|sms|javascript|data|file|intent|whatsapp|tg):(?=\S)/iu.test(text)) return 'must not contain links';
  return undefined;
}

/**
 * A PSD2 service's Amount and Payee, required (60206, as the hosted API) and checked to be safe to show
 * (60200 naming the parameter); on other services they are checked the same way when given.
 */
export function checkPayment(psd2Enabled: boolean, amount: string | undefined, payee: string | undefined): void {
  if (psd2Enabled && (!amount || !payee)) throw new VerityError(60206, "'Amount' & 'Payee' params are required: the service has Psd2Enabled");
  for (const [parameter, value] of [['Amount', amount], ['Payee', payee]] as const) {
    if (value === undefined) continue;
    const problem = paymentTextProblem(value);
    if (problem) throw invalidParameter(parameter, problem);
  }
}
