import { relayRetryDelayMs } from './outbox-relay.service';
import { redactSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  it.each([
    ['signing failed for whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'signing failed for whsec_[redacted]'],
    ['key ck_live_abc123_DEF rejected', 'key ck_live_[redacted] rejected'],
    ['header Authorization: Bearer abc.def-ghi', 'header Authorization: Bearer [redacted]'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature', 'token [redacted jwt]'],
    ['connect smtp://mailer:hunter2@smtp.example.com:587 failed', 'connect smtp://mailer:[redacted]@smtp.example.com:587 failed'],
    ['to must hold at least one valid e-mail address', 'to must hold at least one valid e-mail address'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });
});

describe('relayRetryDelayMs', () => {
  it('doubles from the base and stops at 6 h', () => {
    expect([1, 2, 3, 4].map((n) => relayRetryDelayMs(30_000, n))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(relayRetryDelayMs(30_000, 40)).toBe(6 * 60 * 60_000);
  });
});
