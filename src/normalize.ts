import events from '../rules/codes/events.json' with { type: 'json' };
import { ISO_4217, dataCurrency } from './currency.js';
import { parse as parseWithPattern, isValid } from 'date-fns';
import { tz } from '@date-fns/tz';
import { z } from 'zod';
import { CardKeys, fewDigits, maskText, noDigitRun, panToken } from './pan.js';
import { applyPolicies, extraValue, neverKept, policiesOf, PolicyStats, type FieldPolicy } from './policy.js';
import { exponentOf, parseAmount } from './money.js';
import { DAY, parseDay, parseTimestamp, type Zone } from './time.js';
import type { DateInference, DateValue } from '../parsers/dates.js';
import type { DecimalInference } from '../parsers/numbers.js';
import {
  EntryMode,
  SettlementRecord,
  SettlementStatus,
  TerminalEvent,
  TerminalTxn,
  TxnStatus,
  TxnType,
  type Provenance,
} from './model.js';
import { genericStatuses } from '../parsers/profiles/statuses.js';

export type RowKind = 'txn' | 'event' | 'settlement';

export interface NormalizeOptions {
  zone: Zone;
  /** Default currency (--currency). */
  currency: string;
  /** date-fns pattern from a mapping profile, tried when the built-in reader does not know a timestamp. */
  dateFormat?: string;
  /** Card identity for grouping; one per run so the same card groups the same across inputs. */
  cards: CardKeys;
  /**
   * Readers for date shapes the built-in reader does not know, decided per column from the values
   * (parsers/dates.ts); the caller has observed a row's values before it is normalized.
   */
  dates?: { timestamp?: DateInference; settlementDate?: DateInference };
  /** The amount column's decimal mark, decided from its values (parsers/numbers.ts). */
  decimals?: DecimalInference;
}

// Synonyms seen in exports and SDKs (lower-cased, spaces and dashes folded) -> canonical values.
const STATUS: Record<string, TxnStatus> = {
  approved: 'approved', approve: 'approved', success: 'approved', successful: 'approved', succeeded: 'approved',
  ok: 'approved', paid: 'approved', captured: 'approved', authorized: 'approved', 成功: 'approved', 交易成功: 'approved',
  支付成功: 'approved', 已支付: 'approved', 承兑: 'approved',
  declined: 'declined', decline: 'declined', denied: 'declined', refused: 'declined', rejected: 'declined',
  拒绝: 'declined', 交易拒绝: 'declined', 被拒绝: 'declined',
  failed: 'failed', fail: 'failed', failure: 'failed', error: 'failed', 失败: 'failed', 交易失败: 'failed', 支付失败: 'failed',
  timeout: 'timeout', timedout: 'timeout', time_out: 'timeout', 超时: 'timeout', 交易超时: 'timeout',
  terminated: 'terminated', cancelled: 'terminated', canceled: 'terminated', aborted: 'terminated', abort: 'terminated',
  终止: 'terminated', 交易终止: 'terminated', 已取消: 'terminated', 取消: 'terminated',
  reversed: 'reversed', reversal: 'reversed', voided: 'reversed', 已冲正: 'reversed', 冲正: 'reversed', 已撤销: 'reversed',
  unknown: 'unknown', pending: 'unknown', processing: 'unknown', 未知: 'unknown', 处理中: 'unknown',
};
// The documented exports' own status words (parsers/profiles/statuses.json, each with its source) complete
// the table; its `skip` terms (CLOSED, 交易关闭, NOTPAY: no payment attempted) never reach here (ingest skips them).
for (const [k, v] of Object.entries(genericStatuses('terminal'))) STATUS[k] ??= v as TxnStatus;
const SETTLEMENT_STATUS: Record<string, SettlementStatus> = {
  settled: 'settled', success: 'settled', succeeded: 'settled', paid: 'settled', 已结算: 'settled', 结算成功: 'settled', 成功: 'settled',
  清算成功: 'settled', 已清算: 'settled', 入账成功: 'settled', 已入账: 'settled', 已结算入账: 'settled', 已結算: 'settled', 結算成功: 'settled',
  failed: 'failed', fail: 'failed', failure: 'failed', 结算失败: 'failed', 失败: 'failed', 清算失败: 'failed', 入账失败: 'failed', 结算异常: 'failed', 清算异常: 'failed', 入账异常: 'failed',
  rejected: 'rejected', reject: 'rejected', declined: 'rejected', 拒绝: 'rejected', 已拒绝: 'rejected', returned: 'rejected', 已退回: 'rejected', 退回: 'rejected', 退票: 'rejected', 被拒绝: 'rejected',
  held: 'held', hold: 'held', on_hold: 'held', onhold: 'held', frozen: 'held', suspended: 'held', 冻结: 'held', 暂缓: 'held', 挂起: 'held', 止付: 'held',
  暂缓结算: 'held', 暂停结算: 'held', 延迟结算: 'held', 延期结算: 'held', 风险挂起: 'held', 暂不结算: 'held', 风控冻结: 'held', 资金冻结: 'held', 暂停清算: 'held', 缓清算: 'held', 结算冻结: 'held', 已冻结: 'held', 已挂起: 'held', 止付冻结: 'held',
  pending: 'pending', processing: 'pending', 处理中: 'pending', 待结算: 'pending', 未结算: 'pending', 结算中: 'pending', 清算中: 'pending', 待清算: 'pending', 入账中: 'pending', 待入账: 'pending',
};
for (const [k, v] of Object.entries(genericStatuses('settlement'))) SETTLEMENT_STATUS[k] ??= v as SettlementStatus;
const TYPE: Record<string, TxnType> = {
  sale: 'sale', purchase: 'sale', payment: 'sale', consume: 'sale', 消费: 'sale', 付款: 'sale', 支付: 'sale',
  refund: 'refund', return: 'refund', 退货: 'refund', 退款: 'refund',
  void: 'void', cancel: 'void', 撤销: 'void', 消费撤销: 'void',
  preauth: 'preauth', pre_auth: 'preauth', preauthorization: 'preauth', authorization: 'preauth', 预授权: 'preauth',
  completion: 'completion', capture: 'completion', preauth_completion: 'completion', 预授权完成: 'completion',
  reversal: 'reversal', 冲正: 'reversal',
  balance: 'balance', inquiry: 'balance', balance_inquiry: 'balance', 余额查询: 'balance', 查询: 'balance',
};
const ENTRY: Record<string, EntryMode> = {
  chip: 'chip', icc: 'chip', emv: 'chip', insert: 'chip', inserted: 'chip', chip_transaction: 'chip', 插卡: 'chip',
  contactless: 'contactless', nfc: 'contactless', tap: 'contactless', rf: 'contactless', qpboc: 'contactless', 闪付: 'contactless', 挥卡: 'contactless',
  swipe: 'swipe', swiped: 'swipe', magstripe: 'swipe', mag: 'swipe', swipe_transaction: 'swipe', 刷卡: 'swipe',
  manual: 'manual', keyed: 'manual', key_entered: 'manual', online_transaction: 'manual', 手输: 'manual', 手工输入: 'manual',
  fallback: 'fallback', 降级: 'fallback',
  qr: 'qr', qrcode: 'qr', scan: 'qr', 扫码: 'qr', 二维码: 'qr',
};

