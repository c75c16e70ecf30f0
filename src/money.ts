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
const GROUPED = /^\d{1,3}(,\d{3})+(\.\d+)?$/;

/**
 * Parses a decimal amount in major units to integer minor units without going through floats.
 * Accepts numbers, "12.30", "¥1,234.56", "(99.00)" and "-5". Returns a reason string when it cannot.
 */
const PLAIN = /^\d{1,15}(?:\.(\d{1,3}))?$/;

export function parseAmount(value: unknown, currency: string): number | string {
  const exp = exponentOf(currency);
  // The common case, "12.30" or 12.3, without the decoration passes below. A number's shortest text is
  // its exact decimal reading (8.24 -> "8.24"), so it takes the same path unless it is in exponent form.
  const plain = typeof value === 'number' && Number.isFinite(value) && value >= 0 ? String(value) : value;
  if (typeof plain === 'string') {
    const m = PLAIN.exec(plain);
    if (m && (m[1] === undefined || m[1].length <= exp)) {
      const dot = plain.indexOf('.');
      const whole = dot < 0 ? plain : plain.slice(0, dot);
      const frac = (m[1] ?? '').padEnd(exp, '0');
      return Number(whole) * 10 ** exp + (exp ? Number(frac) : 0);
    }
  }
  let s: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `amount ${value} is not a number`;
    s = value.toFixed(Math.min(exp + 4, 20)).replace(/0+$/, '').replace(/\.$/, '');
  } else if (typeof value === 'string') {
    s = value.trim();
  } else {
    return 'amount must be a decimal number or string like 12.30';
  }
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1);
  }
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
    return `${String(value)} has more decimals than ${currency} allows (${exp})`;
  }
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
