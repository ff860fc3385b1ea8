/** ISO 4217 currencies whose minor unit is not 1/100. Everything else has two decimals. */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'isk', 'jpy', 'kmf', 'krw', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'iqd', 'jod', 'kwd', 'lyd', 'omr', 'tnd']);

export function currencyExponent(currency: string): number {
  const c = currency.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** Integer minor units to text with integer math only: (12345, 'usd') → "123.45 USD", (-5, 'usd') → "-0.05 USD". */
export function formatMoney(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError('amount must be an integer number of minor units');
  if (!/^[a-zA-Z]{3}$/.test(currency)) throw new RangeError('currency must be an ISO 4217 code');
  const exponent = currencyExponent(currency);
  const negative = amount < 0;
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction} ${currency.toUpperCase()}`;
}