// The tables' own keys, for the direct hit every canonical value makes (a Map reads them faster than an object of this size).
const STATUS_OWN = ownKeys(STATUS);
const SETTLEMENT_STATUS_OWN = ownKeys(SETTLEMENT_STATUS);
const TYPE_OWN = ownKeys(TYPE);
const ENTRY_OWN = ownKeys(ENTRY);
const OWN = new Map<object, ReadonlyMap<string, unknown>>([[STATUS, STATUS_OWN], [SETTLEMENT_STATUS, SETTLEMENT_STATUS_OWN], [TYPE, TYPE_OWN], [ENTRY, ENTRY_OWN]]);

function ownKeys<T>(table: Record<string, T>): ReadonlyMap<string, T> {
  return new Map(Object.keys(table).map((k) => [k, table[k]]));
}

function foldKey(s: string): string {
  return s.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function lookup<T>(table: Record<string, T>, value: string, own = OWN.get(table) as ReadonlyMap<string, T>): T | undefined {
  // Canonical values ("approved", "sale") hit directly; only other spellings pay for folding.
  const hit = own.get(value);
  if (hit !== undefined) return hit;
  const folded = foldKey(value);
  return table[folded] ?? table[folded.replace(/_/g, '')];
}

// Rows are coerced by hand first (values to trimmed text, empty to absent), then the declared data
// policies apply, then a lean zod schema checks presence and shape, then explicit readers turn text into
// instants, minor units and enum values. Zod transforms on every field cost ~0.25 µs each; this keeps a
// record at a few microseconds.
type Row = Record<string, string | undefined>;

/**
 * Value to trimmed text (numbers and booleans as their text, empty as absent). Objects and arrays are
 * noted in `bad` rather than thrown, so a row costs no exception.
 */
class Coercer {
  bad: string | undefined;
  t(name: string, v: unknown): string | undefined {
    if (typeof v === 'string') {
      const c0 = v.charCodeAt(0);
      const c1 = v.charCodeAt(v.length - 1);
      // Most values have no padding: skip trim's allocation for them.
      const s = c0 > 32 && c1 > 32 ? v : v.trim();
      return s === '' ? undefined : s;
    }
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v !== undefined && v !== null && this.bad === undefined) this.bad = `${name}: expected text or a number, got ${Array.isArray(v) ? 'an array' : 'an object'}`;
    return undefined;
  }

  /** An identifier: a JSON number past 2^53 has already lost digits, so it cannot be kept as given. */
  id(name: string, v: unknown): string | undefined {
    if (typeof v === 'number' && !Number.isSafeInteger(v) && this.bad === undefined) {
      this.bad = `${name}: the JSON number ${String(v)} is too large to be kept exactly (digits were already lost when it was read); write identifiers as strings`;
      return undefined;
    }
    return this.t(name, v);
  }
}

