// A run's zone and currency agree with what its inputs declare: a WeChat bill read in Asia/Shanghai is
// reported in Asia/Shanghai unless --tz says otherwise; records that name no currency take their profile's;
// amounts of different currencies are never added.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, runDefaults } from '../../src/analyze.js';

const AT = '2026-01-01T00:00:00Z';
const dir = mkdtempSync(path.join(tmpdir(), 'txlog-run-defaults-'));

// Constructed from the documented header (documented_headers.md, comma and backtick variant).
const WECHAT_HEADER = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const wechatRow = (time: string, id: string, status: string, amount: string, currency = 'CNY') =>
  [time, 'wx81be3101902f7cb2', '1601959334', '0', 'POS-7', `42000009252021012849977${id}`, `S${id}`, 'ofyak5qR', 'MICROPAY', status, 'OTHERS', currency, amount, '0.00', '0', '0', '0.00', '0.00', '', '', 'item', '', '0.00000', '1.00%', amount, '0.00', '']
    .map((v) => '`' + v)
    .join(',');
const wechatBill = [
  WECHAT_HEADER,
  wechatRow('2021-01-28 17:07:11', '1', 'SUCCESS', '0.01'),
  wechatRow('2021-01-28 17:20:00', '2', 'PAYERROR', '12.00'),
  wechatRow('2021-01-28 23:30:00', '3', 'PAYERROR', '5.00'),
  '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
  '`3,`17.01,`0.00,`0.00,`0.00000,`17.01,`0.00',
].join('\r\n') + '\r\n';
const wechatFile = path.join(dir, 'wechat-bill.csv');
writeFileSync(wechatFile, wechatBill);

const TABFORMER_HEADER = 'User,Card,Year,Month,Day,Time,Amount,Use Chip,Merchant Name,Merchant City,Merchant State,Zip,MCC,Errors?,Is Fraud?';
const tabformerFile = path.join(dir, 'tabformer.csv');
writeFileSync(tabformerFile, [TABFORMER_HEADER, '0,0,2021,1,28,9:00,$10.00,Swipe Transaction,100,City,CA,91750,5411,,No', '0,0,2021,1,28,9:30,$7.50,Swipe Transaction,100,City,CA,91750,5411,Insufficient Balance,No'].join('\n') + '\n');

describe('zone and currency of a run', () => {
  it('a WeChat bill without --tz: local times, dates and hour groups in Asia/Shanghai', async () => {
    const r = await analyze({ inputs: [wechatFile], out: null, generatedAt: AT });
    expect(r.report.options.tz).toBe('Asia/Shanghai');
    expect(r.report.options.currency).toBe('CNY');
    expect(r.findings.toArray().map((f) => f.timestamp)).toEqual(['2021-01-28T17:20:00+08:00', '2021-01-28T23:30:00+08:00']);
    const hours = r.report.timeline.filter((b) => b.attempts > 0).map((b) => [b.start, b.attempts, b.failures]);
    expect(hours).toEqual([
      ['2021-01-28T17:00:00+08:00', 2, 1],
      ['2021-01-28T23:00:00+08:00', 1, 1],
    ]);
    expect(r.report.warnings.filter((w) => w.includes('--tz'))).toEqual([]);
  });

  it('--tz still decides the report zone; the bill\'s times are still read in Asia/Shanghai', async () => {
    const r = await analyze({ inputs: [wechatFile], out: null, generatedAt: AT, tz: 'UTC' });
    expect(r.report.options.tz).toBe('UTC');
    expect(r.findings.toArray().map((f) => f.timestamp)).toEqual(['2021-01-28T09:20:00+00:00', '2021-01-28T15:30:00+00:00']);
    expect(r.report.timeline.filter((b) => b.attempts > 0).map((b) => b.start)).toEqual(['2021-01-28T09:00:00+00:00', '2021-01-28T15:00:00+00:00']);
  });

  it('TabFormer declares USD and no zone: USD, UTC', async () => {
    const r = await analyze({ inputs: [tabformerFile], out: null, generatedAt: AT });
    expect(r.report.options).toMatchObject({ tz: 'UTC', currency: 'USD' });
    expect(r.findings.toArray().map((f) => [f.currency, f.amount])).toEqual([['USD', '7.50']]);
  });

  it('mixed currencies are kept apart, never added; an input without a zone is read in the profile\'s, with a warning', async () => {
    const r = await analyze({ inputs: [wechatFile, tabformerFile], out: null, generatedAt: AT });
    expect(r.report.options.tz).toBe('Asia/Shanghai');
    // Two profiles, two currencies: no single default; records take their own profile's.
    expect(r.report.options.currency).toBe('CNY');
    expect(r.findings.toArray().map((f) => f.currency).sort()).toEqual(['CNY', 'CNY', 'USD']);
    expect(r.report.summary.failedAmount).toEqual([
      { currency: 'CNY', amount: '17.00' },
      { currency: 'USD', amount: '7.50' },
    ]);
    expect(r.report.warnings.some((w) => w.includes(`${tabformerFile}`) && w.includes('Asia/Shanghai') && w.includes('--tz'))).toBe(true);
    // The TabFormer times (no zone of their own) are read in Asia/Shanghai as the run's zone.
    expect(r.findings.toArray().find((f) => f.currency === 'USD')!.timestamp).toBe('2021-01-28T09:30:00+08:00');
  });

  it('the written outputs show each currency on its own and no total across them', async () => {
    const out = path.join(dir, 'out-mixed');
    await analyze({ inputs: [wechatFile, tabformerFile], out, generatedAt: AT });
    for (const f of ['report.md', 'report.html', 'terminals.csv']) {
      const text = readFileSync(path.join(out, f), 'utf8');
      expect(text, f).not.toMatch(/24\.50|24\.5\b/);
    }
    const md = readFileSync(path.join(out, 'report.md'), 'utf8');
    for (const amount of ['12.00 CNY', '5.00 CNY', '7.50 USD']) expect(md).toContain(amount);
    expect(md).toContain('CNY 3, USD 2');
  });

  it('--currency is the default for records whose profile names none; a profile\'s own currency comes first', async () => {
    const r = await analyze({ inputs: [tabformerFile], out: null, generatedAt: AT, currency: 'EUR' });
    expect(r.report.options.currency).toBe('EUR');
    expect(r.findings.toArray()[0].currency).toBe('USD');
  });
});

