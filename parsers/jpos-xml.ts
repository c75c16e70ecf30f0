import iso from '../rules/codes/iso.json' with { type: 'json' };
import jpos from '../rules/codes/jpos.json' with { type: 'json' };
import { maskCardField } from '../src/pan.js';
import { exponentOf } from '../src/money.js';
import type { FormatParser, RawRow, RowItem } from './types.js';

/**
 * A jPOS Q2 log: `<log realm=".." at="..">` events, some holding ISO 8583 messages as
 * `<send>/<receive><isomsg><field id="N" value=".."/>`. One row per transaction response (authorization,
 * financial, reversal class); requests wait in a bounded map until their response comes, and one that
 * never gets an answer becomes a `timeout` (or `unknown` when the log ends right after it) row.
 * Everything else (Q2 lifecycle, channel connects, transaction-manager dumps that repeat the messages)
 * is not a row. A log written by a host that also logs its client side holds every message twice
 * (client send, server receive): the second copy of a response is dropped.
 */
export const jposXmlParser: FormatParser = {
  id: 'xml',
  open() {
    const scanner = new BlockScanner();
    const log = new JposLog();
    return {
      push(chunk) {
        const batch: RowItem[] = [];
        for (const block of scanner.push(chunk)) log.block(block, batch);
        return batch;
      },
      end() {
        const batch: RowItem[] = [];
        for (const block of scanner.end()) log.block(block, batch);
        log.end(batch);
        return batch;
      },
    };
  },
};

interface Block {
  line: number;
  text: string;
  /** No `</log>` before the next `<log` or the end of input. */
  truncated: boolean;
  /** Longer than MAX_BLOCK: only its start is kept. */
  oversize: boolean;
}

const MAX_BLOCK = 4 << 20;
const RAW_LIMIT = 4000;
const OPEN = '<log';
const CLOSE = '</log>';

/** Cuts the text into `<log ...>...</log>` blocks with their start lines; holds at most one block. */
class BlockScanner {
  private carry = '';
  /** Line number of carry[0]. */
  private line = 1;
  private parts: string[] | undefined;
  private size = 0;
  private blockLine = 0;
  private oversize = false;

  *push(chunk: string): Generator<Block> {
    const data = this.carry ? this.carry + chunk : chunk;
    let pos = 0;
    for (;;) {
      if (!this.parts) {
        const p = findOpen(data, pos);
        if (p < 0) break;
        this.line += countLines(data, pos, p);
        pos = p;
        this.parts = [];
        this.size = 0;
        this.blockLine = this.line;
        this.oversize = false;
        // Step past "<log" so the search for the next block does not find this one.
        this.append(data.slice(pos, pos + OPEN.length));
        pos += OPEN.length;
        continue;
      }
      const close = data.indexOf(CLOSE, pos);
      const next = findOpen(data, pos);
      if (next >= 0 && (close < 0 || next < close)) {
        // A new block starts before this one closed: the log was cut (a crash, a rotated file).
        yield this.take(data, pos, next, true);
        pos = next;
        continue;
      }
      if (close < 0) break;
      yield this.take(data, pos, close + CLOSE.length, false);
      pos = close + CLOSE.length;
    }
    // Keep a tail long enough to hold a split "<log " or "</log>".
    const keep = Math.max(pos, data.length - CLOSE.length);
    if (this.parts) this.append(data.slice(pos, keep));
    this.line += countLines(data, pos, keep);
    this.carry = (' ' + data.slice(keep)).slice(1);
  }

  *end(): Generator<Block> {
    if (this.parts) yield this.take(this.carry, 0, this.carry.length, true);
    this.carry = '';
  }

  private append(s: string): void {
    if (this.oversize || !this.parts) return;
    if (this.size + s.length > MAX_BLOCK) {
      this.oversize = true;
      this.parts = [this.parts.join('').slice(0, RAW_LIMIT)];
      return;
    }
    this.parts.push(s);
    this.size += s.length;
  }