// Object literals of one fixed shape per record kind keep property access monomorphic (fast).
function coerceTxn(f: Record<string, unknown>): Row | string {
  const c = new Coercer();
  const row = {
    txnId: c.id('txnId', f.txnId), terminalId: c.id('terminalId', f.terminalId), merchantId: c.id('merchantId', f.merchantId),
    timestamp: c.t('timestamp', f.timestamp), type: c.t('type', f.type), amount: c.t('amount', f.amount), currency: c.t('currency', f.currency),
    status: c.t('status', f.status), responseCode: c.t('responseCode', f.responseCode), codeProfile: c.t('codeProfile', f.codeProfile),
    errorCode: c.t('errorCode', f.errorCode), message: c.t('message', f.message), entryMode: c.t('entryMode', f.entryMode), rrn: c.id('rrn', f.rrn),
    stan: c.id('stan', f.stan), authCode: c.id('authCode', f.authCode), batchId: c.id('batchId', f.batchId), cardRef: c.id('cardRef', f.cardRef),
    softwareVersion: c.t('softwareVersion', f.softwareVersion), model: c.t('model', f.model), connection: c.t('connection', f.connection),
    signalDbm: c.t('signalDbm', f.signalDbm), latencyMs: c.t('latencyMs', f.latencyMs),
  };
  return c.bad ?? row;
}

function coerceEvent(f: Record<string, unknown>): Row | string {
  const c = new Coercer();
  const row = { terminalId: c.id('terminalId', f.terminalId), timestamp: c.t('timestamp', f.timestamp), event: c.t('event', f.event), detail: c.t('detail', f.detail) };
  return c.bad ?? row;
}

function coerceSettlement(f: Record<string, unknown>): Row | string {
  const c = new Coercer();
  const row = {
    txnId: c.id('txnId', f.txnId), rrn: c.id('rrn', f.rrn), terminalId: c.id('terminalId', f.terminalId), merchantId: c.id('merchantId', f.merchantId),
    settlementDate: c.t('settlementDate', f.settlementDate), batchId: c.id('batchId', f.batchId), amount: c.t('amount', f.amount),
    currency: c.t('currency', f.currency), status: c.t('status', f.status), reasonCode: c.t('reasonCode', f.reasonCode), message: c.t('message', f.message),
  };
  return c.bad ?? row;
}

const required = (what: string) => z.string({ error: `missing ${what}` });
const optional = z.string().optional();

// The policies come from the record schemas; row fields of the same name take them.
const TXN_POLICIES: ReadonlyMap<string, FieldPolicy> = policiesOf(TerminalTxn);
const EVENT_POLICIES: ReadonlyMap<string, FieldPolicy> = policiesOf(TerminalEvent);
const SETTLEMENT_POLICIES: ReadonlyMap<string, FieldPolicy> = policiesOf(SettlementRecord);

const TXN_FIELDS = new Set<string>([
  'txnId', 'terminalId', 'merchantId', 'timestamp', 'type', 'amount', 'currency', 'status', 'responseCode', 'codeProfile',
  'errorCode', 'message', 'entryMode', 'rrn', 'stan', 'authCode', 'batchId', 'cardRef', 'softwareVersion', 'model',
  'connection', 'signalDbm', 'latencyMs', 'kind', 'extra',
]);

/** The shape of a terminal transaction row once coerced to text: presence and required fields. */
export const TerminalTxnRow = z.object({
  txnId: required('txnId'),
  terminalId: required('terminalId'),
  timestamp: required('timestamp'),
  status: required(`status (allowed: ${TxnStatus.options.join(', ')})`),
  merchantId: optional, type: optional, amount: optional, currency: optional, responseCode: optional, codeProfile: optional,
  errorCode: optional, message: optional, entryMode: optional, rrn: optional, stan: optional, authCode: optional,
  batchId: optional, cardRef: optional, softwareVersion: optional, model: optional, connection: optional,
  signalDbm: optional, latencyMs: optional,
});

export const TerminalEventRow = z.object({
  terminalId: required('terminalId'),
  timestamp: required('timestamp'),
  event: required('event'),
  detail: optional,
});

export const SettlementRow = z
  .object({
    txnId: optional,
    rrn: optional,
    terminalId: required('terminalId'),
    merchantId: optional,
    settlementDate: required('settlementDate'),
    batchId: optional,
    amount: required('amount'),
    currency: optional,
    status: required(`status (allowed: ${SettlementStatus.options.join(', ')})`),
    reasonCode: optional,
    message: optional,
  })
  .refine((s) => s.txnId !== undefined || s.rrn !== undefined, { message: 'a settlement line needs txnId or rrn to be matched', path: ['txnId'] });

function enumValue<T extends string>(table: Record<string, T>, allowed: readonly string[], what: string, v: string): T | string {
  return lookup(table, v) ?? `"${v.slice(0, 40)}" is not a ${what} (allowed: ${allowed.join(', ')})`;
}

const UTC = tz('UTC');

/**
 * A profile's own pattern, read as wall-clock time in the zone. date-fns is given a UTC context, so the
 * host's zone (and its daylight-saving gaps) never enters.
 */
