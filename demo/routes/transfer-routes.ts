import { randomBytes } from 'node:crypto';
import { VerityApiError, type Challenge, type ChallengeField } from '@verity/sdk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DemoContext } from '../demo-context.ts';
import { html } from '../reply-helpers.ts';
import type { User } from '../users/users-store.ts';
import { errorPage } from '../views/auth-pages.ts';
import { transferDonePage, transferFormPage, transferWaitPage } from '../views/transfer-pages.ts';
import { requireUser } from './account-routes.ts';

const CURRENCY = 'USD';
const MAX_CENTS = 1_000_000;
const CHALLENGE_TTL_MS = 5 * 60_000;

interface TransferRow {
  id: string;
  user_id: string;
  amount_cents: number;
  currency: string;
  payee: string;
  status: string;
  challenge_sid: string | null;
  factor_sid: string | null;
  number_match: string | null;
}

export const formatAmount = (cents: number, currency: string): string => new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);

/** "12.5" → 1250; undefined unless 0.01 to 10 000.00 with at most 2 decimals. */
export function parseAmount(input: string): number | undefined {
  const match = /^(\d{1,5})(?:\.(\d{1,2}))?$/.exec(input.trim());
  if (!match) return undefined;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return cents >= 1 && cents <= MAX_CENTS ? cents : undefined;
}

/**
 * Dynamic linking (PSD2 RTS art. 5): the approval is for this amount and this payee. The challenge
 * is created with exactly these details, and executing the transfer requires the approved challenge
 * to carry them unchanged.
 */
export function transferDetails(transfer: Pick<TransferRow, 'id' | 'amount_cents' | 'currency' | 'payee'>): { message: string; fields: ChallengeField[]; hidden: Record<string, string> } {
  return {
    message: 'Approve transfer',
    fields: [
      { label: 'Amount', value: formatAmount(transfer.amount_cents, transfer.currency) },
      { label: 'Payee', value: transfer.payee },
    ],
    hidden: { transfer_id: transfer.id },
  };
}

/** Why an approved challenge does not authorise this transfer, or undefined when it does. */
export function approvalMismatch(challenge: Challenge, transfer: TransferRow, user: User): string | undefined {
  const expected = transferDetails(transfer);
  if (challenge.identity !== user.id) return 'the approval is from another customer';
  if (challenge.factor_sid !== transfer.factor_sid) return 'the approval came from another device';
  if (challenge.details.message !== expected.message) return 'the approved message differs';
  const fields = challenge.details.fields;
  if (fields.length !== expected.fields.length || fields.some((f, i) => f.label !== expected.fields[i]?.label || f.value !== expected.fields[i]?.value)) return 'the approved amount or payee differs';
  const hidden = challenge.hidden_details ?? {};
  const keys = Object.keys(hidden);
  if (keys.length !== Object.keys(expected.hidden).length || keys.some((k) => hidden[k] !== expected.hidden[k])) return 'the approval is for another transfer';
  return undefined;
}

