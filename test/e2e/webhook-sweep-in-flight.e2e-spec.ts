import { DataSource } from 'typeorm';
import { WebhooksRepository } from '../../src/modules/webhooks/webhooks.repository';
import { startTestApp, type TestApp } from '../support/app';
import { pendingWebhookDelivery } from '../support/webhook-fixtures';
import { ownerDb } from '../support/owner-db';

const OVERDUE_AFTER_MS = 30_000;
const LEASE_MS = 15_000;

/**
 * The overdue sweep re-enqueues deliveries whose job was lost. An attempt that is being sent right
 * now is not lost: it must not be swept (that would POST the same event twice at once), and when
 * its lease did run out and a newer attempt went out, the stale attempt's answer must not
 * overwrite where the newer one left the delivery.
 */
describe('webhook sweep and attempts in flight (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function backlogDelivery(): Promise<{ deliveryId: string; tenantId: string }> {
    const { tenantId, deliveryId } = await pendingWebhookDelivery(t, 'Sweep shop');
    const db = await ownerDb();
    // Queued behind a long backlog: due a minute ago, its job only starts now.
    await db.query(`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '60 seconds' WHERE id = $1`, [deliveryId]);
    return { deliveryId, tenantId };
  }

  const overdueIds = async () =>
    (await t.app.get(WebhooksRepository).overdueDeliveries(t.app.get(DataSource).manager, OVERDUE_AFTER_MS, 1000)).map((d) => d.id);

  it('does not take an attempt that is being sent for a lost one', async () => {
    const { deliveryId } = await backlogDelivery();
    expect(await overdueIds()).toContain(deliveryId);

    const [claimed] = await t.app.get(WebhooksRepository).claimAttempts(t.app.get(DataSource), [{ deliveryId, attempt: 1 }], LEASE_MS);
    expect(claimed?.attempts).toBe(1);
    expect(await overdueIds()).not.toContain(deliveryId);
  });

  it("keeps a newer attempt's outcome when a stale attempt answers after it", async () => {
    const { deliveryId, tenantId } = await backlogDelivery();
    const repo = t.app.get(WebhooksRepository);
    const dataSource = t.app.get(DataSource);
    const db = await ownerDb();
    expect((await repo.claimAttempts(dataSource, [{ deliveryId, attempt: 1 }], LEASE_MS))[0]?.attempts).toBe(1);
    // Attempt 1 outlives its lease (a stuck worker): the sweep's attempt 2 goes out and succeeds.
    await db.query(`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '60 seconds' WHERE id = $1`, [deliveryId]);
    expect(await overdueIds()).toContain(deliveryId);
    expect((await repo.claimAttempts(dataSource, [{ deliveryId, attempt: 2 }], LEASE_MS))[0]?.attempts).toBe(2);
    const outcome = { tenantId, deliveryId, latencyMs: 5, responseExcerpt: null };
    await repo.recordAttempts(dataSource, [{ ...outcome, attempt: 2, statusCode: 200, error: null, status: 'succeeded', nextAttemptAt: null, lastError: null }]);
    // Then attempt 1 times out and would schedule a retry.
    await repo.recordAttempts(dataSource, [
      { ...outcome, attempt: 1, statusCode: null, error: 'timeout', status: 'pending', nextAttemptAt: new Date(Date.now() + 60_000), lastError: 'timeout' },
    ]);

    const [delivery] = await db.query(`SELECT status, attempts, last_status_code, next_attempt_at FROM webhook_deliveries WHERE id = $1`, [deliveryId]);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 2, last_status_code: 200, next_attempt_at: null });
    // Both answers stay in the attempt log.
    const attempts = await db.query(`SELECT attempt, status_code, error FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt`, [deliveryId]);
    expect(attempts).toEqual([{ attempt: 1, status_code: null, error: 'timeout' }, { attempt: 2, status_code: 200, error: null }]);
  });
});