  private take(data: string, from: number, to: number, truncated: boolean): Block {
    this.append(data.slice(from, to));
    this.line += countLines(data, from, to);
    const parts = this.parts ?? [];
    // A copy, not a slice of the chunk: values read from it outlive the chunk (architecture.md).
    const text = parts.length === 1 ? (' ' + parts[0]).slice(1) : parts.join('');
    const block: Block = { line: this.blockLine, text, truncated, oversize: this.oversize };
    this.parts = undefined;
    return block;
  }
}

/** Position of the next `<log` that opens a log element (not `<logger`), or -1. */
function findOpen(s: string, from: number): number {
  for (let i = s.indexOf(OPEN, from); i >= 0; i = s.indexOf(OPEN, i + 1)) {
    const c = s.charCodeAt(i + OPEN.length);
    if (c === 32 || c === 62 || c === 10 || c === 13 || c === 9 || c === 47) return i;
    if (Number.isNaN(c)) return -1; // "<log" at the very end: the next chunk decides
  }
  return -1;
}

function countLines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

// ---------------------------------------------------------------- messages

interface Field {
  value: string;
  attrs: Record<string, string>;
}

interface IsoMessage {
  fields: Map<string, Field>;
  closed: boolean;
}

interface LogEvent {
  at?: string;
  messages: IsoMessage[];
}

const TAG = /<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTR = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
// Elements a logged message sits in directly under <log>; deeper ones (transaction-manager context dumps,
// test-case request/response pairs) repeat messages already logged by the channel.
const WRAPPERS = new Set(['send', 'receive']);

function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(s); m; m = ATTR.exec(s)) out[m[1]] = unescapeXml(m[2] ?? m[3] ?? '');
  return out;
}

function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (all, e: string) => {
    const k = e.toLowerCase();
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'amp') return '&';
    if (k === 'quot') return '"';
    if (k === 'apos') return "'";
    const n = k.startsWith('#x') ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
    return Number.isFinite(n) && n <= 0x10ffff ? String.fromCodePoint(n) : all;
  });
}

/** The top-level messages of one <log> block, with the block's `at`. Tolerates broken markup around them. */
function readEvent(text: string): LogEvent {
  const event: LogEvent = { messages: [] };
  const stack: string[] = [];
  let msg: IsoMessage | undefined;
  let msgDepth = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(text); m; m = TAG.exec(text)) {
    const name = m[2];
    if (!name) continue; // comment
    if (m[1]) {
      const i = stack.lastIndexOf(name);
      if (i < 0) continue;
      if (msg && i === msgDepth - 1) {
        msg.closed = true;
        msg = undefined;
      }
      stack.length = i;
      continue;
    }
    const selfClosing = m[4] === '/';
    if (name === 'log' && stack.length === 0) {
      event.at = attributes(m[3]).at;
    } else if (name === 'isomsg' && !msg && stack[0] === 'log' && (stack.length === 1 || (stack.length === 2 && WRAPPERS.has(stack[1])))) {
      msg = { fields: new Map(), closed: selfClosing };
      event.messages.push(msg);
      msgDepth = stack.length + 1;
      if (selfClosing) msg = undefined;
    } else if (name === 'field' && msg && stack.length === msgDepth) {
      const attrs = attributes(m[3]);
      if (attrs.id !== undefined) msg.fields.set(attrs.id.trim(), { value: attrs.value ?? '', attrs });
    }
    if (!selfClosing) stack.push(name);
  }
  return event;
}

// ---------------------------------------------------------------- mapping

type Status = 'approved' | 'declined' | 'failed' | 'timeout' | 'unknown';

interface Pending {
  line: number;
  raw: string;
  at?: string;
  fields: Map<string, Field>;
  mti: string;
}

/** Requests awaiting their response; past this many, the oldest is taken as timed out. */
const MAX_OPEN = 10_000;
/** Responses already turned into rows, to drop the other side's copy. */
const MAX_SEEN = 20_000;
/** A request this long before the log's last event and still unanswered timed out. */
const TIMEOUT_MS = 60_000;

