import { domainToASCII, domainToUnicode } from 'node:url';

/** A name as the registry knows it (ASCII) and as people read it, split at the TLD it is sold under. */
export interface ParsedDomainName {
  ascii: string;
  unicode: string;
  /** The longest suffix of the name that is a TLD of the price table (`co.uk` before `uk`), ASCII. */
  tld: string | null;
}

export type DomainNameVerdict =
  | { valid: true; name: ParsedDomainName }
  | { valid: false; name: ParsedDomainName | null; errors: string[]; unsupportedTld?: boolean };

const LDH = /^[a-z0-9-]+$/;
/** What an IDN label may hold once decoded: letters, combining marks, digits and hyphens (an approximation of IDNA2008's PVALID). */
const IDN_LABEL = /^[\p{L}\p{M}\p{N}-]+$/u;
const MAX_NAME = 253;
const MAX_LABEL = 63;
const MAX_ERRORS = 10;

/** A label as error messages quote it: long ones cut, so a message stays short. */
const quoted = (label: string) => `"${label.length > 40 ? `${label.slice(0, 40)}…` : label}"`;

/**
 * The registry rules for a name to register: lower-cased, converted to ASCII by the IDNA (UTS #46)
 * processing of `node:url`'s `domainToASCII` (so `bücher.com` is `xn--bcher-kva.com`), then RFC
 * 1035/5891 label rules on the ASCII form: 1–63 characters of letters, digits and hyphens, no hyphen
 * first or last, `--` in positions 3–4 only in an `xn--` label that is valid punycode of letters,
 * marks and digits, at most 253 characters in all; and exactly one label under a TLD of `tlds`.
 * At most MAX_ERRORS problems are listed (a long name of bad labels would repeat itself).
 */
export function parseDomainName(input: string, tlds: ReadonlySet<string>): DomainNameVerdict {
  const trimmed = input.trim().replace(/\.$/, '');
  if (trimmed.length === 0) return { valid: false, name: null, errors: ['the name is empty'] };
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (ascii === '') return { valid: false, name: null, errors: ['the name is not a valid internationalized domain name (IDNA)'] };
  // Too long is final (and punycode can make it much longer than the input): no form of it is echoed back.
  if (ascii.length > MAX_NAME) return { valid: false, name: null, errors: [`the name is ${ascii.length} characters in ASCII; at most ${MAX_NAME}`] };
  const unicode = domainToUnicode(ascii) || ascii;
  const labels = ascii.split('.');
  const errors: string[] = [];
  if (labels.length < 2) errors.push('the name needs a label and a TLD (e.g. example.com)');
  for (const label of labels) errors.push(...labelProblems(label));
  const tld = longestTld(labels, tlds);
  const name: ParsedDomainName = { ascii, unicode, tld };
  if (errors.length > 0) return { valid: false, name, errors: [...new Set(errors)].slice(0, MAX_ERRORS) };
  if (tld === null) return { valid: false, name, errors: [`no TLD of the price table matches ${ascii}`], unsupportedTld: true };
  if (labels.length !== tld.split('.').length + 1) {
    return { valid: false, name, errors: [`register one label directly under .${tld} (not a subdomain)`] };
  }
  return { valid: true, name };
}

function labelProblems(label: string): string[] {
  if (label.length === 0) return ['the name has an empty label (two dots in a row)'];
  const problems: string[] = [];
  if (label.length > MAX_LABEL) problems.push(`label ${quoted(label)} is ${label.length} characters; at most ${MAX_LABEL}`);
  if (!LDH.test(label)) problems.push(`label ${quoted(label)} may contain only letters, digits and hyphens`);
  if (label.startsWith('-') || label.endsWith('-')) problems.push(`label ${quoted(label)} may not start or end with a hyphen`);
  if (label.slice(2, 4) === '--' && !label.startsWith('xn--')) problems.push(`label ${quoted(label)} has "--" in positions 3-4, reserved for xn-- labels`);
  if (label.startsWith('xn--')) {
    const decoded = domainToUnicode(label);
    if (decoded === '' || decoded === label || domainToASCII(decoded) !== label) problems.push(`label ${quoted(label)} is not valid punycode`);
    // UTS #46 (what node:url applies) still maps symbols and emoji; IDNA2008 registries take letters, marks and digits only.
    else if (!IDN_LABEL.test(decoded)) problems.push(`label ${quoted(decoded)} has characters registries refuse (symbols, emoji, punctuation)`);
  }
  return problems;
}

function longestTld(labels: string[], tlds: ReadonlySet<string>): string | null {
  for (let i = 1; i < labels.length; i++) {
    const suffix = labels.slice(i).join('.');
    if (tlds.has(suffix)) return suffix;
  }
  return null;
}

/** A TLD as the price table keys it: ASCII, lower-case, no leading dot; null when it is not a valid TLD. */
export function normalizeTld(input: string): string | null {
  const ascii = domainToASCII(input.trim().replace(/^\./, '').toLowerCase());
  if (ascii === '' || ascii.length > MAX_NAME) return null;
  const labels = ascii.split('.');
  if (labels.some((l) => labelProblems(l).length > 0)) return null;
  // The last label of a TLD is never all digits (it would read as an IPv4 address).
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return null;
  return ascii;
}

/** The Unicode form of an ASCII name or TLD (itself when it has no xn-- label). */
export function toUnicode(ascii: string): string {
  return domainToUnicode(ascii) || ascii;
}

/** A nameserver host name in ASCII (lower-case, no trailing dot); null when it is not a valid host name of 2+ labels. */
export function normalizeHostName(input: string): string | null {
  const ascii = domainToASCII(input.trim().replace(/\.$/, '').toLowerCase());
  if (ascii === '' || ascii.length > MAX_NAME) return null;
  const labels = ascii.split('.');
  return labels.length >= 2 && labels.every((l) => labelProblems(l).length === 0) ? ascii : null;
}