function withPattern(value: string, pattern: string, zone: Zone): number | undefined {
  let d: Date;
  try {
    d = parseWithPattern(value, pattern, new Date(Date.UTC(2000, 0, 1)), { in: UTC });
  } catch {
    return undefined;
  }
  if (!isValid(d) || d.getFullYear() < 1000) return undefined;
  const wall = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
  return zone.fromWall(wall);
}

class Invalid {
  constructor(readonly reason: string) {}
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.join('.');
  return path && !issue.message.includes(path) ? `${path}: ${issue.message}` : issue.message;
}

function extraOf(fields: Record<string, unknown>, known: Set<string>, stats: PolicyStats): Record<string, string> | undefined {
  let extra: Record<string, string> | undefined;
  const put = (k: string, v: unknown) => {
    if (v === undefined || v === null || v === '') return;
    if (neverKept(k)) {
      stats.count(stats.dropped, k);
      return;
    }
    const key = extraValue('', k, stats);
    (extra ??= {})[key] = extraValue(k, typeof v === 'object' ? nestedText(v) : String(v), stats);
  };
  for (const key in fields) if (!known.has(key)) put(key, fields[key]);
  const nested = fields.extra;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    for (const [k, v] of Object.entries(nested as Record<string, unknown>)) put(k, v);
  }
  return extra;
}

/** An extra field's object or array as JSON; one nested too deep to write (thousands of levels) is said to be. */
function nestedText(v: object): string {
  try {
    return JSON.stringify(v);
  } catch (err) {
    if (err instanceof RangeError) return '[nested too deeply to keep]';
    throw err;
  }
}

/** Money-moving types need an amount (formats.md); balance inquiries and voids may omit it. */
const AMOUNT_OPTIONAL = new Set<TxnType>(['balance', 'void', 'reversal']);

// The checked fast path: a record of the common shape (known fields only, clean text, nothing a policy
// would change, values every reader accepts as they are) is built in one pass with no intermediate row and
// no zod. Anything else returns undefined and takes the general path, which gives the same record or the
// reason it is refused; tests/src/normalize.property.test.ts holds them equal.
const FAST_TXN_KEYS: ReadonlySet<string> = new Set([...TXN_FIELDS].filter((k) => k !== 'extra'));
const NOT_FAST = undefined;

/** Trimmed-free text as coerced: null when absent, undefined when the fast path cannot tell. */
function fastRaw(v: unknown): string | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') {
    const n = v.length;
    if (n === 0) return null;
    return v.charCodeAt(0) <= 32 || v.charCodeAt(n - 1) <= 32 ? NOT_FAST : v;
  }
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : NOT_FAST;
}

/** Free text the text policy leaves as it is (no card number in it), else not fast. */
function fastText(v: unknown): string | null | undefined {
  const s = fastRaw(v);
  if (typeof s !== 'string' || s.length < 13 || fewDigits(s)) return s;
  return maskText(s) === s ? s : NOT_FAST;
}

/** An identifier the id policy leaves as it is (not a card number, not Excel's 3.1E+11), else not fast. */
function fastId(v: unknown): string | null | undefined {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) return NOT_FAST;
  const s = fastRaw(v);
  if (typeof s !== 'string') return s;
  if (s.indexOf('+') >= 0) return NOT_FAST;
  // No digit run that could be a card number: panToken would say undefined after the same scan (an order id like TX88000001_261116_00001 has many digits, in short runs).
  return s.length < 13 || noDigitRun(s) || panToken(s) === undefined ? s : NOT_FAST;
}

/** A card reference with fewer than 13 digits (masked, or a token): kept and grouped by its text. */
function fastCard(v: unknown): string | null | undefined {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) return NOT_FAST;
  const s = fastRaw(v);
  return typeof s === 'string' && (s.indexOf('+') >= 0 || !fewDigits(s)) ? NOT_FAST : s;
}

const POW10 = [1, 10, 100, 1000];

/**
 * Minor units of an amount written the plain way, read from its characters: 1 to 9 digits, then at most the
 * currency's decimals after a point ("245.31"); -1 for anything else. parseAmount reads these alike.
 */
function plainMinor(s: string, exp: number): number {
  const n = s.length;
  let whole = 0;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
  }
  if (i === 0 || i > 9) return -1;
  if (i === n) return whole * POW10[exp];
  if (s.charCodeAt(i) !== 46 || n - i - 1 < 1 || n - i - 1 > exp) return -1;
  let frac = 0;
  for (let k = i + 1; k < n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    frac = frac * 10 + c;
  }
  return whole * POW10[exp] + frac * POW10[exp - (n - i - 1)];
}

/**
 * Minor units of a positive JSON number below 10^9 that is a whole number of them (245.31 in CNY), else -1:
 * such a number's shortest text has at most the currency's decimals, which is what parseAmount reads.
 */
function numberMinor(v: number, exp: number): number {
  const p = POW10[exp];
  const m = Math.round(v * p);
  return v > 0 && v < 1e9 && m / p === v ? m : -1;
}