const CODES: Record<string, { cause: string }> = jpos.codes;
const ISO_CODES: Record<string, { cause: string }> = iso.codes;

/** ISO 8583 message classes (the MTI's second digit) that are not card transactions. */
const MESSAGE_CLASS: Record<string, string> = { '3': 'a file action', '5': 'a reconciliation', '6': 'an administrative', '7': 'a fee collection', '8': 'a network management' };
const COPY_REASON = 'a copy of a message already read (the other side of the connection)';

class JposLog {
  private open = new Map<string, Pending>();
  private seen = new Set<string>();
  private lastAt: number | undefined;

  block(block: Block, batch: RowItem[]): void {
    const at = /^<log\b[^>]*?\sat="([^"]*)"/.exec(block.text.slice(0, 400))?.[1];
    const epoch = at !== undefined ? parseAt(at)?.epoch : undefined;
    if (epoch !== undefined) this.lastAt = Math.max(this.lastAt ?? epoch, epoch);
    if (!block.text.includes('<isomsg')) return;
    const raw = rawText(block.text);
    if (block.oversize) {
      batch.push({ problem: { line: block.line, reason: `<log> block larger than ${MAX_BLOCK >> 20} MB; its messages were not read`, raw } });
      return;
    }
    const event = readEvent(block.text);
    for (const msg of event.messages) {
      if (!msg.closed) {
        batch.push({ problem: { line: block.line, reason: block.truncated ? '<log> block cut off (no </log>) inside an <isomsg>; the message cannot be read' : '<isomsg> not closed; the message cannot be read', raw } });
        continue;
      }
      this.message(msg, event.at, block.line, raw, batch);
    }
  }

  end(batch: RowItem[]): void {
    for (const [key, req] of this.open) {
      this.open.delete(key);
      const at = req.at !== undefined ? parseAt(req.at) : undefined;
      const old = at?.epoch !== undefined && this.lastAt !== undefined && this.lastAt - at.epoch >= TIMEOUT_MS;
      this.unanswered(req, old ? 'timeout' : 'unknown', batch);
    }
  }

  private message(msg: IsoMessage, at: string | undefined, line: number, raw: string, batch: RowItem[]): void {
    const f = msg.fields;
    const mti = value(f, '0');
    if (mti === undefined || !/^\d{4}$/.test(mti)) {
      batch.push({ problem: { line, reason: `<isomsg> without a valid MTI (field 0 is ${mti === undefined ? 'missing' : JSON.stringify(mti)}); expected 4 digits like 2100`, raw } });
      return;
    }
    // Authorization (x1xx), financial (x2xx), reversal/chargeback (x4xx); file, reconciliation,
    // administrative and network messages (echo tests, sign-on) are not card transactions. Every message the
    // log holds is counted: read, skipped with its reason, or rejected.
    if (!'124'.includes(mti[1])) {
      batch.push({ skip: { line, reason: `MTI ${mti}: ${MESSAGE_CLASS[mti[1]] ?? 'a message class'} message, not a card transaction` } });
      return;
    }
    const fn = mti[2];
    const tid = value(f, '41');
    const stan = value(f, '11');
    const answered = `req|${mti[1]}|${tid}|${stan}|${value(f, '7')}|${value(f, '37')}`;
    if (fn === '0' || fn === '2') {
      // A copy of a request logged after its response (the other side of the connection) is not pending.
      if (this.seen.has(answered)) {
        batch.push({ skip: { line, reason: COPY_REASON } });
        return;
      }
      const key = `${mti[1]}|${tid}|${stan}`;
      const prev = this.open.get(key);
      // The other side's copy of the same request keeps the first one (its time is the attempt's start).
      if (prev && value(prev.fields, '7') === value(f, '7') && value(prev.fields, '37') === value(f, '37')) {
        batch.push({ skip: { line, reason: COPY_REASON } });
        return;
      }
      if (prev) {
        // The terminal reused the STAN for a new attempt: the old one was never answered.
        this.open.delete(key);
        this.unanswered(prev, 'timeout', batch);
      }
      this.open.set(key, { line, raw, at, fields: f, mti });
      if (this.open.size > MAX_OPEN) {
        const [oldest, req] = this.open.entries().next().value as [string, Pending];
        this.open.delete(oldest);
        this.unanswered(req, 'timeout', batch);
      }
      return;
    }
    if (fn !== '1' && fn !== '3') {
      batch.push({ skip: { line, reason: `MTI ${mti}: a notification or acknowledgement, not a card transaction` } });
      return;
    }
    const code = value(f, '39');
    const dup = `${mti}|${tid}|${stan}|${value(f, '37')}|${value(f, '7')}|${code}`;
    if (this.seen.has(dup)) {
      batch.push({ skip: { line, reason: COPY_REASON } });
      return;
    }
    this.remember(dup);
    this.remember(answered);
    const reqKey = `${mti[1]}|${tid}|${stan}`;
    const req = this.open.get(reqKey);
    this.open.delete(reqKey);
    // The request and its response are one transaction, read on the response's line.
    if (req) batch.push({ skip: { line: req.line, reason: 'a request, read as one transaction with its response' } });
    if (code === undefined) {
      batch.push({ problem: { line, reason: `response ${mti} without a result code (field 39)`, raw } });
      return;
    }
    const row = mapMessage(f, mti, req?.fields, req?.at ?? at, line, raw);
    if (typeof row === 'string') {
      batch.push({ problem: { line, reason: row, raw } });
      return;
    }
    row.fields.status = statusOf(code);
    row.fields.responseCode = code;
    if (/^\d{4,5}$/.test(code)) row.fields.codeProfile = 'jpos';
    batch.push({ row });
  }

  private remember(key: string): void {
    this.seen.add(key);
    if (this.seen.size > MAX_SEEN) this.seen.delete(this.seen.values().next().value as string);
  }

  private unanswered(req: Pending, status: Status, batch: RowItem[]): void {
    const row = mapMessage(req.fields, req.mti, undefined, req.at, req.line, req.raw);
    if (typeof row === 'string') {
      batch.push({ problem: { line: req.line, reason: row, raw: req.raw } });
      return;
    }
    row.fields.status = status;
    row.fields.message = status === 'timeout' ? 'no response to this request in the log' : 'no response to this request before the log ends';
    batch.push({ row });
  }
}

