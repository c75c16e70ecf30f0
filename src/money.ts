// Minor-unit exponents that are not 2 (ISO 4217); every other currency has two decimals.
const EXPONENT: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export function exponentOf(currency: string): number {
  return EXPONENT[currency] ?? 2;
}

// Symbols and codes exports put around amounts (¥1,234.56, CNY 12.00, $3.50, 12.00元).
const DECORATION = /[¥￥$€£₩元\s]|^[A-Z]{3}|[A-Z]{3}$/g;
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;
// Thousands groups after a first group that is not 0: no one writes 0,250 for 250.
const GROUPED = /^[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/;

/** What a currency symbol may stand for: a dollar sign is any dollar, a yen sign yuan or yen. */
const SYMBOL_CURRENCIES: Readonly<Record<string, readonly string[]>> = {
  '¥': ['CNY', 'JPY'], '￥': ['CNY', 'JPY'], '元': ['CNY'], '€': ['EUR'], '£': ['GBP'], '₩': ['KRW'],
  $: ['USD', 'HKD', 'SGD', 'AUD', 'CAD', 'NZD', 'TWD', 'MXN', 'MOP', 'BND'],
};
const CODE_AROUND = /^([A-Z]{3})|([A-Z]{3})$/;

/**
 * The currency a decorated amount names when it is not the record's ("$5.00" in a CNY file, "USD 5.00"):
 * read as the record's currency, it would be another sum of money. RMB is the yuan's everyday name.
 */
function otherCurrency(s: string, currency: string): string | undefined {
  for (const [symbol, currencies] of Object.entries(SYMBOL_CURRENCIES)) {
    if (s.includes(symbol) && !currencies.includes(currency)) return symbol === '$' ? 'dollars ($)' : `${currencies.join(' or ')} (${symbol})`;
  }
  const code = CODE_AROUND.exec(s);
  const named = code?.[1] ?? code?.[2];
  if (named && named !== currency && !(named === 'RMB' && currency === 'CNY')) return named;
  return undefined;
}

/** A number's exact decimal text: the shortest round-trip form, with any exponent spelled out. */
export function decimalText(n: number): string {
  const s = String(n);
  const e = s.search(/e/i);
  if (e < 0) return s;
  const [mant, expText] = [s.slice(0, e), s.slice(e + 1)];
  const exp = Number(expText);
  const negative = mant.startsWith('-');
  const digits = mant.replace(/^-/, '').replace('.', '');
  const point = mant.replace(/^-/, '').indexOf('.');
  const intLen = (point < 0 ? digits.length : point) + exp;
  let out: string;
  if (intLen <= 0) out = '0.' + '0'.repeat(-intLen) + digits;
  else if (intLen >= digits.length) out = digits + '0'.repeat(intLen - digits.length);
  else out = digits.slice(0, intLen) + '.' + digits.slice(intLen);
  return (negative ? '-' : '') + out;
}

const PLAIN = /^\d{1,12}(?:\.(\d{1,3}))?$/;
/** A trillion in any currency is no card payment (the largest POS amounts, in dong or rial, stay far below). */
const MAX_INTEGER_DIGITS = 12;

/**
 * Parses a decimal amount in major units to integer minor units without going through floats.
 * Accepts numbers, "12.30", "¥1,234.56", "(99.00)" and "-5". A JSON number is read as its exact decimal
 * text, so 1e-7 or 12.3400001 is refused like the same text would be, never rounded to a cent.
 * Returns a reason string when it cannot.
 */
export function parseAmount(value: unknown, currency: string): number | string {
  const exp = exponentOf(currency);
  let s: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `amount ${value} is not a number`;
    s = decimalText(value);
  } else if (typeof value === 'string') {
    s = value.trim();
  } else {
    return 'amount must be a decimal number or string like 12.30';
  }
  // The common case, "12.30", passes without the decoration rules below.
  const m0 = PLAIN.exec(s);
  if (m0 && (m0[1] === undefined || m0[1].length <= exp)) {
    const dot = s.indexOf('.');
    const whole = dot < 0 ? s : s.slice(0, dot);
    const frac = (m0[1] ?? '').padEnd(exp, '0');
    return Number(whole) * 10 ** exp + (exp ? Number(frac) : 0);
  }
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1);
  }
  const other = otherCurrency(s, currency);
  if (other) return `"${String(value).slice(0, 40)}" is written in ${other}, but the record's currency is ${currency}: give the currency in a currency column, or --currency when the whole file is in one`;
  s = s.replace(DECORATION, '');
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  } else if (s.startsWith('+')) {
    s = s.slice(1);
  }
  if (GROUPED.test(s)) s = s.replace(/,/g, '');
  const m = DECIMAL.exec(s);
  if (!m) return `"${String(value).slice(0, 40)}" is not a decimal amount (expected e.g. 12.30)`;
  const frac = m[3] ?? '';
  if (frac.length > exp && /[1-9]/.test(frac.slice(exp))) {
    return `${typeof value === 'number' ? decimalText(value) : String(value)} has more decimals than ${currency} allows (${exp})`;
  }
  // Thirteen or more digits before the point is no card payment (and is how a card number would look here).
  if (m[2].replace(/^0+/, '').length > MAX_INTEGER_DIGITS) return `amount ${String(value)} has more than ${MAX_INTEGER_DIGITS} digits before the decimal point: not a transaction amount`;
  const minor = Number(m[2] + frac.slice(0, exp).padEnd(exp, '0'));
  if (!Number.isSafeInteger(minor)) return `amount ${String(value)} is too large`;
  return negative && minor !== 0 ? -minor : minor;
}

/** Minor units to a decimal string in major units ("12.30"). */
export function formatAmount(minor: number, currency: string): string {
  const exp = exponentOf(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (exp === 0) return `${sign}${abs}`;
  const s = String(abs).padStart(exp + 1, '0');
  return `${sign}${s.slice(0, -exp)}.${s.slice(-exp)}`;
}
