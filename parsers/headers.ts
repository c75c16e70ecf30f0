import { ISO_4217 } from '../src/currency.js';
// Built-in header aliases: how a CSV/TSV header written by someone else maps onto the canonical field names
// of formats.md, with no mapping profile. Matching ignores case, spaces, underscores and punctuation.

export type RecordKind = 'terminal' | 'events' | 'settlement';

export const CANONICAL_FIELDS = [
  'txnId',
  'terminalId',
  'merchantId',
  'timestamp',
  'type',
  'amount',
  'currency',
  'status',
  'responseCode',
  'codeProfile',
  'errorCode',
  'message',
  'entryMode',
  'rrn',
  'stan',
  'authCode',
  'batchId',
  'cardRef',
  'softwareVersion',
  'model',
  'connection',
  'signalDbm',
  'latencyMs',
  'kind',
  'event',
  'detail',
  'settlementDate',
  'reasonCode',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

/**
 * Fields a header must map for a file to be read as that kind. A terminal export without a txnId is still
 * accepted (many merchant exports have none): the row's line number stands in for it (see mapping.ts).
 * For settlement, `txnId|rrn` means either one.
 */
export const REQUIRED: Record<RecordKind, string[]> = {
  terminal: ['terminalId', 'timestamp', 'status', 'amount'],
  events: ['terminalId', 'timestamp', 'event'],
  settlement: ['txnId|rrn', 'terminalId', 'settlementDate', 'amount', 'status'],
};

// An apostrophe before an id-like value with a digit in it ('01234567, '6222****1001, '2026-11-05 10:00).
const EXCEL_TEXT_GUARD = /^'(?=[^']*\d)[0-9A-Za-z][0-9A-Za-z_\-.:/* ]*$/;

/** Trims and removes the guards Excel users put around values: a leading backtick or apostrophe, `="..."`, padding. */
export function cleanValue(value: string): string {
  const n = value.length;
  if (n === 0) return value;
  // Most cells: printable ASCII at both ends (nothing trim() would take) and no guard character first.
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(n - 1);
  if (first > 32 && first < 127 && last > 32 && last < 127 && first !== 0x60 && first !== 0x27 && first !== 0x3d && first !== 0x22) return value;
  let s = value.trim();
  if (s.length === 0) return s;
  const c = s.charCodeAt(0);
  if (c === 0x60) {
    // `2021-01-28 17:07:11
    s = s.slice(1).trim();
  } else if (c === 0x27 && EXCEL_TEXT_GUARD.test(s)) {
    // '01234567: typed to keep Excel from reading a number (and dropping its zeros); never a quote of an id
    s = s.slice(1);
  } else if (c === 0x3d && s.length >= 3 && s.charCodeAt(1) === 0x22 && s.charCodeAt(s.length - 1) === 0x22) {
    // ="0123"
    s = s.slice(2, -1).replace(/""/g, '"').trim();
  } else if (c === 0x22 && s.length >= 2 && s.charCodeAt(s.length - 1) === 0x22) {
    // "3985734"<TAB> : a quoted field padded after its closing quote reaches us quotes and all (relax_quotes)
    s = s.slice(1, -1).replace(/""/g, '"').trim();
  }
  return s;
}

const UNIT = /\(\s*(元|人民币|[a-z]{3})\s*\)/g;

/**
 * The currency a header names by its ISO code as its unit (Amount (EUR)); undefined for none. 金额(元) names
 * none: 元 is the yuan, the Hong Kong dollar and the New Taiwan dollar alike, so --currency decides.
 */
export function headerCurrency(header: string): string | undefined {
  for (const m of cleanValue(header).normalize('NFKC').toLowerCase().matchAll(UNIT)) {
    const unit = m[1].toUpperCase();
    if (ISO_4217.has(unit)) return unit;
  }
  return undefined;
}

/** Header key for alias matching: case, width, spaces, underscores, punctuation and a currency unit suffix (`(元)`, `(EUR)`) ignored. */
export function normalizeHeader(header: string): string {
  return cleanValue(header)
    .normalize('NFKC')
    .toLowerCase()
    .replace(UNIT, (unit, code: string) => (code === '元' || code === '人民币' || code === 'rmb' || ISO_4217.has(code.toUpperCase()) ? '' : unit))
    .replace(/[\s_\-.?:/\\*#'"`]+/g, '');
}

// Earlier aliases win when two columns map to the same field (e.g. 交易单号 before 订单号).
export const ALIASES: Readonly<Record<CanonicalField, readonly string[]>> = {
  txnId: ['txnId', '交易单号', '交易流水号', '商户订单号', '交易订单号', '交易号', '订单号', '流水号', 'transaction id', 'txn id', 'trade no', 'out trade no', 'order id', 'order no', 'payment id', 'transaction no'],
  terminalId: ['terminalId', '终端号', '终端编号', '终端ID', '设备号', '设备编号', '设备ID', '终端', 'terminal id', 'terminal no', 'terminal reader id', 'terminal sn', 'tid', 'device id', 'pos id', 'terminal', 'device', 'device name'],
  merchantId: ['merchantId', '商户号', '商户编号', '商户ID', '商户代码', 'merchant id', 'merchant no', 'mid', 'merchant account'],
  timestamp: ['timestamp', 'datetime', 'date time', '交易日期时间', '交易时间戳', '创建时间', '交易创建时间', '记账时间', 'created', 'created at', 'created (utc)', 'created utc'],
  type: ['type', '交易类型', 'transaction type', 'txn type'],
  amount: ['amount', '交易金额', '金额', '订单金额', '应结订单金额', '总金额', '支付金额', '订单总金额', 'transaction amount', 'txn amount', 'gross', 'total', 'betrag', 'umsatz', 'montant', 'importe'],
  currency: ['currency', '货币种类', '币种', '交易币种', '货币', 'currency code', 'ccy'],
  status: ['status', '交易状态', '状态', '当前状态', '交易结果', '订单状态', 'result', 'transaction status', 'payment status', 'txn status', '结算状态', '清算状态', '入账状态', '对账状态', 'settlement status', 'settle status'],
  responseCode: ['responseCode', '应答码', '响应码', '返回码', '应答代码', '响应代码', 'response code', 'resp code', 'rc', 'action code'],
  errorCode: ['errorCode', '错误码', '错误代码', 'error code', 'err code'],
  // Exports put the reason under many names; a remark (备注) only when no column says reason outright.
  message: ['message', '失败原因', '错误信息', '错误描述', '应答信息', '响应信息', '返回信息', '错误原因', '拒绝原因', '失败描述', '失败信息', '应答描述', '返回描述', '响应描述', '应答消息', '返回消息', '错误提示', '错误说明', '交易描述', '原因', '说明', '备注', 'reason', 'error message', 'failure reason', 'decline reason', 'errors', 'response message', 'response text', 'result message', 'description', 'remark', 'remarks'],
  entryMode: ['entryMode', '交易方式', '读卡方式', '输入方式', 'entry mode', 'pos entry mode', 'card entry method', 'card entry methods', 'use chip'],
  rrn: ['rrn', '参考号', '检索参考号', '系统参考号', 'retrieval reference number', 'reference number', 'ref no'],
  stan: ['stan', '凭证号', '系统跟踪号', '终端流水号', 'trace', 'trace no', 'trace number'],
  authCode: ['authCode', '授权码', '授权号', 'auth code', 'approval code', 'authorization code'],
  batchId: ['batchId', '批次号', '交易批次号', 'batch', 'batch no', 'batch id', 'batch number'],
  cardRef: ['cardRef', '卡号', '交易卡号', 'card', 'card number', 'card no', 'pan', 'masked pan'],
  softwareVersion: ['softwareVersion', '软件版本', '版本号', '应用版本', 'software version', 'app version'],
  model: ['model', '型号', '设备型号', '终端型号', 'device model'],
  connection: ['connection', '网络类型', '连接方式', 'network'],
  signalDbm: ['signalDbm', '信号强度', 'signal', 'signal dbm', 'rssi'],
  latencyMs: ['latencyMs', '延迟', '耗时', 'latency', 'latency ms', 'rtt'],
  codeProfile: ['codeProfile', 'code profile'],
  kind: ['kind', '记录类型'],
  event: ['event', '事件', '事件类型', 'event name'],
  detail: ['detail', 'details', '详情', '事件详情'],
  settlementDate: ['settlementDate', '结算日期', '清算日期', '对账日期', 'settlement date', 'settle date', 'value date'],
  reasonCode: ['reasonCode', '原因码', 'reason code'],
};

// Split date and time columns (交易日期 + 交易时间, Transaction Date + Transaction Time) combine into
// `timestamp`. 交易时间 or Transaction Time alone is a full timestamp in most exports (WeChat, Alipay,
// gateways), so it is weaker than any alias above.
const DATE_ALIASES = ['交易日期', '日期', 'date', 'transaction date', 'txn date', 'trans date', 'datum', 'buchungsdatum', 'fecha'];
const TIME_ALIASES = ['交易时间', '时间', 'time', 'transaction time', 'txn time', 'trans time', 'transaction time of day', 'uhrzeit', 'zeit', 'heure', 'hora'];

const aliasIndex = new Map<string, { field: CanonicalField; rank: number }>();
for (const field of CANONICAL_FIELDS) {
  ALIASES[field].forEach((alias, rank) => {
    const key = normalizeHeader(alias);
    if (!aliasIndex.has(key)) aliasIndex.set(key, { field, rank });
  });
}
const dateKeys = new Set(DATE_ALIASES.map(normalizeHeader));
const timeKeys = new Set(TIME_ALIASES.map(normalizeHeader));

// Rows that are not transactions, told by their first non-empty cell. A trailer starts a footer: it and
// every row after it are skipped (WeChat's 总交易单数 line is followed by a line of bare numbers; Alipay's
// `----` by free text), unless a record follows, which makes it a separator (csv.ts). A summary row or a `#` comment is rejected alone. English words
// only as the whole cell, so a merchant called "Total Wine" stays a row.
const TRAILER = /^(-{3,}|={3,}|总交易单数|总笔数|导出时间|summary\s*:?$)/i;
const SUMMARY = /^(合计|总计|汇总|小计|交易合计|退款合计|共\s*\d+\s*笔|(grand )?total(s)?\s*:?$|subtotal\s*:?$)/i;

export type NonRow = 'trailer' | 'summary' | 'comment';

export function classifyNonRow(firstCell: string): NonRow | null {
  const c = firstCell.charCodeAt(0);
  if (c === 0x23) return 'comment';
  if (TRAILER.test(firstCell)) return 'trailer';
  if (SUMMARY.test(firstCell)) return 'summary';
  return null;
}

/**
 * Every column whose header is an alias of a field (timestamp also takes date and time columns), in
 * column order: what inspect shows as the alternatives to the column chosen.
 */
export function aliasCandidates(headers: string[]): Partial<Record<CanonicalField, string[]>> {
  const out: Partial<Record<CanonicalField, string[]>> = {};
  headers.forEach((h, col) => {
    const key = normalizeHeader(h);
    if (key === '') return;
    const hit = aliasIndex.get(key);
    const field = hit?.field ?? (dateKeys.has(key) || timeKeys.has(key) ? 'timestamp' : undefined);
    if (field) (out[field] ??= []).push(headers[col]);
  });
  return out;
}

/**
 * Columns with the same header as an earlier column that a field is read from: only the first is read (the
 * others go to `extra`), which the user should hear of, as the two may disagree. 1-based column numbers.
 */
export function repeatedColumns(headers: string[], match: Pick<HeaderMatch, 'fields'>): { header: string; read: number; kept: number[] }[] {
  const out: { header: string; read: number; kept: number[] }[] = [];
  match.fields.forEach((field, col) => {
    if (field === null) return;
    const key = normalizeHeader(headers[col]);
    const kept = headers.flatMap((h, i) => (i !== col && match.fields[i] === null && normalizeHeader(h) === key ? [i + 1] : []));
    if (kept.length) out.push({ header: headers[col], read: col + 1, kept });
  });
  return out;
}

export interface HeaderMatch {
  /** Canonical field per column, `null` for a column that goes to `extra`. */
  fields: (CanonicalField | null)[];
  /** Fields built from several columns joined with a space, e.g. timestamp from date + time. */
  combined: Partial<Record<CanonicalField, number[]>>;
  /** Kinds whose required fields are all mapped, in the order terminal, events, settlement. */
  kinds: RecordKind[];
  /** Per kind, the required fields that are not mapped. */
  missing: Record<RecordKind, string[]>;
  /** How many columns mapped onto some field (ranks candidate header lines for error messages). */
  hits: number;
}

/** `terminalGiven`: the run names the one terminal the rows come from (--terminal-id), so no column need. */
export function mapHeader(headers: string[], terminalGiven = false): HeaderMatch {
  const fields: (CanonicalField | null)[] = headers.map(() => null);
  const best = new Map<CanonicalField, { col: number; rank: number }>();
  let dateCol = -1;
  let timeCol = -1;
  headers.forEach((h, col) => {
    const key = normalizeHeader(h);
    if (key === '') return;
    if (dateKeys.has(key) && dateCol < 0) dateCol = col;
    if (timeKeys.has(key) && timeCol < 0) timeCol = col;
    const hit = aliasIndex.get(key);
    if (!hit) return;
    const prev = best.get(hit.field);
    if (!prev || hit.rank < prev.rank) best.set(hit.field, { col, rank: hit.rank });
  });
  const combined: Partial<Record<CanonicalField, number[]>> = {};
  if (!best.has('timestamp')) {
    if (dateCol >= 0 && timeCol >= 0) combined.timestamp = [dateCol, timeCol];
    else if (timeCol >= 0) best.set('timestamp', { col: timeCol, rank: 0 });
    else if (dateCol >= 0) best.set('timestamp', { col: dateCol, rank: 0 });
  }
  for (const [field, { col }] of best) fields[col] = field;
  const has = (f: string): boolean =>
    f.split('|').some((one) => best.has(one as CanonicalField) || combined[one as CanonicalField] !== undefined || (terminalGiven && one === 'terminalId'));
  const missing = {} as Record<RecordKind, string[]>;
  const kinds: RecordKind[] = [];
  for (const kind of Object.keys(REQUIRED) as RecordKind[]) {
    missing[kind] = REQUIRED[kind].filter((f) => !has(f));
    if (missing[kind].length === 0) kinds.push(kind);
  }
  const hits = fields.filter((f) => f !== null).length + (combined.timestamp ? 2 : 0);
  return { fields, combined, kinds, missing, hits };
}
