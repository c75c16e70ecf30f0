// The status vocabulary (parsers/profiles/statuses.json): every documented status of every export maps to
// a canonical status or to "not an attempt", through the real profile mapper or the normalizer, and no
// pending, processing or closed state is ever read as approved.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { builtinProfiles, compileProfile, type RowMapper } from '../../parsers/mapping.js';
import { STATUS_GROUPS, skipReason, type StatusGroup, type StatusTerm } from '../../parsers/profiles/statuses.js';
import { analyze } from '../../src/analyze.js';
import { makeNormalizer } from '../../src/normalize.js';
import { CardKeys } from '../../src/pan.js';
import { Zone } from '../../src/time.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/samples');
const DOC = path.join(samples, 'documented_headers.md');

// Header lines as the exports write them (documented_headers.md, the samples' own header rows).
const HEADERS: Record<string, string[]> = {
  'wechat-merchant-bill': '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注'.split(','),
  'alipay-personal': '交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注'.split(','),
  'wechat-personal': '交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注'.split(','),
  tabformer: 'User,Card,Year,Month,Day,Time,Amount,Use Chip,Merchant Name,Merchant City,Merchant State,Zip,MCC,Errors?,Is Fraud?'.split(','),
};
const ROW: Record<string, Record<string, string>> = {
  'wechat-merchant-bill': { 交易时间: '2021-01-28 17:07:11', 设备号: 'POS1', 商户号: '1601959334', 商户订单号: 'S1', 商户退款单号: 'R1', 订单金额: '0.01', 申请退款金额: '0.01', 货币种类: 'CNY' },
  'alipay-personal': { 交易时间: '2023-02-12 21:32:14', 交易对方: 'shop', 交易订单号: 'A1', 金额: '49.74', 交易分类: '日用百货' },
  'wechat-personal': { 交易时间: '2019-09-26 12:45:27', 交易对方: 'shop', 交易单号: 'W1', '金额(元)': '¥28.16', 交易类型: '商户消费' },
  tabformer: { User: '0', Card: '0', Year: '2002', Month: '9', Day: '1', Time: '6:21', Amount: '$134.09', 'Use Chip': 'Swipe Transaction', 'Merchant Name': 'M1' },
};
/** A value a pattern term stands for, as the export writes it. */
const EXAMPLE: Record<string, string> = { '已退款(￥…)': '已退款(￥1.50)' };

const normalizer = makeNormalizer({ zone: new Zone('Asia/Shanghai'), currency: 'CNY', cards: new CardKeys('test-key') });
const src = { file: 'f', line: 2 };

const mappers = new Map<string, RowMapper>();
function mapperOf(profile: string): RowMapper {
  let m = mappers.get(profile);
  if (!m) {
    const p = builtinProfiles().find((x) => x.name === profile)!;
    const compiled = compileProfile(p, HEADERS[profile]);
    if (!('map' in compiled)) throw new Error(`${profile}: headers lack ${compiled.absent.join(', ')}`);
    mappers.set(profile, (m = compiled));
  }
  return m;
}

/** What a status term becomes: a canonical status, or "skip: <reason>". */
function read(g: StatusGroup, t: StatusTerm): string {
  const value = EXAMPLE[t.value] ?? t.value;
  if (g.profile !== undefined) {
    const headers = HEADERS[g.profile];
    const cells = headers.map((h) => ({ ...ROW[g.profile!], ...(g.if ?? {}), [g.column]: value })[h] ?? '');
    const fields = mapperOf(g.profile).map(cells, 2);
    const skip = skipReason('terminal', g.profile, fields.status);
    if (skip) return `skip: ${skip}`;
    const txn = normalizer.txn(fields, src, true);
    if (typeof txn === 'string') return `reject: ${txn}`;
    return txn.status;
  }
  const skip = skipReason(g.kind, null, value);
  if (skip) return `skip: ${skip}`;
  if (g.kind === 'settlement') {
    const s = normalizer.settlement({ txnId: 't1', terminalId: 'T1', settlementDate: '2026-11-20', amount: '1.00', status: value }, src);
    return typeof s === 'string' ? `reject: ${s}` : s.status;
  }
  const txn = normalizer.txn({ txnId: 't1', terminalId: 'T1', timestamp: '2026-11-20 10:00:00', amount: '1.00', status: value }, src, false);
  return typeof txn === 'string' ? `reject: ${txn}` : txn.status;
}

const cases = STATUS_GROUPS.flatMap((g) => g.terms.map((t) => [`${g.profile ?? g.export}: ${t.value}`, g, t] as const));

