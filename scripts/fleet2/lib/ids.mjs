// Identifier shapes. Every id is unique by construction (terminal index + per-terminal sequence, or a
// fleet-wide counter); numeric ids of card length get a deliberately wrong Luhn digit so that no id is
// a plausible card number (formats.md lets the analyzer tokenize ids that are whole card numbers).

import { idDateParts } from './time.mjs';

const pad = (n, w) => String(n).padStart(w, '0');

export function luhnDigit(body) {
  let sum = 0;
  for (let i = body.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let d = body.charCodeAt(i) - 48;
    if (dbl) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** append a check digit that fails Luhn */
export function notLuhn(body, salt) {
  const good = luhnDigit(body);
  return body + String((good + 1 + (salt % 9)) % 10);
}

// --- terminals and merchants ---

const CITIES = [
  ['SH', ['JA', 'PD', 'XH', 'HP', 'MH', 'CN']], ['BJ', ['CY', 'HD', 'DC', 'XC', 'FT']],
  ['SZ', ['NS', 'FT', 'LH', 'BA', 'LG']], ['GZ', ['TH', 'YX', 'HZ', 'BY']], ['HZ', ['XH', 'SC', 'BJ', 'YH']],
  ['CD', ['WH', 'JJ', 'QY', 'GX']], ['NJ', ['GL', 'XW', 'JY']], ['WH', ['JA', 'WC', 'HS']],
];
const AREA = { SH: '2900', BJ: '1000', SZ: '5840', GZ: '5810', HZ: '3310', CD: '6510', NJ: '3010', WH: '5210' };

export function cityPick(rng) { return rng.pick(CITIES); }
export function areaCode(city) { return AREA[city] || '2900'; }

export function merchantId(area, mcc, serial) { return `898${area}${mcc}${pad(serial, 4)}`; }

export function terminalIdFor(shape, rng, ctx) {
  switch (shape) {
    case 'posHex': return `POS-${rng.hex(6).toUpperCase()}`;
    case 'city': return `${ctx.city}-${ctx.district}-${pad(rng.int(1, 9999), 4)}`;
    case 'f41': return `${ctx.f41Prefix}${pad(rng.int(1, 9999), 4)}`;
    case 'tseries': return `${ctx.tPrefix}-${pad(rng.int(1, 99999999), 8)}`;
    default: throw new Error(shape);
  }
}

// --- transaction ids ---

/** seq: per terminal per day, 0-based; tIdx: unique terminal index */
export function txnIdFor(style, rng, tIdx, dayWall, seq) {
  const dp = idDateParts(dayWall);
  switch (style) {
    case 'uuid': return rng.uuid();
    case 'UUID': return rng.uuid().toUpperCase();
    case 'digits19': return notLuhn(`${dp.yyyymmdd}${pad(tIdx, 5)}${pad(seq, 5)}`, seq);
    case 'digits16': return notLuhn(`${dp.yymmdd}${pad(tIdx, 5)}${pad(seq, 4)}`, seq);
    case 'digits14': return notLuhn(`${dp.mmdd}${pad(tIdx, 5)}${pad(seq, 4)}`, seq);
    case 'ord': return `ORD-${dp.yymmdd}${pad(tIdx, 5)}-${pad(seq, 6)}`;
    default: throw new Error(style);
  }
}

/** acquirer-assigned RRNs from one fleet-wide counter (unique per transaction) */
export class RrnSource {
  constructor() { this.n = 0; }
  next(style, wall) {
    const c = this.n++;
    if (style === 'ydddhh') {
      const dp = idDateParts(wall);
      return `${dp.ydddd}${dp.hh}${pad(c % 1000000, 6)}`;
    }
    // a bijection of the counter over 11 digits behind a fixed lead digit
    return `8${pad((c * 7919 + 104729) % 100000000000, 11)}`;
  }
}

// --- cards ---

const BINS = [
  // [weight, bins, scheme, kind, lengths]
  [52, ['622202', '621700', '622848', '621483', '621226', '623668', '622262', '621661', '622700', '621799'], 'unionpay', 'debit', [19, 19, 16]],
  [16, ['625955', '622588', '628288', '625802', '622155', '625969'], 'unionpay', 'credit', [16]],
  [11, ['438088', '427010', '414720', '491748', '404117'], 'visa', 'credit', [16]],
  [11, ['552599', '518718', '542452', '520169', '535918'], 'mastercard', 'credit', [16]],
  [5, ['377155', '376968'], 'amex', 'credit', [15]],
  [5, ['356827', '353812', '357983'], 'jcb', 'credit', [16]],
];

export function makeCardPool(rng, size) {
  const cards = new Array(size);
  for (let i = 0; i < size; i++) {
    const g = rng.weighted(BINS.map((b) => [b, b[0]]));
    const len = rng.pick(g[4]);
    const r = rng.next();
    cards[i] = {
      i,
      bin: rng.pick(g[1]), scheme: g[2], debit: g[3] === 'debit', len,
      last4: rng.digits(4),
      chip: rng.chance(0.96),
      contactless: rng.chance(0.85),
      // letters at fixed places: a token never contains a card-length digit run
      token: `${rng.hex(4)}${'abcdef'[rng.int(0, 5)]}${rng.hex(6)}${'abcdef'[rng.int(0, 5)]}${rng.hex(4)}`,
      // card-level states that decide a decline whatever the terminal
      state: r < 0.004 ? 'expired' : r < 0.0055 ? 'restricted' : r < 0.0058 ? 'lost' : r < 0.0060 ? 'stolen' : 'ok',
      lowBalance: rng.chance(g[3] === 'debit' ? 0.06 : 0.03),
    };
  }
  return cards;
}

export const CARD_REF_STYLES = ['mask', 'maskGroup', 'token', 'tokenUpper'];

export function cardRefFor(style, card) {
  const stars = card.len - 10;
  switch (style) {
    case 'mask': return `${card.bin}${'*'.repeat(stars)}${card.last4}`;
    case 'maskGroup': {
      const s = `${card.bin}${'*'.repeat(stars)}${card.last4}`;
      return s.match(/.{1,4}/g).join(' ');
    }
    case 'token': return `tok_${card.token}`;
    case 'tokenUpper': return `CT${card.token.toUpperCase()}`;
    default: throw new Error(style);
  }
}
