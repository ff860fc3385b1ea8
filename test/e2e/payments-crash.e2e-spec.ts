import type { ChildProcess } from 'node:child_process';
import { DataSource } from 'typeorm';
import { PaymentReconciliationService } from '../../src/modules/payments/payment-reconciliation.service';
import type { TestApp } from '../support/app';
import { freePort } from '../support/child-processes';
import { startAppWithDb } from '../support/fixtures';
import { OK_CARD, PaymentShop } from '../support/payment-fixtures';
import { spawnProcess } from '../support/processes';
import { waitFor } from '../support/wait';

/** The API as its own OS process (same database and Redis), so the test can SIGKILL it mid-payment. */
function startApiProcess(port: number, env: Record<string, string>): ChildProcess {
  return spawnProcess('main', { PORT: String(port), ...env });
}

/**
 * Issue 10's crash test: the sandbox processor captures the money and then hangs
 * (SANDBOX_PROVIDER_FAULT=hang_after_charge), the API process is SIGKILLed between the processor
 * call and the transaction that records it, and the reconciliation (run here, as the worker's
 * `payments:reconcile` job would) records the payment exactly once: intent, invoice and ledger agree.
 */
describe('a payment survives the API being killed after the processor charged (e2e)', () => {
  let t: TestApp, db: DataSource, api: ChildProcess | undefined;

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
  });
  afterAll(async () => {
    api?.kill('SIGKILL');
    await t.close();
  });

  it('SIGKILL after the capture, before its record: the reconciliation records it once, a second run changes nothing', async () => {
    const shop = await new PaymentShop(t.http, db).setUp('Crash pay shop');
    const invoice = await shop.invoice(8800);

    const port = await freePort();
    api = startApiProcess(port, { SANDBOX_PROVIDER_FAULT: 'hang_after_charge', QUEUE_PREFIX: `cbapipaycrash${process.pid}` });
    const base = `http://127.0.0.1:${port}`;
    await waitFor('the API process', async () => (await fetch(`${base}/health/live`)).ok, 60000);

    // The request never answers: the sandbox hangs after charging. Its failure when the process dies is expected.
    const payment = fetch(`${base}/api/v1/invoices/${invoice.id}/pay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${shop.key}`, 'content-type': 'application/json', 'idempotency-key': `crash-${invoice.id}` },
      body: JSON.stringify({ payment_method: 'card', card: OK_CARD }),
    }).catch((err: Error) => err);

    const intentId = await waitFor('the sandbox capture', async () => {
      const rows: { id: string }[] = await db.query(
        `SELECT i.id FROM payment_intents i JOIN sandbox_processor_calls c
            ON c.tenant_id = i.tenant_id AND c.mode = i.mode AND c.idempotency_key = i.id || ':capture'
          WHERE i.tenant_id = $1 AND i.target_id = $2`,
        [shop.tenantId, invoice.id],
      );
      return rows[0]?.id;
    }, 30000);
    // No transaction is open while the processor hangs: the process holds nothing when it dies.
    api.kill('SIGKILL');
    await new Promise((resolve) => api!.once('exit', resolve));
    expect(await payment).toMatchObject({ message: expect.stringMatching(/fetch failed/) }); // the request died with the process

    // The money moved; the records say only that it was sent.
    expect(await shop.get(`/api/v1/payments/${intentId}`)).toMatchObject({ status: 'processing', amount_captured: 0 });
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'open', amount_paid: 0 });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'pending', amount: 8800 }]);
    // A retry with the same Idempotency-Key meanwhile is told the first is still running; a new payment is refused.
    const retry = await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', card: OK_CARD }, { 'Idempotency-Key': `crash-${invoice.id}` });
    expect(retry.status).toBe(409);
    expect((await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', card: OK_CARD })).status).toBe(409);

    const reconciliation = t.app.get(PaymentReconciliationService);
    expect(await reconciliation.reconcile(0, shop.tenantId)).toEqual({ settled: 1, unchanged: 0, failed: 0 });
    expect(await shop.get(`/api/v1/payments/${intentId}`)).toMatchObject({ status: 'succeeded', amount_captured: 8800 });
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid', amount_paid: 8800, amount_due: 0 });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'completed', amount: 8800 }]);
    const [calls] = await db.query(`SELECT count(*)::int AS n FROM sandbox_processor_calls WHERE tenant_id = $1 AND idempotency_key LIKE $2`, [shop.tenantId, `${intentId}%`]);
    expect(calls.n).toBe(2); // one authorization, one capture: the money moved once

    expect(await reconciliation.reconcile(0, shop.tenantId)).toEqual({ settled: 0, unchanged: 0, failed: 0 });
    expect(await shop.ledgerOf(invoice.id)).toHaveLength(1);
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid', amount_paid: 8800 });
  }, 120000);
});