/**
 * Every transaction record has one shape, every field present (absent ones undefined, which JSON leaves
 * out): code that reads records stays monomorphic, and both paths build the same thing.
 */
function txnRecord(
  txnId: string, terminalId: string, ts: number, type: TxnType, currency: string, status: TxnStatus, src: Provenance, merchantId: string | undefined, amount: number | undefined,
  responseCode: string | undefined, codeProfile: string | undefined, errorCode: string | undefined, message: string | undefined, entryMode: EntryMode | undefined,
  rrn: string | undefined, stan: string | undefined, authCode: string | undefined, batchId: string | undefined, cardRef: string | undefined, cardKey: string | undefined,
  softwareVersion: string | undefined, model: string | undefined, connection: string | undefined, signalDbm: number | undefined, latencyMs: number | undefined,
  extra: Record<string, string> | undefined, damaged: string[] | undefined,
): TerminalTxn {
  return {
    kind: 'txn', txnId, terminalId, ts, type, currency, status, src, merchantId, amount, responseCode, codeProfile, errorCode, message, entryMode,
    rrn, stan, authCode, batchId, cardRef, cardKey, softwareVersion, model, connection, signalDbm, latencyMs, extra, damaged,
  };
}

export interface Normalizer {
  txn(fields: Record<string, unknown>, src: Provenance, fromExport: boolean): TerminalTxn | string;
  event(fields: Record<string, unknown>, src: Provenance): TerminalEvent | string;
  settlement(fields: Record<string, unknown>, src: Provenance): SettlementRecord | string;
  /** What the data policies did to this input. */
  readonly stats: PolicyStats;
  /** Transaction rows taken by the fast path and by the general one. */
  readonly paths: { fast: number; general: number };
}