describe('status vocabulary', () => {
  it.each(cases)('%s reads as the table says', (_name, g, t) => {
    const got = read(g, t);
    if (t.status === 'skip') expect(got).toMatch(/^skip: status ".+" is not a payment attempt: /);
    else expect(got).toBe(t.status);
  });

  it('every group names its source and every term its meaning', () => {
    for (const g of STATUS_GROUPS) {
      expect(g.source.length, g.export).toBeGreaterThan(10);
      for (const t of g.terms) expect(t.meaning.length, `${g.export} ${t.value}`).toBeGreaterThan(1);
    }
  });

  // In progress, never paid, closed without payment: none of these is an approval, in any export.
  const NOT_APPROVED = ['PROCESSING', '退款中', '处理中', '待支付', '支付中', 'USERPAYING', 'NOTPAY', 'CLOSED', 'TRADE_CLOSED', 'WAIT_BUYER_PAY', '交易关闭', '等待买家付款', 'PAYERROR', 'REVOKED', 'OPEN', 'PENDING', 'INITIATED', 'requires_payment_method'];
  it.each(NOT_APPROVED)('%s is not approved wherever it is listed', (value) => {
    const listed = cases.filter(([, , t]) => t.value === value);
    expect(listed.length, `${value} is in the table`).toBeGreaterThan(0);
    for (const [name, g, t] of listed) expect(read(g, t), name).not.toBe('approved');
  });

  it('a WeChat refund still PROCESSING is unknown, a refunded one approved, a SUCCESS sale approved', () => {
    const g = STATUS_GROUPS.find((x) => x.profile === 'wechat-merchant-bill' && x.column === '退款状态')!;
    expect(read(g, g.terms.find((t) => t.value === 'PROCESSING')!)).toBe('unknown');
    expect(read(g, g.terms.find((t) => t.value === 'SUCCESS')!)).toBe('approved');
  });
});