function value(f: Map<string, Field> | undefined, id: string): string | undefined {
  const v = f?.get(id)?.value.trim();
  return v ? v : undefined;
}

/** The canonical fields of one message (status and code are the caller's), or why it cannot be mapped. */
function mapMessage(f: Map<string, Field>, mti: string, req: Map<string, Field> | undefined, at: string | undefined, line: number, raw: string): RawRow | string {
  const get = (id: string) => value(f, id) ?? value(req, id);
  const tid = get('41');
  if (tid === undefined) return `message ${mti} without a terminal id (field 41)`;
  const stan = get('11');
  const rrn = get('37');
  if (stan === undefined && rrn === undefined) return `message ${mti} has neither STAN (field 11) nor RRN (field 37) to identify it`;
  const fields: Record<string, unknown> = {};
  // A request/response pair of the main classes is the transaction the RRN names; advices, reversals and
  // repeats share that RRN, so they get their own ids.
  const primary = (mti[1] === '1' || mti[1] === '2') && (mti[2] === '0' || mti[2] === '1');
  const base = primary && rrn ? rrn : rrn ?? [tid, stan, get('7')].filter(Boolean).join('-');
  const responseMti = `${mti.slice(0, 2)}${mti[2] === '0' || mti[2] === '1' ? '1' : '3'}0`;
  fields.txnId = primary ? base : `${base}-${responseMti}`;
  fields.terminalId = tid;
  const mid = get('42');
  if (mid !== undefined) fields.merchantId = mid;
  const ts = timestampOf(at, get('12'));
  if (ts !== undefined) fields.timestamp = ts;
  const pcode = get('3');
  const type = typeOf(mti, pcode);
  if (type !== undefined) fields.type = type;
  const money = amountOf(f.get('4') ?? req?.get('4'), get('49'));
  if (typeof money === 'string') return money;
  if (money.amount !== undefined) fields.amount = money.amount;
  if (money.currency !== undefined) fields.currency = money.currency;
  const reason = [get('63'), get('123')].filter((v, i, a): v is string => v !== undefined && a.indexOf(v) === i);
  if (reason.length) fields.message = reason.join(': ');
  const entry = entryModeOf(f.get('22') ?? req?.get('22'));
  if (entry !== undefined) fields.entryMode = entry;
  if (rrn !== undefined) fields.rrn = rrn;
  if (stan !== undefined) fields.stan = stan;
  const auth = get('38');
  if (auth !== undefined) fields.authCode = auth;
  const pan = get('2') ?? get('35')?.split(/[=D]/)[0];
  if (pan !== undefined) fields.cardRef = maskCardField(pan);
  fields.mti = mti;
  if (pcode !== undefined) fields.processingCode = pcode;
  return { line, fields, raw };
}

