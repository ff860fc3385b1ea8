import { hostedPageBuckets } from './hosted-page-rate-limit.guard';
import { describeWait } from './hosted-page';

describe('hosted pages', () => {
  it('says a wait in words, rounded up', () => {
    expect(describeWait(0)).toBe('1 second');
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(59)).toBe('59 seconds');
    expect(describeWait(60)).toBe('1 minute');
    expect(describeWait(61)).toBe('2 minutes');
    expect(describeWait(3600)).toBe('about 1 hour');
    expect(describeWait(86399)).toBe('about 24 hours');
  });

  it('keys buckets by a hash of the token (never the token itself), per page family, and by client IP', () => {
    const token = 'A'.repeat(43);
    const pay = hostedPageBuckets('pay', token, '10.0.0.1');
    expect(pay.token).toMatch(/^hosted:pay:token:[0-9a-f]{32}$/);
    expect(pay.token).not.toContain(token);
    expect(hostedPageBuckets('pay', `${token}/`, '10.0.0.2').token).toBe(pay.token);
    expect(hostedPageBuckets('checkout', token, '10.0.0.1').token).not.toBe(pay.token);
    expect(pay.ip).toBe('hosted:ip:10.0.0.1');
  });
});