// Statuses quoted in documented_headers.md, by the export that writes them (mapped through its profile
// when txlog has one, else generically).
const DOCUMENTED: { export: string; profile?: string; column?: string; values: string[]; line: RegExp }[] = [
  { export: 'WeChat Pay merchant bill 交易状态', profile: 'wechat-merchant-bill', column: '交易状态', values: ['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR'], line: /^(交易状态 seen|\(Other values in WeChat)/ },
  { export: 'WeChat Pay merchant bill 退款状态', profile: 'wechat-merchant-bill', column: '退款状态', values: ['SUCCESS', 'PROCESSING', 'REFUNDCLOSE', 'CHANGE'], line: /^(交易状态 seen|\(Other values in WeChat)/ },
  { export: 'Toast', values: ['OPEN', 'PROCESSING', 'AUTHORIZED_AT_RISK', 'AUTHORIZED', 'ERROR', 'ERROR_NETWORK', 'DENIED', 'PROCESSING_VOID', 'VOIDED_AT_RISK', 'CANCELLED', 'CAPTURE_IN_PROGRESS', 'CAPTURED', 'VOIDED'], line: /^Toast `Payment\.paymentStatus`/ },
  { export: 'Clover', values: ['SUCCESS', 'FAIL', 'INITIATED', 'VOIDED', 'VOIDING', 'VOID_FAILED', 'AUTH', 'AUTH_COMPLETED', 'DISCOUNT', 'OFFLINE_RETRYING', 'PENDING'], line: /^Clover `Payment\.result`/ },
  { export: 'SumUp', values: ['PENDING', 'SUCCESSFUL', 'CANCELLED', 'FAILED', 'REFUNDED'], line: /^SumUp transaction `status`/ },
  { export: 'Stripe', values: ['Paid', 'Failed', 'requires_payment_method'], line: /`Status` \(Paid/ },
  { export: 'Shouqianba', values: ['PAID'], line: /order_status \(e\.g\. PAID\)/ },
];
const ADYEN_TYPES = ['Settled', 'MerchantPayout', 'BPPaidOut'];

/** The table's reading of a documented value: through its profile group, or any generic group of the kind. */
function documentedReading(d: (typeof DOCUMENTED)[number], value: string): string | undefined {
  for (const g of STATUS_GROUPS) {
    if (d.profile !== undefined ? g.profile !== d.profile || g.column !== d.column : g.profile !== undefined || g.kind !== 'terminal') continue;
    const t = g.terms.find((x) => x.value === value);
    if (t) return read(g, t);
  }
  return d.profile === undefined ? read({ export: '?', kind: 'terminal', column: 'status', source: '?', terms: [] }, { value, status: '?', meaning: '?', seen: 'api' }) : undefined;
}

describe('every status quoted in documented_headers.md maps to something', () => {
  it.each(DOCUMENTED.map((d) => [d.export, d] as const))('%s', (_name, d) => {
    for (const v of d.values) {
      const got = documentedReading(d, v);
      expect(got, `${d.export} ${v}`).toBeDefined();
      expect(got!, `${d.export} ${v}`).not.toMatch(/^reject/);
      // Listed in the table with its meaning and source, not passed through to a synonym by chance.
      const listed = STATUS_GROUPS.some((g) => (d.profile === undefined ? g.profile === undefined : g.profile === d.profile) && g.terms.some((t) => t.value === v));
      expect(listed, `${d.export} ${v} listed in statuses.json`).toBe(true);
    }
  });

  it('Adyen settlement Type values', () => {
    const g = STATUS_GROUPS.find((x) => x.kind === 'settlement')!;
    expect(ADYEN_TYPES.map((v) => read(g, g.terms.find((t) => t.value === v)!).replace(/:.*/, ''))).toEqual(['settled', 'skip', 'skip']);
  });

  const haveDoc = existsSync(DOC);
  if (!haveDoc) console.warn(`skipping the check against the document itself: ${DOC} is absent`);
  it.skipIf(!haveDoc)('the lists above are the document\'s own: every enumerated value of its status lines is covered', () => {
    const lines = readFileSync(DOC, 'utf8').split('\n').map((l) => l.trim());
    for (const d of DOCUMENTED) {
      // A status line may wrap onto the next one ("... CANCELLED,\nPROCESSING_VOID, ...").
      const found = lines.flatMap((l, i) => (d.line.test(l) ? [l, /^[A-Z][A-Z_]+,/.test(lines[i + 1] ?? '') ? lines[i + 1] : ''] : []));
      expect(found.length, `${d.export}: its line in documented_headers.md`).toBeGreaterThan(0);
      const text = found.join(' ');
      for (const v of d.values) expect(text, `${d.export} ${v}`).toContain(v);
      if (d.profile === undefined && d.export !== 'Stripe' && d.export !== 'Shouqianba') {
        // Every upper-case enum word after the colon is one we list (other fields' enums after theirs, such as
        // Toast's cardEntryMode or Clover's voidReason, and SumUp's event types are not statuses).
        const words = text.replace(/^[^:]*:/, '').replace(/`[^`]*`:.*$/, '').replace(/\(\+ events.*$/, '').match(/\b[A-Z][A-Z_]{2,}\b/g) ?? [];
        for (const w of words) expect(d.values, `${d.export}: ${w} in the document`).toContain(w);
      }
    }
    const adyen = lines.find((l) => l.startsWith('Type values seen'))!;
    for (const v of ADYEN_TYPES) expect(adyen).toContain(v);
  });
});

describe('closed and pending states end to end', () => {
  it('an Alipay closed trade is skipped with its meaning, not a terminated attempt (constructed from the documented header)', async () => {
    const header = HEADERS['alipay-personal'].join(',');
    const lines = [
      header,
      '2023-01-10 13:10:16,日用百货,shopA,/,item,不计收支,82.00,,交易关闭,A1,B1,',
      '2023-01-09 18:21:50,交通出行,shopB,/,一卡通充值,支出,50.00,余额宝,交易关闭,A2,B2,',
      '2023-01-09 18:22:28,退款,shopB,/,退款-一卡通充值,不计收支,50.00,余额宝,退款成功,A2_R,B2,',
      '2023-01-08 10:00:00,日用百货,shopA,/,item,支出,9.90,余额,交易成功,A3,B3,',
      '2023-01-08 11:00:00,日用百货,shopA,/,item,支出,9.90,余额,等待买家付款,A4,B4,',
      '2023-01-08 12:00:00,日用百货,shopA,/,item,支出,9.90,余额,退款中,A5,B5,',
    ];
    const dir = mkdtempSync(path.join(tmpdir(), 'txlog-statuses-'));
    const file = path.join(dir, 'alipay.csv');
    writeFileSync(file, iconv.encode(lines.join('\r\n') + '\r\n', 'gb18030'));
    const r = await analyze({ inputs: [file], out: null, generatedAt: '2026-01-01T00:00:00Z' });
    const input = r.report.inputs[0];
    expect(input.profile).toBe('alipay-personal');
    expect(input.rejected).toBe(0);
    expect(input.skipped).toBe(3);
    expect(input.skips.map((s) => s.line)).toEqual([2, 3, 6]);
    expect(input.skips[0].reason).toMatch(/^status "交易关闭" is not a payment attempt: trade closed/);
    // The refund in progress is the one finding: an outcome not known yet, never an approval or a close.
    expect(r.findings.toArray().map((f) => [f.txnId, f.outcome])).toEqual([['A5', 'unknown_outcome']]);
  });

  const alipay = path.join(samples, 'deb-sig_example-alipay-records.csv');
  const wechat = path.join(samples, 'wechatpay_sandbox_download_bill.tsv');
  const have = existsSync(alipay) && existsSync(wechat);
  if (!have) console.warn(`skipping the sample bills' status counts: ${alipay} or ${wechat} is absent`);
  it.skipIf(!have)('samples: Alipay 交易关闭 rows skipped (no failure), WeChat PROCESSING refunds not approved', async () => {
    const a = await analyze({ inputs: [alipay], out: null, generatedAt: '2026-01-01T00:00:00Z' });
    expect(a.report.inputs[0]).toMatchObject({ read: 32, accepted: 8, rejected: 0, skipped: 24 });
    expect(a.report.inputs[0].skippedBy).toMatchObject({ [skipReason('terminal', 'alipay-personal', '交易关闭')!]: 2 });
    expect(a.findings.toArray()).toEqual([]);
    const w = await analyze({ inputs: [wechat], out: null, generatedAt: '2026-01-01T00:00:00Z' });
    expect(w.report.inputs[0].rejected).toBe(0);
    const pending = w.findings.toArray().filter((f) => f.outcome === 'unknown_outcome');
    expect(pending).toHaveLength(45);
    expect(pending.every((f) => f.type === 'refund')).toBe(true);
    expect(w.findings).toHaveLength(45);
  }, 60_000);
});
