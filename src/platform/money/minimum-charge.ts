import { DomainError } from '../errors/domain-errors';
import { currencyExponent, formatMoney } from './format-money';

/**
 * The smallest sensible charge (Stripe's rule: below it a card charge is refused), and the signal a
 * decimal-minded client gets: `"amount": 25.00` is the JSON number 25, i.e. 0.25 USD, never 25 dollars.
 * One setting, in minor units of a 2-decimal currency (50 = 0.50), gives every currency the same
 * nominal minimum through its ISO 4217 exponent: 0.50 USD = 50, 0.500 KWD = 500, 0.5 JPY → 1 (whole
 * minor units, rounded up). Not an exchange rate: a guard against misread amounts.
 */
export function minimumChargeOf(currency: string, minimumOfTwoDecimal: number): number {
  const exponent = currencyExponent(currency);
  if (exponent >= 2) return minimumOfTwoDecimal * 10 ** (exponent - 2);
  return Math.ceil(minimumOfTwoDecimal / 10 ** (2 - exponent));
}

/** The minimum `amount` falls short of, or null when it does not (0 or less, or no minimum configured, is never "too small"). */
function shortfall(amount: number, currency: string, minimumOfTwoDecimal: number): number | null {
  if (minimumOfTwoDecimal <= 0 || amount <= 0) return null;
  const minimum = minimumChargeOf(currency, minimumOfTwoDecimal);
  return amount < minimum ? minimum : null;
}

/** "25.00 USD is 2500": what the number would have been had the client meant major units. */
function minorUnitsReading(amount: number, currency: string): string {
  const asMajor = amount * 10 ** currencyExponent(currency);
  return `${formatMoney(asMajor, currency)} is ${asMajor}`;
}

/** 422 `amount_too_small` (field `amount`): a charge below the currency's minimum. */
export class AmountTooSmallError extends DomainError {
  constructor(amount: number, currency: string, minimum: number, field = 'amount') {
    super(
      'amount_too_small',
      `${field} ${amount} is ${formatMoney(amount, currency)}, below the minimum charge of ${formatMoney(minimum, currency)}. ` +
        `Amounts are integer minor units: ${minorUnitsReading(amount, currency)}`,
      field,
      [{ field, message: `below the minimum charge of ${minimum} (${formatMoney(minimum, currency)})` }],
    );
  }
}

/** Refuses a charge below the currency's minimum (AmountTooSmallError). */
export function assertMinimumCharge(amount: number, currency: string, minimumOfTwoDecimal: number, field = 'amount'): void {
  const minimum = shortfall(amount, currency, minimumOfTwoDecimal);
  if (minimum !== null) throw new AmountTooSmallError(amount, currency, minimum, field);
}

/**
 * The `Warning` header value (RFC 7234 warn-code 299) for an accepted amount above 0 but below the
 * minimum charge, or null. Only digits, letters, spaces and `.,:` go inside the quoted text, so it
 * needs no escaping.
 */
export function minimumChargeWarning(amount: number, currency: string, minimumOfTwoDecimal: number, field = 'total'): string | null {
  const minimum = shortfall(amount, currency, minimumOfTwoDecimal);
  if (minimum === null) return null;
  return `299 - "${field} ${amount} is ${formatMoney(amount, currency)}, below the minimum charge of ${formatMoney(minimum, currency)}: ` +
    `amounts are integer minor units, so ${minorUnitsReading(amount, currency)}"`;
}