/** A Normalizer per input: its stats are that input's. `fast: false` forces the general path (tests). */
export function makeNormalizer(options: NormalizeOptions, stats = new PolicyStats(), { fast = true }: { fast?: boolean } = {}): Normalizer {
  const zone = options.zone;
  const instant = (d: DateValue): number => ('wall' in d ? zone.fromWall(d.wall) : d.instant);
  const inferred = options.dates?.timestamp;
  /** Built-in reader first (ISO is nearly every record of a big log), then the column's inferred shape. */
  const readTs = (v: string): number | string => {
    const ts = parseTimestamp(v, zone);
    if (typeof ts === 'number' || !inferred) return ts;
    const d = inferred.read(v);
    if (d === null) return ts + inferred.hint();
    return typeof d === 'string' ? d : instant(d);
  };
  const decimals = options.decimals;
  const amountIn = (s: string): string => (decimals ? (decimals.canonical(s) ?? s) : s);
  // A reason quotes the amount as written: the canonical form (grouping taken out) is no text of the input.
  const readAmount = (value: unknown, text: string, currency: string): number | string => {
    if (typeof value === 'number') return parseAmount(value, currency);
    const canonical = amountIn(text);
    const a = parseAmount(canonical, currency);
    if (typeof a !== 'string' || canonical === text) return a;
    const asWritten = parseAmount(text, currency);
    return typeof asWritten === 'string' ? asWritten : a.split(canonical).join(text);
  };
  /**
   * The fast paths' amount when it is plainly written (a plain decimal text, or a JSON number of whole minor
   * units): the same minor units readAmount gives, without its text; undefined for the rest.
   */
  const quickAmount = (value: unknown, currency: string): number | undefined => {
    const exp = exponentOf(currency);
    if (exp > 3) return undefined;
    let m: number;
    if (typeof value === 'number') m = numberMinor(value, exp);
    else if (typeof value === 'string' && (!decimals || amountIn(value) === value)) m = plainMinor(value, exp);
    else return undefined;
    return m >= 0 ? m : undefined;
  };
  const time = (v: string): number | Invalid => {
    let ts = readTs(v);
    if (typeof ts === 'string' && options.dateFormat) ts = withPattern(v, options.dateFormat, zone) ?? ts;
    if (typeof ts === 'string') return new Invalid(`timestamp: ${options.dateFormat ? `${ts}; nor does it match the profile's dateFormat "${options.dateFormat}"` : ts}`);
    return ts;
  };
  // A currency's name written for its code (RMB) is read as the code, as a status word is; anything else
  // that is no ISO 4217 code refuses the row, naming the value.
  const currencyOf = (v: string | undefined): string | Invalid => {
    if (v === undefined) return options.currency;
    const c = dataCurrency(v);
    return 'problem' in c ? new Invalid(c.problem) : c.code;
  };
  const number = (name: string, v: string | undefined, min: number, max: number): number | undefined | Invalid => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) return new Invalid(`${name}: expected a number, got "${v.slice(0, 30)}"`);
    return n >= min && n <= max ? n : new Invalid(`${name}: ${v.slice(0, 30)} is outside ${min}..${max}`);
  };

  const fastTxn = (f: Record<string, unknown>, src: Provenance): TerminalTxn | undefined => {
    for (const k in f) if (!FAST_TXN_KEYS.has(k)) return NOT_FAST;
    const txnId = fastId(f.txnId);
    const terminalId = fastId(f.terminalId);
    if (!txnId || !terminalId || typeof f.timestamp !== 'string' || typeof f.status !== 'string') return NOT_FAST;
    const ts = readTs(f.timestamp);
    if (typeof ts !== 'number') return NOT_FAST;
    const status = lookup(STATUS, f.status, STATUS_OWN);
    if (status === undefined) return NOT_FAST;
    let type: TxnType = 'sale';
    if (f.type !== undefined && f.type !== null && f.type !== '') {
      if (typeof f.type !== 'string') return NOT_FAST;
      const t = lookup(TYPE, f.type, TYPE_OWN);
      if (t === undefined) return NOT_FAST;
      type = t;
    }
    const cur = fastText(f.currency);
    if (cur === NOT_FAST) return NOT_FAST;
    const currency = cur === null ? options.currency : cur.toUpperCase();
    if (!ISO_4217.has(currency)) return NOT_FAST;
    let amount = quickAmount(f.amount, currency);
    if (amount === undefined) {
      const amountText = fastText(f.amount);
      if (amountText === NOT_FAST) return NOT_FAST;
      if (amountText !== null) {
        const a = readAmount(f.amount, amountText, currency);
        if (typeof a === 'string' || a < 0) return NOT_FAST;
        amount = a;
      } else if (!AMOUNT_OPTIONAL.has(type)) return NOT_FAST;
    }
    const merchantId = fastId(f.merchantId);
    const responseCode = fastText(f.responseCode);
    const codeProfile = fastText(f.codeProfile);
    const errorCode = fastText(f.errorCode);
    const message = fastText(f.message);
    const entryText = fastText(f.entryMode);
    const rrn = fastId(f.rrn);
    const stan = fastId(f.stan);
    const authCode = fastId(f.authCode);
    const batchId = fastId(f.batchId);
    const cardRef = fastCard(f.cardRef);
    const softwareVersion = fastText(f.softwareVersion);
    const model = fastText(f.model);
    const connection = fastText(f.connection);
    // Whole numbers in range are read as they are (their text is short, no policy would touch it); -0 as 0, as its text reads.
    const sv = f.signalDbm;
    const lv = f.latencyMs;
    const signalWhole = typeof sv === 'number' && Number.isInteger(sv) && sv >= -200 && sv <= 100;
    const latencyWhole = typeof lv === 'number' && Number.isInteger(lv) && lv >= 0 && lv <= 3_600_000;
    const signalText = signalWhole ? null : fastText(sv);
    const latencyText = latencyWhole ? null : fastText(lv);
    if (merchantId === NOT_FAST || responseCode === NOT_FAST || codeProfile === NOT_FAST || errorCode === NOT_FAST || message === NOT_FAST || entryText === NOT_FAST) return NOT_FAST;
    if (rrn === NOT_FAST || stan === NOT_FAST || authCode === NOT_FAST || batchId === NOT_FAST || cardRef === NOT_FAST) return NOT_FAST;
    if (softwareVersion === NOT_FAST || model === NOT_FAST || connection === NOT_FAST || signalText === NOT_FAST || latencyText === NOT_FAST) return NOT_FAST;
    let entryMode: EntryMode | undefined;
    if (entryText !== null) {
      entryMode = lookup(ENTRY, entryText, ENTRY_OWN);
      if (entryMode === undefined) return NOT_FAST;
    }
    const signalDbm = signalWhole ? (sv as number) + 0 : signalText === null ? undefined : Number(signalText);
    const latencyMs = latencyWhole ? (lv as number) + 0 : latencyText === null ? undefined : Number(latencyText);
    if (signalDbm !== undefined && !(signalDbm >= -200 && signalDbm <= 100)) return NOT_FAST;
    if (latencyMs !== undefined && !(latencyMs >= 0 && latencyMs <= 3_600_000)) return NOT_FAST;
    // Fewer than 13 digits in the card reference: a masked number or a token, grouped by its text (CardKeys.identity).
    const txn = txnRecord(txnId, terminalId, ts, type, currency, status, src, merchantId ?? undefined, amount, responseCode?.toUpperCase(), codeProfile?.toLowerCase(), errorCode ?? undefined, message ?? undefined, entryMode, rrn ?? undefined, stan ?? undefined, authCode ?? undefined, batchId ?? undefined, cardRef ?? undefined, cardRef !== null ? 'r:' + cardRef : undefined, softwareVersion ?? undefined, model ?? undefined, connection?.toLowerCase(), signalDbm, latencyMs, undefined, undefined);
    return txn;
  };

  // Settlement rows keep no extra fields, so other keys need no look here.
  const fastSettlement = (f: Record<string, unknown>, src: Provenance): SettlementRecord | undefined => {
    const terminalId = fastId(f.terminalId);
    const txnId = fastId(f.txnId);
    const rrn = fastId(f.rrn);
    if (!terminalId || txnId === NOT_FAST || rrn === NOT_FAST || (txnId === null && rrn === null)) return NOT_FAST;
    if (typeof f.settlementDate !== 'string' || typeof f.status !== 'string') return NOT_FAST;
    const dateText = fastRaw(f.settlementDate);
    if (typeof dateText !== 'string') return NOT_FAST;
    const day = parseDay(dateText.slice(0, 10));
    if (day === undefined) return NOT_FAST;
    const status = lookup(SETTLEMENT_STATUS, f.status, SETTLEMENT_STATUS_OWN);
    if (status === undefined || fastRaw(f.status) === NOT_FAST) return NOT_FAST;
    const cur = fastRaw(f.currency);
    if (cur === NOT_FAST) return NOT_FAST;
    const currency = cur === null ? options.currency : cur.toUpperCase();
    if (!ISO_4217.has(currency)) return NOT_FAST;
    let amount = quickAmount(f.amount, currency);
    if (amount === undefined) {
      const amountText = fastRaw(f.amount);
      if (typeof amountText !== 'string') return NOT_FAST;
      const a = readAmount(f.amount, amountText, currency);
      if (typeof a === 'string') return NOT_FAST;
      amount = a;
    }
    const merchantId = fastId(f.merchantId);
    const batchId = fastId(f.batchId);
    const reasonCode = fastText(f.reasonCode);
    const message = fastText(f.message);
    if (merchantId === NOT_FAST || batchId === NOT_FAST || reasonCode === NOT_FAST || message === NOT_FAST) return NOT_FAST;
    // The general path's key order, so both serialize alike.
    const rec: SettlementRecord = { kind: 'settlement', terminalId, settlementDay: day, amount, currency, status, src };
    if (txnId !== null) rec.txnId = txnId;
    if (rrn !== null) rec.rrn = rrn;
    if (merchantId !== null) rec.merchantId = merchantId;
    if (batchId !== null) rec.batchId = batchId;
    if (reasonCode !== null) rec.reasonCode = reasonCode.toUpperCase();
    if (message !== null) rec.message = message;
    return rec;
  };

  const paths = { fast: 0, general: 0 };
  return {
    stats,
    paths,
    txn(fields, src, fromExport) {
      if (fast) {
        const quick = fastTxn(fields, src);
        if (quick !== undefined) {
          paths.fast++;
          return quick;
        }
      }
      paths.general++;
      const row = coerceTxn(fields);
      if (typeof row === 'string') return row;
      const { damaged } = applyPolicies(row, TXN_POLICIES, stats);
      const parsed = TerminalTxnRow.safeParse(row);
      if (!parsed.success) return firstIssue(parsed.error);
      const v = parsed.data;
      const ts = time(v.timestamp);
      if (ts instanceof Invalid) return ts.reason;
      const status = enumValue(STATUS, TxnStatus.options, 'transaction status', v.status);
      if (!TxnStatus.options.includes(status as TxnStatus)) return `status: ${status}`;
      let type: TxnType = 'sale';
      if (v.type !== undefined) {
        const t = enumValue(TYPE, TxnType.options, 'transaction type', v.type);
        if (!TxnType.options.includes(t as TxnType)) return `type: ${t}`;
        type = t as TxnType;
      }
      const currency = currencyOf(v.currency);
      if (currency instanceof Invalid) return currency.reason;
      let amount: number | undefined;
      if (v.amount !== undefined) {
        const a = readAmount(fields.amount, v.amount, currency);
        if (typeof a === 'string') return `amount: ${a}`;
        amount = a;
        if (amount < 0) {
          // A refund written negative is consistent, and so is a void or reversal (it takes money back); an
          // untyped negative is a refund only in merchant exports.
          if (type === 'refund' || type === 'void' || type === 'reversal') {
            amount = -amount;
          } else if (fromExport && v.type === undefined) {
            type = 'refund';
            amount = -amount;
          } else {
            return `amount: ${v.amount} is negative; write refunds as type "refund" (and voids as "void") with a positive amount`;
          }
        }
      } else if (!AMOUNT_OPTIONAL.has(type)) {
        return `amount: missing (required for type ${type})`;
      }
      // Radio signal in dBm and a round trip in ms: values outside any real range are kept as text, not as figures.
      const signalDbm = number('signalDbm', v.signalDbm, -200, 100);
      const latencyMs = number('latencyMs', v.latencyMs, 0, 3_600_000);
      let extra = extraOf(fields, TXN_FIELDS, stats);
      if (signalDbm instanceof Invalid) (extra ??= {}).signalDbm = extraValue('signalDbm', v.signalDbm!, stats);
      if (latencyMs instanceof Invalid) (extra ??= {}).latencyMs = extraValue('latencyMs', v.latencyMs!, stats);
      let entryMode: EntryMode | undefined;
      if (v.entryMode !== undefined) {
        entryMode = lookup(ENTRY, v.entryMode);
        // An unfamiliar entry mode is kept for people to read, not a reason to lose the row.
        if (entryMode === undefined) (extra ??= {}).entryMode = extraValue('entryMode', v.entryMode, stats);
      }
      // The identity is taken from the reference as given (the full number, when it was one).
      const cardKey = v.cardRef !== undefined && !damaged?.includes('cardRef') ? options.cards.identity(typeof fields.cardRef === 'string' || typeof fields.cardRef === 'number' ? String(fields.cardRef).trim() : v.cardRef) : undefined;
      const txn = txnRecord(v.txnId, v.terminalId, ts, type, currency, status as TxnStatus, src, v.merchantId, amount, v.responseCode?.toUpperCase(), v.codeProfile?.toLowerCase(), v.errorCode, v.message, entryMode, v.rrn, v.stan, v.authCode, v.batchId, v.cardRef, cardKey, v.softwareVersion, v.model, v.connection?.toLowerCase(), typeof signalDbm === 'number' ? signalDbm : undefined, typeof latencyMs === 'number' ? latencyMs : undefined, extra, damaged);
      return txn;
    },
    event(fields, src) {
      const row = coerceEvent(fields);
      if (typeof row === 'string') return row;
      const { damaged } = applyPolicies(row, EVENT_POLICIES, stats);
      const parsed = TerminalEventRow.safeParse(row);
      if (!parsed.success) return firstIssue(parsed.error);
      const v = parsed.data;
      const ts = time(v.timestamp);
      if (ts instanceof Invalid) return ts.reason;
      const event: TerminalEvent = { kind: 'event', terminalId: v.terminalId, ts, event: eventKey(v.event), src };
      if (damaged) event.damaged = damaged;
      if (v.detail !== undefined) event.detail = v.detail;
      return event;
    },
    settlement(fields, src) {
      if (fast) {
        const quick = fastSettlement(fields, src);
        if (quick !== undefined) {
          paths.fast++;
          return quick;
        }
      }
      paths.general++;
      const row = coerceSettlement(fields);
      if (typeof row === 'string') return row;
      const { damaged } = applyPolicies(row, SETTLEMENT_POLICIES, stats);
      const parsed = SettlementRow.safeParse(row);
      if (!parsed.success) return firstIssue(parsed.error);
      const v = parsed.data;
      let day = parseDay(v.settlementDate.slice(0, 10)) ?? parseDay(v.settlementDate);
      const dayReader = options.dates?.settlementDate;
      if (day === undefined && dayReader) {
        const d = dayReader.read(v.settlementDate);
        if (typeof d === 'string') return `settlementDate: ${d}`;
        if (d !== null) day = 'wall' in d ? Math.floor(d.wall / DAY) : zone.localDay(d.instant);
      }
      if (day === undefined) return `settlementDate: "${v.settlementDate.slice(0, 30)}" is not a business date YYYY-MM-DD${dayReader?.hint() ?? ''}`;
      const status = enumValue(SETTLEMENT_STATUS, SettlementStatus.options, 'settlement status', v.status);
      if (!SettlementStatus.options.includes(status as SettlementStatus)) return `status: ${status}`;
      const currency = currencyOf(v.currency);
      if (currency instanceof Invalid) return currency.reason;
      const amount = readAmount(fields.amount, v.amount, currency);
      if (typeof amount === 'string') return `amount: ${amount}`;
      const rec: SettlementRecord = { kind: 'settlement', terminalId: v.terminalId, settlementDay: day, amount, currency, status: status as SettlementStatus, src };
      if (v.txnId !== undefined) rec.txnId = v.txnId;
      if (v.rrn !== undefined) rec.rrn = v.rrn;
      if (v.merchantId !== undefined) rec.merchantId = v.merchantId;
      if (v.batchId !== undefined) rec.batchId = v.batchId;
      if (v.reasonCode !== undefined) rec.reasonCode = v.reasonCode.toUpperCase();
      if (v.message !== undefined) rec.message = v.message;
      if (damaged) rec.damaged = damaged;
      return rec;
    },
  };
}