export function transferRoutes(app: FastifyInstance, ctx: DemoContext): void {
  const load = (user: User, id: string): TransferRow | undefined => ctx.db.prepare('SELECT * FROM transfers WHERE id = ? AND user_id = ?').get(id, user.id) as TransferRow | undefined;
  const setStatus = (id: string, status: string): boolean => ctx.db.prepare("UPDATE transfers SET status = ?, updated_at = ? WHERE id = ? AND status = 'pending'").run(status, Date.now(), id).changes === 1;

  /** The user's verified push factor at Verity, if any. */
  const pushFactor = async (user: User): Promise<string | undefined> => {
    try {
      const { factors } = await ctx.verity.factors.list(ctx.config.serviceSid, user.id, { pageSize: 50 });
      return factors.find((f) => f.factor_type === 'push' && f.status === 'verified')?.sid;
    } catch (error) {
      if (error instanceof VerityApiError && error.status === 404) return undefined; // no entity: no factors yet
      throw error;
    }
  };

  const notFound = (reply: FastifyReply, request: FastifyRequest, user: User) => html(reply, errorPage('No such transfer', 'This transfer does not exist or is not yours.', { csrf: request.demoSession.data.csrf, username: user.username, back: { href: '/account', label: 'Back to your account' } }), 404);

  app.get('/transfer', async (request, reply) => {
    const user = requireUser(ctx, request, reply);
    return user ? html(reply, transferFormPage(user.username, request.demoSession.data.csrf)) : reply;
  });

  app.post<{ Body: Record<string, string | undefined> }>('/transfer', async (request, reply) => {
    const user = requireUser(ctx, request, reply);
    if (!user) return reply;
    const csrf = request.demoSession.data.csrf;
    const amountInput = request.body.amount ?? '';
    const payee = (request.body.payee ?? '').trim().replace(/\s+/g, ' ');
    const form = { amount: amountInput, payee };
    const cents = parseAmount(amountInput);
    if (cents === undefined) return html(reply, transferFormPage(user.username, csrf, { ...form, error: 'Enter an amount from 0.01 to 10000.00 (digits, and a dot before the cents).' }), 400);
    // eslint-disable-next-line no-control-regex
    if (payee.length < 2 || payee.length > 70 || /[\u0000-\u001f\u007f]/.test(payee)) return html(reply, transferFormPage(user.username, csrf, { ...form, error: 'Enter the payee: 2 to 70 characters.' }), 400);
    const factorSid = await pushFactor(user);
    if (!factorSid) return html(reply, transferFormPage(user.username, csrf, { ...form, needsPush: true }), 409);

    const transfer: TransferRow = { id: `tr_${randomBytes(12).toString('hex')}`, user_id: user.id, amount_cents: cents, currency: CURRENCY, payee, status: 'pending', challenge_sid: null, factor_sid: factorSid, number_match: null };
    const details = transferDetails(transfer);
    let challenge: Challenge;
    try {
      challenge = await ctx.verity.challenges.create(ctx.config.serviceSid, user.id, {
        factorSid,
        details: { message: details.message, fields: details.fields },
        hiddenDetails: details.hidden,
        expirationDate: new Date(Date.now() + CHALLENGE_TTL_MS),
      });
    } catch (error) {
      if (!(error instanceof VerityApiError) || error.status >= 500) throw error;
      // E.g. too many unanswered approval requests in a row: Verity's limit protects the user from prompt bombing.
      return html(reply, transferFormPage(user.username, csrf, { ...form, error: `We could not send the approval request to your phone: ${error.message}` }), error.status === 429 ? 429 : 409);
    }
    const now = Date.now();
    ctx.db
      .prepare('INSERT INTO transfers (id, user_id, amount_cents, currency, payee, status, challenge_sid, factor_sid, number_match, sent_details, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(transfer.id, user.id, cents, CURRENCY, payee, 'pending', challenge.sid, factorSid, challenge.number_match, JSON.stringify(details), now, now);
    return reply.redirect(`/transfer/${transfer.id}`, 303);
  });

  app.get<{ Params: { id: string } }>('/transfer/:id', async (request, reply) => {
    const user = requireUser(ctx, request, reply);
    if (!user) return reply;
    const transfer = load(user, request.params.id);
    if (!transfer) return notFound(reply, request, user);
    if (transfer.status !== 'pending') return reply.redirect('/account', 303);
    return html(reply, transferWaitPage(user.username, request.demoSession.data.csrf, { id: transfer.id, amount: formatAmount(transfer.amount_cents, transfer.currency), payee: transfer.payee, numberMatch: transfer.number_match }, ctx.config.virtualPhoneUrl));
  });

  /** The challenge's status for transfer-wait.js, read from Verity by the server. */
  app.get<{ Params: { id: string } }>('/transfer/:id/status', async (request, reply) => {
    const user = currentUser(request);
    const transfer = user ? load(user, request.params.id) : undefined;
    if (!user || !transfer?.challenge_sid) return reply.status(404).send({ status: 'unknown' });
    if (transfer.status !== 'pending') return { status: transfer.status };
    const challenge = await ctx.verity.challenges.fetch(ctx.config.serviceSid, user.id, transfer.challenge_sid);
    return { status: challenge.status };
  });

  /** Executes the transfer only if Verity's challenge is approved, by the same factor, for exactly these details. */
  app.post<{ Params: { id: string } }>('/transfer/:id/complete', async (request, reply) => {
    const user = requireUser(ctx, request, reply);
    if (!user) return reply;
    const csrf = request.demoSession.data.csrf;
    const transfer = load(user, request.params.id);
    if (!transfer?.challenge_sid) return notFound(reply, request, user);
    const amount = formatAmount(transfer.amount_cents, transfer.currency);
    const done = (executed: boolean, title: string, message: string, status = 200) => html(reply, transferDonePage(user.username, csrf, { executed, title, message, amount, payee: transfer.payee }), status);
    if (transfer.status === 'executed') return done(true, 'Transfer sent', 'This transfer was already sent.');
    if (transfer.status !== 'pending') return done(false, 'Transfer not sent', `This transfer was not sent (${transfer.status}).`, 409);
    const challenge = await ctx.verity.challenges.fetch(ctx.config.serviceSid, user.id, transfer.challenge_sid);
    if (challenge.status === 'pending') {
      return html(reply, transferWaitPage(user.username, csrf, { id: transfer.id, amount, payee: transfer.payee, numberMatch: transfer.number_match }, ctx.config.virtualPhoneUrl), 409);
    }
    if (challenge.status === 'denied') {
      setStatus(transfer.id, 'denied');
      return done(false, 'Transfer not sent', challenge.denied_reason === 'number_mismatch' ? 'The number entered on your phone did not match. The transfer was not sent.' : 'You declined the transfer on your phone. It was not sent.', 409);
    }
    if (challenge.status === 'expired') {
      setStatus(transfer.id, 'expired');
      return done(false, 'Transfer not sent', 'The approval request expired before you answered it. The transfer was not sent; start a new one.', 409);
    }
    // Only an explicit approval executes: any other status (now or added later) never does.
    if (challenge.status !== 'approved') {
      setStatus(transfer.id, 'refused');
      return done(false, 'Transfer not sent', `The approval request ended without an approval (${challenge.status}). The transfer was not sent.`, 409);
    }
    const mismatch = approvalMismatch(challenge, transfer, user);
    if (mismatch) {
      setStatus(transfer.id, 'refused');
      request.log.warn({ transfer: transfer.id, mismatch }, 'approval does not match the transfer');
      return done(false, 'Transfer refused', `The approval on your phone does not match this transfer (${mismatch}). Nothing was sent.`, 409);
    }
    if (!setStatus(transfer.id, 'executed')) return done(false, 'Transfer not sent', 'This transfer was already handled.', 409);
    return done(true, 'Transfer sent', `You approved it on your phone: ${amount} is on its way to ${transfer.payee}.`);
  });

  function currentUser(request: FastifyRequest): User | undefined {
    const id = request.demoSession.data.userId;
    return id ? ctx.users.byId(id) : undefined;
  }
}
