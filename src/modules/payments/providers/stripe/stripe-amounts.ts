import { currencyExponent } from '../../../../platform/money/format-money';

/**
 * Stripe's "smallest currency unit" per currency where it differs from the ISO 4217 minor unit our
 * API uses (https://docs.stripe.com/currencies): MGA is zero-decimal at Stripe (ISO: 2); ISK is
 * two-decimal at Stripe for backwards compatibility (ISO: 0). Every other currency, the zero-decimal
 * (JPY, KRW, …) and three-decimal (BHD, JOD, KWD, OMR, TND) ones included, has the same exponent.
 */
const STRIPE_EXPONENT: Readonly<Record<string, number>> = { mga: 0, isk: 2 };

/** Stripe refuses amounts with sub-units the card networks cannot carry: in these, amounts must be a multiple of this (in Stripe's units). */
const STRIPE_STEP: Readonly<Record<string, number>> = {
  // Three-decimal currencies: the last digit must be 0.
  bhd: 10, jod: 10, kwd: 10, omr: 10, tnd: 10,
  // Effectively zero-decimal, two-decimal in the API: whole krónur only.
  isk: 100,
};

export class UnsupportedStripeAmount extends Error {}

function stripeExponent(currency: string): number {
  return STRIPE_EXPONENT[currency] ?? currencyExponent(currency);
}

/** Our integer minor units → Stripe's `amount`; throws UnsupportedStripeAmount when Stripe cannot charge it exactly. */
export function toStripeAmount(amount: number, currency: string): number {
  const shift = stripeExponent(currency) - currencyExponent(currency);
  const factor = 10 ** Math.abs(shift);
  if (shift < 0 && amount % factor !== 0) {
    throw new UnsupportedStripeAmount(`${currency.toUpperCase()} amounts are charged in whole units: ${amount} minor units is not a multiple of ${factor}`);
  }
  const stripeAmount = shift >= 0 ? amount * factor : amount / factor;
  const step = STRIPE_STEP[currency] ?? 1;
  if (stripeAmount % step !== 0) {
    throw new UnsupportedStripeAmount(`${currency.toUpperCase()} card amounts must be a multiple of ${step / factor ** Math.sign(shift)} minor units`);
  }
  return stripeAmount;
}

/** Stripe's `amount` → our integer minor units. */
export function fromStripeAmount(stripeAmount: number, currency: string): number {
  const shift = stripeExponent(currency) - currencyExponent(currency);
  return shift >= 0 ? Math.round(stripeAmount / 10 ** shift) : stripeAmount * 10 ** -shift;
}
