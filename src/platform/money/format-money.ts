/**
 * ISO 4217 (List One) minor units where they are not 2: how many decimal digits one of the API's
 * integer minor units stands for. ISO 4217 decides, not Intl: `Intl.NumberFormat` (CLDR) gives the
 * digits a currency is usually *displayed* with, which for 17 currencies is fewer than its ISO minor
 * unit (MGA: ISO 2, CLDR 0; IQD: ISO 3, CLDR 0; also HUF, IDR, COP, LAK, LBP, PKR, …). An amount of
 * 500 MGA minor units is therefore 5.00 MGA, never 500 MGA. Codes ISO lists without a minor unit
 * (XDR, XAU, …) and codes outside this list take 2.
 */
const ISO_4217_MINOR_UNITS: Readonly<Record<string, number>> = {
  bif: 0, clp: 0, djf: 0, gnf: 0, isk: 0, jpy: 0, kmf: 0, krw: 0, pyg: 0, rwf: 0, ugx: 0, uyi: 0, vnd: 0, vuv: 0, xaf: 0, xof: 0, xpf: 0,
  bhd: 3, iqd: 3, jod: 3, kwd: 3, lyd: 3, omr: 3, tnd: 3,
  clf: 4, uyw: 4,
};

/** The ISO 4217 exponent of `currency`'s minor unit: 2 for USD, 0 for JPY, 3 for KWD. */
export function currencyExponent(currency: string): number {
  return ISO_4217_MINOR_UNITS[currency.toLowerCase()] ?? 2;
}

/**
 * Integer minor units as text for people, the one style of every page and e-mail: the amount with
 * its ISO 4217 digits and English grouping, then the upper-case code — (1999, 'usd') → "19.99 USD",
 * (123456789, 'usd') → "1,234,567.89 USD", (500, 'jpy') → "500 JPY", (1000, 'kwd') → "1.000 KWD".
 * The code rather than a symbol, because "$" alone does not say which dollar. Exact: the decimal is
 * built from the integer's digits and handed to Intl as a string, so no float ever rounds it.
 */
export function formatMoney(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError('amount must be an integer number of minor units');
  if (!/^[a-zA-Z]{3}$/.test(currency)) throw new RangeError('currency must be an ISO 4217 code');
  const code = currency.toUpperCase();
  const exponent = currencyExponent(code);
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const decimal = `${amount < 0 ? '-' : ''}${whole}${exponent > 0 ? `.${digits.slice(whole.length)}` : ''}` as Intl.StringNumericLiteral;
  const parts = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: code,
    currencyDisplay: 'code',
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).formatToParts(decimal);
  const number = parts.filter((p) => p.type !== 'currency' && p.type !== 'literal').map((p) => p.value).join('');
  return `${number} ${code}`;
}
