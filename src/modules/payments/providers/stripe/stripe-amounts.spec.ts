import { fromStripeAmount, toStripeAmount, UnsupportedStripeAmount } from './stripe-amounts';

describe('Stripe amounts from our ISO 4217 minor units', () => {
  it('passes two-decimal and zero-decimal amounts through unchanged', () => {
    expect(toStripeAmount(1999, 'usd')).toBe(1999);
    expect(toStripeAmount(500, 'jpy')).toBe(500);
    expect(toStripeAmount(12345, 'krw')).toBe(12345);
    expect(fromStripeAmount(500, 'jpy')).toBe(500);
  });

  it('takes three-decimal amounts whose last digit is 0, and refuses the others', () => {
    expect(toStripeAmount(5120, 'kwd')).toBe(5120);
    expect(() => toStripeAmount(5124, 'kwd')).toThrow(UnsupportedStripeAmount);
    expect(fromStripeAmount(5120, 'kwd')).toBe(5120);
  });

  it('converts where Stripe and ISO disagree: ISK ×100, MGA ÷100 (whole ariary only)', () => {
    expect(toStripeAmount(500, 'isk')).toBe(50000);
    expect(fromStripeAmount(50000, 'isk')).toBe(500);
    expect(toStripeAmount(500, 'mga')).toBe(5);
    expect(fromStripeAmount(5, 'mga')).toBe(500);
    expect(() => toStripeAmount(550, 'mga')).toThrow(UnsupportedStripeAmount);
  });
});
