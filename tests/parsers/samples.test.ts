// Real exports written by others (../shared/samples, see its README): each must map with no flags.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { csvParser } from '../../parsers/csv.js';
import type { MappedInfo } from '../../parsers/mapping.js';
import { runCoreSync } from '../../parsers/run.js';
import type { ParseInfo, RawRow, RowProblem, RowSkip } from '../../parsers/types.js';
import { chunks } from '../helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sample = (name: string): string => path.resolve(repoRoot, '../shared/samples', name);

async function read(text: string, mapping?: string) {
  const info: ParseInfo & Partial<MappedInfo> = { format: 'csv', profile: null, skippedLines: 0 };
  const rows: RawRow[] = [];
  const problems: RowProblem[] = [];
  const skips: RowSkip[] = [];
  const core = await csvParser.open({ name: 'sample', mapping }, info);
  for (const item of runCoreSync(core, chunks(text, 4093))) {
    if (item.row) rows.push(item.row);
    else if (item.problem) problems.push(item.problem);
    else skips.push(item.skip);
  }
  return { info, rows, problems, skips };
}

function expectCore(rows: RawRow[]): void {
  for (const r of rows) {
    for (const f of ['txnId', 'terminalId', 'timestamp', 'amount', 'status']) {
      expect(typeof r.fields[f], `line ${r.line} ${f}`).toBe('string');
      expect(r.fields[f], `line ${r.line} ${f}`).not.toBe('');
    }
  }
}

describe('real samples', () => {
  it('WeChat Pay merchant bill (TSV, CRLF): 1,269 rows, the 2-line summary footer skipped as footer', async () => {
    const { info, rows, problems, skips } = await read(readFileSync(sample('wechatpay_sandbox_download_bill.tsv'), 'utf8'));
    expect(info.format).toBe('tsv');
    expect(info.profile).toBe('wechat-merchant-bill');
    expect(info.skippedLines).toBe(0);
    expect(info.timeZone).toBe('Asia/Shanghai');
    expect(rows).toHaveLength(1269);
    expect(problems).toEqual([]);
    expect(skips.map((p) => [p.line, p.reason])).toEqual([
      [1271, 'summary/footer row, not a transaction'],
      [1272, 'summary/footer row, not a transaction'],
    ]);
    expectCore(rows);
    expect(rows[0]).toMatchObject({
      line: 2,
      // A refund whose 退款状态 is still PROCESSING: not approved (parsers/profiles/statuses.json).
      fields: { timestamp: '2016/5/4 2:18', terminalId: 'harryma007', status: 'unknown', type: 'refund', amount: '0.01', currency: 'CNY' },
    });
    expect(rows[0].fields.txnId).toBe('REF4001232001201605015390231647');
    const statuses = new Set(rows.map((r) => r.fields.status));
    expect([...statuses].sort()).toEqual(['approved', 'unknown']);
    expect(rows.filter((r) => r.fields.status === 'unknown' && r.fields.type === 'refund')).toHaveLength(45);
    expect(rows.filter((r) => r.fields.type === 'refund')).toHaveLength(517);
    expect(rows.filter((r) => r.fields.terminalId === 'NO-DEVICE')).toHaveLength(413);
    const sale = rows.find((r) => r.fields.type === undefined)!;
    expect(sale.fields.extra).toMatchObject({ 交易类型: expect.any(String), 公众账号ID: 'wxf7c30a8258df4208' });
    expect(rows.at(-1)!.line).toBe(1270);
  }, 30_000);

  it('TabFormer (IBM synthetic): 19,963 rows, timestamp from four columns, status from Errors?', async () => {
    const { info, rows, problems } = await read(readFileSync(sample('tabformer_User0_credit_card_transactions.csv'), 'utf8'));
    expect(info.profile).toBe('tabformer');
    expect(info.format).toBe('csv');
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(19963);
    expectCore(rows);
    expect(rows[0]).toMatchObject({
      line: 2,
      fields: {
        txnId: 'L2',
        terminalId: '3.52721E+18',
        timestamp: '2002-9-1 6:21',
        amount: '134.09',
        status: 'approved',
        entryMode: 'swipe',
        currency: 'USD',
        extra: { 'Merchant City': 'La Verne', MCC: '5300', 'Is Fraud?': 'No' },
      },
    });
    const count = (pred: (r: RawRow) => boolean) => rows.filter(pred).length;
    expect(count((r) => r.fields.status === 'failed')).toBe(46);
    expect(count((r) => r.fields.status === 'declined')).toBe(469 + 42 + 9 + 4 + 2 + 2);
    const both = rows.find((r) => r.fields.message === 'Bad PIN,Technical Glitch')!;
    expect(both.fields.status).toBe('declined');
    expect(new Set(rows.map((r) => r.fields.entryMode))).toEqual(new Set(['swipe', 'chip', 'manual']));
    expect(rows.find((r) => String(r.fields.amount).startsWith('-'))!.fields.type).toBe('refund');
  }, 60_000);

  it('Alipay personal bill (GBK): 24 preamble lines skipped, 10 rows, statuses mapped', async () => {
    const text = iconv.decode(readFileSync(sample('deb-sig_example-alipay-records.csv')), 'gb18030');
    const { info, rows, problems } = await read(text);
    expect(info.profile).toBe('alipay-personal');
    expect(info.skippedLines).toBe(24);
    expect(info.headers?.[0]).toBe('交易时间');
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(10);
    expectCore(rows);
    expect(rows[0]).toMatchObject({
      line: 26,
      fields: { timestamp: '2023-02-12 21:32:14', terminalId: 'xxxxxxxxxxxx', amount: '49.74', status: 'approved', txnId: '202302xxxxxx0011000103xxxxxx' },
    });
    expect(rows.map((r) => r.fields.status)).toEqual([
      // 交易关闭 stays as written here: ingest counts those rows as skipped, not attempts (statuses.json).
      'approved', 'approved', 'approved', 'approved', 'approved', '交易关闭', 'approved', '交易关闭', 'approved', 'approved',
    ]);
    expect(rows[2].fields.type).toBe('refund');
    expect(rows[0].fields.extra).toMatchObject({ 交易分类: '亲友代付', 商家订单号: '20230xxxxxxx014741014xxxxxx' });
  });

  it('WeChat Pay personal bill: 16 preamble lines skipped, 27 rows, quoted-and-padded ids cleaned', async () => {
    const { info, rows, problems } = await read(readFileSync(sample('deb-sig_example-wechat-records.csv'), 'utf8'));
    expect(info.profile).toBe('wechat-personal');
    expect(info.skippedLines).toBe(16);
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(27);
    expectCore(rows);
    expect(rows[0]).toMatchObject({
      line: 18,
      fields: { txnId: '3985734', amount: '¥28.16', status: 'approved', terminalId: '云膳过桥米线(传奇广场店)' },
    });
    expect(rows[0].fields.extra).toMatchObject({ 商户单号: '129847129' });
    expect(rows.filter((r) => r.fields.terminalId === 'NO-COUNTERPARTY')).toHaveLength(4);
    // An unquoted field holding quotes survives (relax_quotes).
    const pdd = rows.find((r) => r.line === 37)!;
    expect(pdd.fields.terminalId).toBe('打开拼多多，点击底部"多多视频"');
    // "/" means nothing in these exports (nullValues): not kept in extra.
    expect(pdd.fields.extra).toEqual({ 交易类型: '商户消费', '收/支': '收入', 商户单号: '10101265586742107189275763431048' });
  });
});
