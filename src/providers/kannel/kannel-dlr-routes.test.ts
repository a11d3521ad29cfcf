import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { capturedLogger } from '../../../test/support/captured-logger.ts';
import { installErrorHandling } from '../../http/error-handler.ts';
import { validatorCompiler } from '../../http/schema/validation.ts';
import type { DeliveryStatusReport, ReportOutcome } from '../../messaging/delivery-status.ts';
import { kannelDlrToken } from './kannel-dlr.ts';
import { kannelDlrRoutes } from './kannel-dlr-routes.ts';

const KEY = Buffer.alloc(32, 3);
const KNOWN = 'DA0123456789abcdef0123456789abcdef';
const GONE = 'DAffffffffffffffffffffffffffffffff';

describe('Kannel dlr-url route', () => {
  let app: FastifyInstance;
  const reports: DeliveryStatusReport[] = [];
  const { logger, lines } = capturedLogger();
  const call = (attempt: string, query: string, token = kannelDlrToken(KEY, attempt)) => app.inject({ method: 'GET', url: `/messaging/kannel-eu/dlr?attempt=${attempt}&token=${token}&${query}` });

  before(async () => {
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    installErrorHandling(app, () => 'https://verity.example.com');
    const report = async (r: DeliveryStatusReport): Promise<ReportOutcome> => {
      reports.push(r);
      return r.attemptId === KNOWN ? 'recorded' : 'unknown';
    };
    await kannelDlrRoutes(app, { instance: 'kannel-eu', key: KEY, deliveryStatus: { report }, logger });
    await app.ready();
  });
  after(() => app.close());

  it('records a report of a known attempt: 204', async () => {
    const response = await call(KNOWN, 'type=2&answer=id%3Ap1%20stat%3AUNDELIV%20err%3A011%20text%3AYour%20code&ts=1796558460&smsc=perl');
    assert.equal(response.statusCode, 204);
    assert.deepEqual(reports.at(-1), { provider: 'kannel-eu', attemptId: KNOWN, status: 'undelivered', errorCode: '011', errorMessage: 'UNDELIV', at: 1_796_558_460_000 });
  });

  it('an attempt the sink does not know: 404 with the error body (Kannel retries only with http-request-retry)', async () => {
    const response = await call(GONE, 'type=1&answer=&ts=&smsc=');
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().code, 20404);
  });

  it('a token of another attempt: 403, nothing reported, a warning without the token', async () => {
    const before = reports.length;
    const token = kannelDlrToken(KEY, GONE);
    const response = await call(KNOWN, 'type=1', token);
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().code, 20003);
    assert.equal(response.headers['www-authenticate'], undefined, 'no Basic challenge');
    assert.equal(reports.length, before);
    const warning = lines.find((l) => l['level'] === 40);
    assert.ok(warning, 'a warning is logged');
    assert.equal(JSON.stringify(warning).includes(token), false, 'the token is not logged');
  });

  it('a report type Verity did not ask for, or a malformed time: 400, nothing reported', async () => {
    const before = reports.length;
    for (const query of ['type=32', 'type=x', 'type=1&ts=soon', '']) {
      const response = await call(KNOWN, query);
      assert.equal(response.statusCode, 400, query);
      assert.equal(response.json().code, 60200, query);
    }
    assert.equal(reports.length, before);
  });
});
