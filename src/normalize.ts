import { parse as parseWithPattern, isValid } from 'date-fns';
import { z } from 'zod';
import { maskCardField, maskPans } from './mask.js';
import { parseAmount } from './money.js';
import { parseDay, parseTimestamp, type Zone } from './time.js';
import {
  EntryMode,
  SettlementStatus,
  TxnStatus,
  TxnType,
  type Provenance,
  type SettlementRecord,
  type TerminalEvent,
  type TerminalTxn,
} from './model.js';

export type RowKind = 'txn' | 'event' | 'settlement';

export interface NormalizeOptions {
  zone: Zone;
  /** Default currency (--currency). */
  currency: string;
  /** date-fns pattern from a mapping profile, tried when the built-in reader does not know a timestamp. */
  dateFormat?: string;
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
  closed: 'terminated', 终止: 'terminated', 交易终止: 'terminated', 已取消: 'terminated', 取消: 'terminated', 交易关闭: 'terminated',
  reversed: 'reversed', reversal: 'reversed', voided: 'reversed', 已冲正: 'reversed', 冲正: 'reversed', 已撤销: 'reversed',
  unknown: 'unknown', pending: 'unknown', processing: 'unknown', 未知: 'unknown', 处理中: 'unknown',
};
const SETTLEMENT_STATUS: Record<string, SettlementStatus> = {
  settled: 'settled', success: 'settled', succeeded: 'settled', paid: 'settled', 已结算: 'settled', 结算成功: 'settled', 成功: 'settled',
  failed: 'failed', fail: 'failed', failure: 'failed', 结算失败: 'failed', 失败: 'failed',
  rejected: 'rejected', reject: 'rejected', declined: 'rejected', 拒绝: 'rejected', 已拒绝: 'rejected',
  held: 'held', hold: 'held', on_hold: 'held', onhold: 'held', frozen: 'held', 冻结: 'held', 暂缓: 'held', 挂起: 'held', 止付: 'held',
  pending: 'pending', processing: 'pending', 处理中: 'pending', 待结算: 'pending', 未结算: 'pending',
};
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

function foldKey(s: string): string {
  return s.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function lookup<T>(table: Record<string, T>, value: string): T | undefined {
  return table[foldKey(value)] ?? table[foldKey(value).replace(/_/g, '')];
}

/** A field value as trimmed text; numbers become their decimal text; empty means absent. */
const Text = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? undefined : String(v).trim() || undefined));

const RequiredText = (what: string) =>
  Text.pipe(z.string({ error: `missing ${what}` }).min(1, `missing ${what}`));

/** Free text: full card numbers masked on input so they never reach an output. */
const FreeText = Text.transform((v) => (v === undefined ? undefined : maskPans(v)));
const Id = (what: string) => RequiredText(what).transform(maskPans);

const OptionalNumber = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === '') return undefined;
    const n = typeof v === 'number' ? v : Number(v.trim());
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `expected a number, got "${String(v).slice(0, 30)}"` });
      return z.NEVER;
    }
    return n;
  });

function enumField<T extends string>(table: Record<string, T>, allowed: readonly string[], what: string, required: boolean) {
  return Text.transform((v, ctx) => {
    if (v === undefined) {
      if (required) ctx.addIssue({ code: 'custom', message: `missing ${what} (allowed: ${allowed.join(', ')})` });
      return undefined as T | undefined;
    }
    const found = lookup(table, v);
    if (found === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${v.slice(0, 40)}" is not a ${what} (allowed: ${allowed.join(', ')})` });
      return z.NEVER;
    }
    return found;
  });
}

const TXN_FIELDS = new Set([
  'kind', 'txnId', 'terminalId', 'merchantId', 'timestamp', 'type', 'amount', 'currency', 'status', 'responseCode',
  'codeProfile', 'errorCode', 'message', 'entryMode', 'rrn', 'stan', 'authCode', 'batchId', 'cardRef',
  'softwareVersion', 'model', 'connection', 'signalDbm', 'latencyMs', 'extra',
]);

