/**
 * ISO 4217 alphabetic codes of the currencies in use, as Node 20's ICU lists them (Intl.supportedValuesOf
 * ('currency')). Kept as a table because that list changes with the ICU a Node is built with, and the same
 * input must be read the same way on every machine. Precious metals, funds and test codes (XAU, XXX, XTS)
 * are no card payment's currency and are left out.
 */
export const ISO_4217: ReadonlySet<string> = new Set([
  'AED', 'AFN', 'ALL', 'AMD', 'ANG', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM', 'BBD', 'BDT', 'BGN', 'BHD',
  'BIF', 'BMD', 'BND', 'BOB', 'BRL', 'BSD', 'BTN', 'BWP', 'BYN', 'BZD', 'CAD', 'CDF', 'CHF', 'CLP', 'CNY',
  'COP', 'CRC', 'CUC', 'CUP', 'CVE', 'CZK', 'DJF', 'DKK', 'DOP', 'DZD', 'EGP', 'ERN', 'ETB', 'EUR', 'FJD',
  'FKP', 'GBP', 'GEL', 'GHS', 'GIP', 'GMD', 'GNF', 'GTQ', 'GYD', 'HKD', 'HNL', 'HRK', 'HTG', 'HUF', 'IDR',
  'ILS', 'INR', 'IQD', 'IRR', 'ISK', 'JMD', 'JOD', 'JPY', 'KES', 'KGS', 'KHR', 'KMF', 'KPW', 'KRW', 'KWD',
  'KYD', 'KZT', 'LAK', 'LBP', 'LKR', 'LRD', 'LSL', 'LYD', 'MAD', 'MDL', 'MGA', 'MKD', 'MMK', 'MNT', 'MOP',
  'MRU', 'MUR', 'MVR', 'MWK', 'MXN', 'MYR', 'MZN', 'NAD', 'NGN', 'NIO', 'NOK', 'NPR', 'NZD', 'OMR', 'PAB',
  'PEN', 'PGK', 'PHP', 'PKR', 'PLN', 'PYG', 'QAR', 'RON', 'RSD', 'RUB', 'RWF', 'SAR', 'SBD', 'SCR', 'SDG',
  'SEK', 'SGD', 'SHP', 'SLE', 'SLL', 'SOS', 'SRD', 'SSP', 'STN', 'SVC', 'SYP', 'SZL', 'THB', 'TJS', 'TMT',
  'TND', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS', 'UAH', 'UGX', 'USD', 'UYU', 'UZS', 'VES', 'VND', 'VUV', 'WST',
  'XAF', 'XCD', 'XCG', 'XDR', 'XOF', 'XPF', 'XSU', 'YER', 'ZAR', 'ZMW', 'ZWG', 'ZWL',
]);

/** Names people write for a currency in place of its code. */
export const CURRENCY_NAMES: Readonly<Record<string, { code: string; why: string }>> = {
  RMB: { code: 'CNY', why: 'RMB is the name, CNY the ISO code' },
};

/** Why a code (already upper-cased) is not one to use, with the fix; null when it is an ISO 4217 code. */
export function currencyProblem(code: string): string | null {
  if (ISO_4217.has(code)) return null;
  const name = CURRENCY_NAMES[code];
  if (name) return `use ${name.code} (${name.why})`;
  return /^[A-Z]{3}$/.test(code) ? `"${code}" is not an ISO 4217 currency code: give one such as CNY, USD or EUR` : `"${code}" is not an ISO 4217 currency code (three letters such as CNY, USD or EUR)`;
}

/**
 * A currency as data writes it: its ISO code (a name that stands for one, RMB for CNY, is read as it), or why
 * it is none, for the row's reject reason.
 */
export function dataCurrency(text: string): { code: string } | { problem: string } {
  const written = text.trim().toUpperCase();
  const name = CURRENCY_NAMES[written];
  if (name) return { code: name.code };
  const problem = currencyProblem(written);
  return problem ? { problem: `currency: ${problem}` } : { code: written };
}
