import { carrierWebhookSecret, signCarrierPayload, verifyCarrierSignature } from './carrier-signature';

describe('carrier webhook signature', () => {
  const secret = carrierWebhookSecret('h'.repeat(40), 'ten_1', 'test', 'sandbox');
  const body = Buffer.from('{"id":"evt_1","tracking_number":"SBX1","status":"in_transit"}');

  it('derives one secret per tenant, mode and carrier', () => {
    expect(secret).toBe(carrierWebhookSecret('h'.repeat(40), 'ten_1', 'test', 'sandbox'));
    expect(secret).not.toBe(carrierWebhookSecret('h'.repeat(40), 'ten_1', 'live', 'sandbox'));
    expect(secret).not.toBe(carrierWebhookSecret('h'.repeat(40), 'ten_2', 'test', 'sandbox'));
    expect(secret).toMatch(/^whsec_/);
  });

  it('accepts its own fresh signature only', () => {
    const header = signCarrierPayload(secret, 1000, body);
    expect(verifyCarrierSignature(header, body, secret, 1000)).toBe(true);
    expect(verifyCarrierSignature(header, body, secret, 1000 + 301)).toBe(false);
    expect(verifyCarrierSignature(header, Buffer.from(body.toString() + ' '), secret, 1000)).toBe(false);
    expect(verifyCarrierSignature(header, body, carrierWebhookSecret('h'.repeat(40), 'ten_2', 'test', 'sandbox'), 1000)).toBe(false);
    expect(verifyCarrierSignature(undefined, body, secret, 1000)).toBe(false);
    expect(verifyCarrierSignature('t=1000,v1=zz', body, secret, 1000)).toBe(false);
  });
});
