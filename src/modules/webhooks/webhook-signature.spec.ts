import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signatureHeaders } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ id: 'evt_1', type: 'order.created', data: { object: { id: 'ord_1' } } });

  it('signs for the Standard Webhooks verifier', () => {
    const headers = signatureHeaders(secret, 'evt_1', body);
    expect(headers['webhook-signature']).toMatch(/^v1,/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('puts the hex HMAC of the raw body keyed with the whole secret in X-Webhook-Signature', () => {
    const headers = signatureHeaders(secret, 'evt_1', body);
    expect(headers['X-Webhook-Signature']).toBe(createHmac('sha256', secret).update(body).digest('hex'));
  });

  it('signs exactly as the Standard Webhooks reference library does', () => {
    for (let i = 0; i < 20; i++) {
      const someSecret = newWebhookSecret();
      const at = new Date(1_800_000_000_000 + i * 1000);
      const headers = signatureHeaders(someSecret, `evt_${i}`, `${body}${'é'.repeat(i)}`, at);
      expect(headers['webhook-signature']).toBe(new Webhook(someSecret).sign(`evt_${i}`, at, `${body}${'é'.repeat(i)}`));
    }
  });

  it('fails verification for a tampered body', () => {
    const headers = signatureHeaders(secret, 'evt_1', body);
    expect(() => new Webhook(secret).verify(body.replace('ord_1', 'ord_2'), headers)).toThrow();
  });
});