// Built-in event names by their letters alone: PINPadFault and PinpadFault are PINPAD_FAULT.
const EVENT_BY_LETTERS = new Map(Object.keys(events.events).map((name) => [name.replace(/_/g, ''), name]));

/**
 * An event name as the tables know it: upper case, words joined by underscores, whether written with
 * spaces, hyphens or in camelCase (NetworkDown, network-down, Network Down are NETWORK_DOWN).
 */
export function eventKey(name: string): string {
  const key = name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  return EVENT_BY_LETTERS.get(key.replace(/_/g, '')) ?? key;
}

/** What a row is, from its fields: settlement lines carry a business date, events an event name. */
export function rowKind(fields: Record<string, unknown>): RowKind {
  if (fields.kind === 'event') return 'event';
  if (fields.kind === 'settlement' || fields.settlementDate !== undefined) return 'settlement';
  if (fields.kind === 'txn' || fields.kind === 'transaction') return 'txn';
  if (fields.event !== undefined && fields.status === undefined) return 'event';
  return 'txn';
}

const camelCache = new Map<string, string>();

/** `terminal_id` and `Terminal-ID` style keys to camelCase, so JSON from other tools maps without a profile. */
export function camelKey(key: string): string {
  let out = camelCache.get(key);
  if (out === undefined) {
    out = /[_\s-]/.test(key) ? key.trim().toLowerCase().replace(/[_\s-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : key;
    if (camelCache.size < 10_000) camelCache.set(key, out);
  }
  return out;
}