function statusOf(code: string): Status {
  const c = code.trim().toUpperCase();
  const entry = CODES[c] ?? ISO_CODES[/^\d$/.test(c) ? `0${c}` : c];
  if (entry?.cause === 'approved') return 'approved';
  // CMF 9111 / ISO 68: the issuer did not answer in time.
  if (c === '9111' || c === '68') return 'timeout';
  // CMF system errors (91xx, 1811/1812 database and transaction errors, 1833 host unreachable, 19999
  // internal error) and their ISO counterparts: the host failed, nobody declined.
  if (/^91\d\d$/.test(c) || ['1811', '1812', '1833', '19999', '91', '92', '96'].includes(c)) return 'failed';
  return 'declined';
}

function typeOf(mti: string, pcode: string | undefined): string | undefined {
  if (mti[1] === '4') return 'reversal';
  const p = pcode?.slice(0, 2);
  let type: string | undefined;
  if (p === '00' || p === '01' || p === '09' || p === '11' || p === '17') type = 'sale';
  else if (p === '20') type = 'refund';
  else if (p === '02' || p === '22') type = 'void';
  else if (p === '30' || p === '31') type = 'balance';
  if (type === 'sale' && mti[1] === '1') return 'preauth';
  if (type === 'sale' && mti[1] === '2' && (mti[2] === '2' || mti[2] === '3')) return 'completion';
  return type;
}

// ISO 4217 numeric -> alpha for the currencies POS logs carry most.
const CURRENCY: Record<string, string> = {
  '032': 'ARS', '036': 'AUD', '048': 'BHD', '068': 'BOB', '124': 'CAD', '152': 'CLP', '156': 'CNY', '170': 'COP',
  '188': 'CRC', '203': 'CZK', '208': 'DKK', '214': 'DOP', '320': 'GTQ', '344': 'HKD', '348': 'HUF', '356': 'INR',
  '360': 'IDR', '376': 'ILS', '392': 'JPY', '398': 'KZT', '400': 'JOD', '404': 'KES', '410': 'KRW', '414': 'KWD',
  '446': 'MOP', '458': 'MYR', '484': 'MXN', '512': 'OMR', '554': 'NZD', '566': 'NGN', '578': 'NOK', '586': 'PKR',
  '590': 'PAB', '600': 'PYG', '604': 'PEN', '608': 'PHP', '634': 'QAR', '643': 'RUB', '682': 'SAR', '702': 'SGD',
  '704': 'VND', '710': 'ZAR', '752': 'SEK', '756': 'CHF', '764': 'THB', '784': 'AED', '818': 'EGP', '826': 'GBP',
  '840': 'USD', '858': 'UYU', '901': 'TWD', '933': 'BYN', '940': 'UYI', '946': 'RON', '949': 'TRY', '975': 'BGN',
  '978': 'EUR', '980': 'UAH', '985': 'PLN', '986': 'BRL',
};