describe('runDefaults', () => {
  const p = (name: string, timeZone?: string, currency?: string, profile: string | null = 'x') => ({ name, profile, timeZone, currency });
  it('no profile zone: UTC and CNY', () => {
    const d = runDefaults({}, [p('a.ndjson', undefined, undefined, null)]);
    expect([d.zone.name, d.currency, d.notes]).toEqual(['UTC', 'CNY', []]);
  });
  it('one declared zone is the run\'s; --tz wins', () => {
    expect(runDefaults({}, [p('a', 'Asia/Shanghai', 'CNY'), p('b', 'Asia/Shanghai', 'CNY')]).zone.name).toBe('Asia/Shanghai');
    expect(runDefaults({ tz: 'Europe/Berlin' }, [p('a', 'Asia/Shanghai')]).zone.name).toBe('Europe/Berlin');
  });
  it('different declared zones without --tz: stop, naming each input and the fix', () => {
    expect(() => runDefaults({}, [p('bill.csv', 'Asia/Shanghai', 'CNY', 'wechat-merchant-bill'), p('us.csv', 'America/New_York', 'USD', 'my-us-export')])).toThrow(
      /bill\.csv: Asia\/Shanghai \(profile wechat-merchant-bill\); us\.csv: America\/New_York \(profile my-us-export\).*give --tz/,
    );
    expect(runDefaults({ tz: 'UTC' }, [p('a', 'Asia/Shanghai'), p('b', 'America/New_York')]).zone.name).toBe('UTC');
  });
  it('a Chinese export with times written without an offset, read as UTC for want of --tz: a note says so and how to fix it', () => {
    const src = (encoding: string, head: string) => ({ ...p('export.csv', undefined, undefined, null), source: { encoding, head } });
    const naive = '终端号,交易时间,金额\r\nT1,2026-11-16 10:00:00,12.30\r\n';
    expect(runDefaults({}, [src('gb18030', naive)]).notes.join()).toMatch(/export\.csv were read as UTC.*--tz Asia\/Shanghai/);
    expect(runDefaults({}, [src('utf-8', naive)]).notes).toHaveLength(1);
    // Offsets written, --tz given, or no Chinese: nothing to say of naive times.
    expect(runDefaults({}, [src('gb18030', '终端号,交易时间\r\nT1,2026-11-16T10:00:00+08:00\r\n')]).notes.join()).not.toMatch(/read as UTC/);
    expect(runDefaults({ tz: 'Asia/Shanghai' }, [src('gb18030', naive)]).notes).toEqual([]);
    expect(runDefaults({}, [src('utf-8', 'terminal,time\nT1,2026-11-16 10:00:00\n')]).notes).toEqual([]);
  });
  it('zone: without --tz, times that all carry one offset are read at it; several offsets, or UTC, leave UTC', () => {
    const src = (head: string) => ({ ...p('log.ndjson', undefined, undefined, null), source: { encoding: 'utf-8', head } });
    const at = (...heads: string[]) => runDefaults({}, heads.map(src));
    expect(at('{"timestamp":"2026-11-16T10:00:00+08:00"}\n{"timestamp":"2026-11-16T11:00:00+08:00"}').zone.name).toBe('Etc/GMT-8');
    expect(at('{"timestamp":"2026-11-16T10:00:00+08:00"}').notes.join()).toMatch(/carries the offset \+08:00.*give --tz/);
    expect(at('t,2026-11-16 10:00:00-0500').zone.name).toBe('Etc/GMT+5');
    expect(at('{"timestamp":"2026-11-16T10:00:00+05:30"}').zone.name).toBe('Asia/Kolkata');
    expect(at('{"timestamp":"2026-11-16T10:00:00+08:00"}', '{"timestamp":"2026-11-16T10:00:00+01:00"}').zone.name).toBe('UTC');
    expect(at('{"timestamp":"2026-11-16T10:00:00Z"}').zone.name).toBe('UTC');
    expect(runDefaults({ tz: 'Asia/Shanghai' }, [src('{"timestamp":"2026-11-16T10:00:00+01:00"}')]).zone.name).toBe('Asia/Shanghai');
  });
  it('currency: --currency, else the one every input declares, else CNY', () => {
    expect(runDefaults({ currency: 'hkd' }, [p('a', undefined, 'USD')]).currency).toBe('HKD');
    expect(runDefaults({}, [p('a', undefined, 'USD'), p('b', undefined, 'USD')]).currency).toBe('USD');
    expect(runDefaults({}, [p('a', undefined, 'USD'), p('b', undefined, undefined, null)]).currency).toBe('CNY');
  });
});