function makeSchemas(options: NormalizeOptions) {
  const zone = options.zone;
  const Timestamp = z.unknown().transform((v, ctx) => {
    if (v === undefined || v === null || v === '') {
      ctx.addIssue({ code: 'custom', message: 'missing timestamp' });
      return z.NEVER;
    }
    let ts = parseTimestamp(v, zone);
    if (typeof ts === 'string' && options.dateFormat && typeof v === 'string') ts = withPattern(v, options.dateFormat, zone) ?? ts;
    if (typeof ts === 'string') {
      ctx.addIssue({ code: 'custom', message: options.dateFormat ? `${ts}; nor does it match the profile's dateFormat "${options.dateFormat}"` : ts });
      return z.NEVER;
    }
    return ts;
  });
  const Currency = Text.transform((v, ctx) => {
    const c = (v ?? options.currency).toUpperCase();
    if (!/^[A-Z]{3}$/.test(c)) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not an ISO 4217 currency code (e.g. CNY)` });
      return z.NEVER;
    }
    return c;
  });
  const ResponseCode = Text.transform((v) => (v === undefined ? undefined : v.toUpperCase()));

  const TerminalTxnInput = z.object({
    txnId: Id('txnId'),
    terminalId: Id('terminalId'),
    merchantId: Text.transform((v) => (v === undefined ? undefined : maskPans(v))),
    timestamp: Timestamp,
    type: enumField(TYPE, TxnType.options, 'transaction type', false),
    amount: z.unknown(),
    currency: Currency,
    status: enumField(STATUS, TxnStatus.options, 'transaction status', true),
    responseCode: ResponseCode,
    codeProfile: Text.transform((v) => v?.toLowerCase()),
    errorCode: Text,
    message: FreeText,
    entryMode: Text,
    rrn: Text,
    stan: Text,
    authCode: Text,
    batchId: Text,
    cardRef: Text.transform((v) => (v === undefined ? undefined : maskCardField(v))),
    softwareVersion: Text,
    model: Text,
    connection: Text.transform((v) => v?.toLowerCase()),
    signalDbm: OptionalNumber,
    latencyMs: OptionalNumber,
  });

  const TerminalEventInput = z.object({
    terminalId: Id('terminalId'),
    timestamp: Timestamp,
    event: RequiredText('event').transform((v) => v.toUpperCase().replace(/[\s-]+/g, '_')),
    detail: FreeText,
  });

  const SettlementInput = z
    .object({
      txnId: Text.transform((v) => (v === undefined ? undefined : maskPans(v))),
      rrn: Text,
      terminalId: Id('terminalId'),
      merchantId: Text,
      settlementDate: RequiredText('settlementDate').transform((v, ctx) => {
        const day = parseDay(v.slice(0, 10)) ?? parseDay(v);
        if (day === undefined) {
          ctx.addIssue({ code: 'custom', message: `"${v.slice(0, 30)}" is not a business date YYYY-MM-DD` });
          return z.NEVER;
        }
        return day;
      }),
      batchId: Text,
      amount: z.unknown(),
      currency: Currency,
      status: enumField(SETTLEMENT_STATUS, SettlementStatus.options, 'settlement status', true),
      reasonCode: ResponseCode,
      message: FreeText,
    })
    .refine((s) => s.txnId !== undefined || s.rrn !== undefined, { message: 'a settlement line needs txnId or rrn to be matched', path: ['txnId'] });

  return { TerminalTxnInput, TerminalEventInput, SettlementInput };
}

/** A profile's own pattern, read as wall-clock time in the zone (date-fns parses in the machine zone, so undo that). */
function withPattern(value: string, pattern: string, zone: Zone): number | undefined {
  const d = parseWithPattern(value.trim(), pattern, new Date(2000, 0, 1));
  if (!isValid(d)) return undefined;
  const wall = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
  return zone.fromWall(wall);
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.join('.');
  const message = issue.code === 'invalid_type' && /undefined/.test(issue.message) ? `missing ${path}` : issue.message;
  return path && !message.includes(path) ? `${path}: ${message}` : message;
}

function extraOf(fields: Record<string, unknown>, known: Set<string>): Record<string, string> | undefined {
  let extra: Record<string, string> | undefined;
  for (const key in fields) {
    if (known.has(key)) continue;
    const v = fields[key];
    if (v === undefined || v === null || v === '') continue;
    if (key === 'extra' && typeof v === 'object') continue;
    (extra ??= {})[maskPans(key)] = maskPans(typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  const nested = fields.extra;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    for (const [k, v] of Object.entries(nested as Record<string, unknown>)) {
      if (v !== undefined && v !== null && v !== '') (extra ??= {})[maskPans(k)] = maskPans(String(v));
    }
  }
  return extra;
}

/** Money-moving types need an amount (formats.md); balance inquiries and voids may omit it. */
const AMOUNT_OPTIONAL = new Set<TxnType>(['balance', 'void', 'reversal']);

export interface Normalizer {
  txn(fields: Record<string, unknown>, src: Provenance, fromExport: boolean): TerminalTxn | string;
  event(fields: Record<string, unknown>, src: Provenance): TerminalEvent | string;
  settlement(fields: Record<string, unknown>, src: Provenance): SettlementRecord | string;
}

export function makeNormalizer(options: NormalizeOptions): Normalizer {
  const { TerminalTxnInput, TerminalEventInput, SettlementInput } = makeSchemas(options);
  return {
    txn(fields, src, fromExport) {
      const parsed = TerminalTxnInput.safeParse(fields);
      if (!parsed.success) return firstIssue(parsed.error);
      const v = parsed.data;
      let type: TxnType = v.type ?? 'sale';
      let amount: number | undefined;
      if (fields.amount !== undefined && fields.amount !== null && fields.amount !== '') {
        const a = parseAmount(fields.amount, v.currency);
        if (typeof a === 'string') return `amount: ${a}`;
        amount = a;
        if (amount < 0) {
          // In merchant exports a negative amount is how a refund is written; in our own format it is an error.
          if (fromExport && (v.type === undefined || v.type === 'refund')) {
            type = 'refund';
            amount = -amount;
          } else {
            return `amount: ${String(fields.amount)} is negative; write refunds as type "refund" with a positive amount`;
          }
        }
      } else if (!AMOUNT_OPTIONAL.has(type)) {
        return `amount: missing (required for type ${type})`;
      }
      let extra = extraOf(fields, TXN_FIELDS);
      let entryMode: EntryMode | undefined;
      if (v.entryMode !== undefined) {
        entryMode = lookup(ENTRY, v.entryMode);
        // An unfamiliar entry mode is kept for people to read, not a reason to lose the row.
        if (entryMode === undefined) (extra ??= {}).entryMode = v.entryMode;
      }
      const txn: TerminalTxn = {
        kind: 'txn',
        txnId: v.txnId,
        terminalId: v.terminalId,
        ts: v.timestamp,
        type,
        currency: v.currency,
        status: v.status!,
        src,
      };
      if (v.merchantId !== undefined) txn.merchantId = v.merchantId;
      if (amount !== undefined) txn.amount = amount;
      if (v.responseCode !== undefined) txn.responseCode = v.responseCode;
      if (v.codeProfile !== undefined) txn.codeProfile = v.codeProfile;
      if (v.errorCode !== undefined) txn.errorCode = v.errorCode;
      if (v.message !== undefined) txn.message = v.message;
      if (entryMode !== undefined) txn.entryMode = entryMode;
      if (v.rrn !== undefined) txn.rrn = v.rrn;
      if (v.stan !== undefined) txn.stan = v.stan;
      if (v.authCode !== undefined) txn.authCode = v.authCode;
      if (v.batchId !== undefined) txn.batchId = v.batchId;
      if (v.cardRef !== undefined) txn.cardRef = v.cardRef;
      if (v.softwareVersion !== undefined) txn.softwareVersion = v.softwareVersion;
      if (v.model !== undefined) txn.model = v.model;
      if (v.connection !== undefined) txn.connection = v.connection;
      if (v.signalDbm !== undefined) txn.signalDbm = v.signalDbm;
      if (v.latencyMs !== undefined) txn.latencyMs = v.latencyMs;
      if (extra !== undefined) txn.extra = extra;
      return txn;
    },
    event(fields, src) {
      const parsed = TerminalEventInput.safeParse(fields);
      if (!parsed.success) return firstIssue(parsed.error);
      const v = parsed.data;
      const event: TerminalEvent = { kind: 'event', terminalId: v.terminalId, ts: v.timestamp, event: v.event, src };
      if (v.detail !== undefined) event.detail = v.detail;
      return event;
    },
    settlement(fields, src) {
      const parsed = SettlementInput.safeParse(fields);
      if (!parsed.success) return firstIssue(parsed.error);
      const v = parsed.data;
      if (fields.amount === undefined || fields.amount === null || fields.amount === '') return 'amount: missing';
      const amount = parseAmount(fields.amount, v.currency);
      if (typeof amount === 'string') return `amount: ${amount}`;
      const rec: SettlementRecord = {
        kind: 'settlement',
        terminalId: v.terminalId,
        settlementDay: v.settlementDate,
        amount,
        currency: v.currency,
        status: v.status!,
        src,
      };
      if (v.txnId !== undefined) rec.txnId = v.txnId;
      if (v.rrn !== undefined) rec.rrn = v.rrn;
      if (v.merchantId !== undefined) rec.merchantId = v.merchantId;
      if (v.batchId !== undefined) rec.batchId = v.batchId;
      if (v.reasonCode !== undefined) rec.reasonCode = v.reasonCode;
      if (v.message !== undefined) rec.message = v.message;
      return rec;
    },
  };
}

/** What a row is, from its fields: settlement lines carry a business date, events an event name. */
export function rowKind(fields: Record<string, unknown>): RowKind {
  if (fields.kind === 'event') return 'event';
  if (fields.kind === 'settlement' || 'settlementDate' in fields) return 'settlement';
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