function currencyOf(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  const c = code.trim().toUpperCase();
  if (/^[A-Z]{3}$/.test(c)) return c;
  return CURRENCY[c.padStart(3, '0')] ?? `?${c}`;
}

/** Minor-unit digits as a major-unit decimal string. */
function decimal(digits: string, exp: number): string {
  const d = digits.replace(/^0+/, '').padStart(exp + 1, '0');
  return exp === 0 ? d : `${d.slice(0, -exp)}.${d.slice(-exp)}`;
}

/**
 * Field 4 as jPOS logs it: an ISOAmount (`currency="858" value="40.00"`, already major units), the CMF
 * composite n3 currency + n1 exponent + n12 minor units (`8582000000004000`), or classic n12 minor units
 * with the currency in field 49.
 */
function amountOf(f4: Field | undefined, f49: string | undefined): { amount?: string; currency?: string } | string {
  const cur49 = currencyOf(f49);
  if (!f4 || !f4.value.trim()) return checkCurrency({ currency: cur49 });
  const v = f4.value.trim();
  if (f4.attrs.currency !== undefined && /^-?\d+(\.\d+)?$/.test(v)) return checkCurrency({ amount: v, currency: currencyOf(f4.attrs.currency) });
  if (/^\d{16}$/.test(v)) return checkCurrency({ amount: decimal(v.slice(4), Number(v[3])), currency: currencyOf(v.slice(0, 3)) });
  if (/^\d{1,12}$/.test(v)) {
    const checked = checkCurrency({ currency: cur49 });
    if (typeof checked === 'string') return checked;
    // No field 49: the run's --currency applies, and so does its exponent.
    return { amount: checked.currency ? decimal(v, exponentOf(checked.currency)) : decimal(v, 2), currency: checked.currency };
  }
  return { amount: v, currency: cur49 };
}

function checkCurrency<T extends { currency?: string }>(r: T): T | string {
  if (r.currency?.startsWith('?')) {
    return `currency ${r.currency.slice(1)} is a numeric ISO 4217 code txlog does not know; give the data with an alpha code (e.g. USD)`;
  }
  return r;
}

/** Field 22: jPOS PosDataCode (16 bytes hex, reading method bits little-endian in bytes 0-3) or ISO n3. */
function entryModeOf(f22: Field | undefined): string | undefined {
  const v = f22?.value.trim();
  if (!v) return undefined;
  if (/^[0-9a-f]{32}$/i.test(v)) {
    const rm = parseInt(v.slice(6, 8) + v.slice(4, 6) + v.slice(2, 4) + v.slice(0, 2), 16);
    if (rm & (1 << 13) || (rm & (1 << 11) && rm & (1 << 4))) return 'fallback';
    if (rm & (1 << 5)) return 'chip';
    if (rm & (1 << 1)) return 'contactless';
    if (rm & (1 << 4)) return 'swipe';
    if (rm & (1 << 2)) return 'manual';
    if (rm & (1 << 3)) return 'qr';
    return undefined;
  }
  if (/^\d{3,4}$/.test(v)) {
    const pan = v.length === 4 ? v.slice(1, 3) : v.slice(0, 2);
    return ({ '01': 'manual', '02': 'swipe', '90': 'swipe', '05': 'chip', '07': 'contactless', '91': 'contactless', '80': 'fallback', '03': 'qr' } as Record<string, string>)[pan];
  }
  return undefined;
}

// ---------------------------------------------------------------- time

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

// Zone abbreviations Java's Date.toString() prints, in minutes east of UTC. Ambiguous ones (CST, IST,
// AST, BST in some JDKs) are left out: their wall time is read in --tz instead.
const ZONES: Record<string, number> = {
  UTC: 0, GMT: 0, UT: 0, Z: 0, WET: 0, WEST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180,
  MSK: 180, GST: 240, PKT: 300, ICT: 420, WIB: 420, HKT: 480, SGT: 480, MYT: 480, PHT: 480, AWST: 480, JST: 540,
  KST: 540, ACST: 570, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780, HST: -600, AKST: -540, AKDT: -480, PST: -480,
  PDT: -420, MST: -420, MDT: -360, CDT: -300, EST: -300, EDT: -240, COT: -300, PET: -300, ECT: -300, BOT: -240,
  VET: -240, CLT: -240, CLST: -180, PYT: -240, PYST: -180, ART: -180, BRT: -180, BRST: -120, UYT: -180, UYST: -120,
};

