import { AmountTooSmallError, assertMinimumCharge, minimumChargeOf, minimumChargeWarning } from './minimum-charge';

describe('minimum charge: one setting for a 2-decimal currency, scaled by the ISO 4217 exponent', () => {
  it('scales 50 (0.50) to each currency, in whole minor units rounded up', () => {
    expect(minimumChargeOf('usd', 50)).toBe(50);
    expect(minimumChargeOf('eur', 50)).toBe(50);
    expect(minimumChargeOf('kwd', 50)).toBe(500);
    expect(minimumChargeOf('clf', 50)).toBe(5000);
    expect(minimumChargeOf('jpy', 50)).toBe(1);
    expect(minimumChargeOf('jpy', 250)).toBe(3);
    expect(minimumChargeOf('usd', 0)).toBe(0);
  });

  it('refuses an amount below the minimum with amount_too_small, in major units and the minor-units reading', () => {
    expect(() => assertMinimumCharge(50, 'usd', 50)).not.toThrow();
    expect(() => assertMinimumCharge(1, 'jpy', 50)).not.toThrow();
    expect(() => assertMinimumCharge(25, 'usd', 0)).not.toThrow();
    let error: unknown;
    try {
      assertMinimumCharge(25, 'usd', 50);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AmountTooSmallError);
    expect(error).toMatchObject({
      code: 'amount_too_small',
      status: 422,
      field: 'amount',
      message: 'amount 25 is 0.25 USD, below the minimum charge of 0.50 USD. Amounts are integer minor units: 25.00 USD is 2500',
      details: [{ field: 'amount', message: 'below the minimum charge of 50 (0.50 USD)' }],
    });
    expect(() => assertMinimumCharge(25, 'kwd', 50)).toThrow('amount 25 is 0.025 KWD, below the minimum charge of 0.500 KWD. Amounts are integer minor units: 25.000 KWD is 25000');
  });

  it('warns (299) about a positive total below the minimum; nothing for 0, at or above it, or without a minimum', () => {
    expect(minimumChargeWarning(25, 'usd', 50)).toBe(
      '299 - "total 25 is 0.25 USD, below the minimum charge of 0.50 USD: amounts are integer minor units, so 25.00 USD is 2500"',
    );
    expect(minimumChargeWarning(0, 'usd', 50)).toBeNull();
    expect(minimumChargeWarning(50, 'usd', 50)).toBeNull();
    expect(minimumChargeWarning(25, 'usd', 0)).toBeNull();
    expect(minimumChargeWarning(7, 'jpy', 50)).toBeNull();
  });
});