interface At {
  /** ISO 8601 with offset when the zone is known, else wall time for --tz. */
  text: string;
  epoch?: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * `at` as Q2 writes it: Date.toString() plus "." and the milliseconds, unpadded
 * (`Thu Dec 18 15:12:40 UYST 2014.14` is 15:12:40.014). Newer jPOS writes ISO 8601, passed through.
 */
function parseAt(at: string): At | undefined {
  const s = at.trim();
  if (/^\d{4}-\d{2}-\d{2}[T ]\d/.test(s)) return { text: s };
  const m = /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\S+)\s+(\d{4})(?:\.(\d{1,3}))?$/.exec(s);
  if (!m) return undefined;
  const mo = MONTHS[m[1].toLowerCase()];
  if (!mo) return undefined;
  const [y, d, h, mi, sec, ms] = [+m[7], +m[2], +m[3], +m[4], +m[5], m[8] ? +m[8] : 0];
  const wall = `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(sec)}.${pad(ms, 3)}`;
  const offset = zoneOffset(m[6]);
  if (offset === undefined) return { text: wall.replace('T', ' ') };
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const epoch = Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset * 60_000;
  return { text: `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`, epoch };
}

function zoneOffset(zone: string): number | undefined {
  const z = zone.toUpperCase();
  if (z in ZONES) return ZONES[z];
  const g = /^(?:GMT|UTC)([+-])(\d{1,2}):?(\d{2})?$/.exec(z);
  if (!g) return undefined;
  return (g[1] === '-' ? -1 : 1) * (+g[2] * 60 + (g[3] ? +g[3] : 0));
}

/** The log's own clock (explicit zone) first; else field 12, local transaction time, read in --tz. */
function timestampOf(at: string | undefined, f12: string | undefined): string | undefined {
  const parsed = at !== undefined ? parseAt(at) : undefined;
  if (parsed && (parsed.epoch !== undefined || /[T ]\d.*(Z|[+-]\d{2}:?\d{2})$/i.test(parsed.text))) return parsed.text;
  if (f12 && /^\d{14}$/.test(f12)) return `${f12.slice(0, 4)}-${f12.slice(4, 6)}-${f12.slice(6, 8)} ${f12.slice(8, 10)}:${f12.slice(10, 12)}:${f12.slice(12, 14)}`;
  if (f12 && /^\d{12}$/.test(f12)) return `20${f12.slice(0, 2)}-${f12.slice(2, 4)}-${f12.slice(4, 6)} ${f12.slice(6, 8)}:${f12.slice(8, 10)}:${f12.slice(10, 12)}`;
  return parsed?.text;
}

// Track 2, track 3, track 1, PIN block and chip data are never kept (PCI DSS 3.3), not even in a reject.
const NEVER_KEPT = /(<field\s+id="(?:35|36|45|52|55)"[^>]*?value=")([^"]*)(")/g;
const CHIP_DATA = /(<isomsg\s+id="55"[^>]*>)[\s\S]*?(<\/isomsg>)/g;

/** The block as the rejects file shows it: sensitive fields removed, the card number masked, cut to RAW_LIMIT. */
function rawText(block: string): string {
  const kept = block
    .replace(NEVER_KEPT, (_, a: string, _v: string, b: string) => `${a}[removed]${b}`)
    .replace(CHIP_DATA, (_, a: string, b: string) => `${a}[removed]${b}`)
    .replace(/(<field\s+id="2"[^>]*?value=")([^"]*)(")/g, (_, a: string, v: string, b: string) => a + maskCardField(v) + b);
  return kept.length > RAW_LIMIT ? kept.slice(0, RAW_LIMIT) : kept;
}
