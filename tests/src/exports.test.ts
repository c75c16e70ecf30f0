// Exports written the way portals and Excel write them: each shape is read in full with no flags, or
// stops with one message naming what is ambiguous and the exact fix. Fixtures are made here, small.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { inspect, InspectResult, renderInspect } from '../../src/inspect.js';
import { validate } from '../../src/validate.js';

// Offset-less times are read in --tz, never the host zone.
process.env.TZ = 'America/New_York';

const dir = mkdtempSync(join(tmpdir(), 'txlog-exports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, body: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};

const HOURS = ['08:00:00', '09:30:00', '21:15:00'];
const EU = file(
  'eu.csv',
  'Terminal;Datum;Betrag;Status\n' +
    ['T1;03.03.2025 08:00:00;149,00;approved', 'T1;04.03.2025 09:30:00;1.234,56;declined', 'T2;13.03.2025 21:15:00;2,50;approved'].join('\n') + '\n',
);
const US = file(
  'us.csv',
  'terminal id,transaction time,amount,status\nT1,3/4/2025 9:00 PM,12.00,approved\nT1,"Mar 4, 2025 9:00 AM",3.00,approved\nT2,3/14/2025 9:00 AM,"1,234.50",approved\n',
);
const CJK = file('cjk.csv', '终端号,交易时间,交易金额,交易状态\nT1,2025年3月4日 09:00:00,12.00,成功\nT2,2025年3月4日 下午9:05,3.50,失败\n');
const EPOCH_S = file('epoch-s.csv', 'terminalId,timestamp,amount,status\nT1,1741078800,1.00,approved\nT2,1741082400,2.00,approved\n');
const EPOCH_MS = file('epoch-ms.csv', 'terminalId,timestamp,amount,status\nT1,1741078800000,1.00,approved\nT2,1741082400123,2.00,approved\n');
const GBK = file(
  'gbk.csv',
  iconv.encode(
    '商户交易明细表\n导出日期：2025-03-05\n\n终端号,交易时间,交易金额,交易状态\nT1,2025-03-04 09:00:00,12.00,成功\nT2,2025-03-04 10:00:00,8.00,失败\n合计,,20.00,\n共2笔\n',
    'gbk',
  ),
);
const AMBIGUOUS = file('ambiguous.csv', 'Terminal;Datum;Betrag;Status\nT1;03.03.2025 08:00:00;149,00;approved\nT1;04.03.2025 09:00:00;1,00;approved\n');

async function workbook(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Notes').addRow(['not this sheet']);
  const ws = wb.addWorksheet('Transactions');
  ws.addRow(['Terminal ID', 'Transaction Time', 'Amount', 'Status']);
  ws.addRow(['T1', new Date(Date.UTC(2025, 2, 4, 9, 0, 0)), 149, 'approved']);
  ws.addRow(['T1', 45720.5, 12.5, 'declined']);
  ws.addRow(['T2', '2025-03-04 10:00:00', '1,234.56', 'approved']);
  ws.getCell('B2').numFmt = 'yyyy-mm-dd hh:mm';
  const p = join(dir, 'export.xlsx');
  await wb.xlsx.writeFile(p);
  return p;
}

const one = async (path: string, options = {}) => (await inspect([path], options)).files[0];
const tsOf = (f: InspectResult['files'][number]) => f.preview.map((p) => p.fields.timestamp);

describe('exports as portals and Excel write them, read with no flags', () => {
  it('semicolons, day-first dates and decimal commas', async () => {
    const f = await one(EU, { tz: 'Europe/Berlin' });
    expect(f.problem).toBeNull();
    expect(f.counts).toEqual({ read: 3, accepted: 3, rejected: 0, skipped: 0 });
    expect(f.delimiter).toBe(';');
    expect(f.dates.timestamp).toMatchObject({ format: 'dd.MM.yyyy HH:mm:ss', order: 'dmy' });
    expect(f.decimal.mark).toBe(',');
    expect(tsOf(f)).toEqual(['2025-03-03T08:00:00+01:00', '2025-03-04T09:30:00+01:00', '2025-03-13T21:15:00+01:00']);
    expect(f.preview.map((p) => p.fields.amount)).toEqual(['149.00', '1234.56', '2.50']);
    expect(HOURS.length).toBe(3);
  });

  it('US 12-hour dates and month names', async () => {
    const f = await one(US);
    expect(f.counts.rejected).toBe(0);
    expect(f.dates.timestamp?.order).toBe('mdy');
    expect(tsOf(f)).toEqual(['2025-03-04T21:00:00+00:00', '2025-03-04T09:00:00+00:00', '2025-03-14T09:00:00+00:00']);
    expect(f.preview[2].fields.amount).toBe('1234.50');
  });

  it('CJK dates, with 下午', async () => {
    const f = await one(CJK, { tz: 'Asia/Shanghai' });
    expect(f.counts).toMatchObject({ read: 2, accepted: 2, rejected: 0 });
    expect(tsOf(f)).toEqual(['2025-03-04T09:00:00+08:00', '2025-03-04T21:05:00+08:00']);
  });

  it('epoch seconds and milliseconds, told by their digits', async () => {
    const s = await one(EPOCH_S);
    const ms = await one(EPOCH_MS);
    expect(tsOf(s)).toEqual(['2025-03-04T09:00:00+00:00', '2025-03-04T10:00:00+00:00']);
    expect(tsOf(ms)).toEqual(['2025-03-04T09:00:00+00:00', '2025-03-04T10:00:00.123+00:00']);
    expect(s.dates.timestamp?.format).toContain('epoch seconds');
    expect(ms.dates.timestamp?.format).toContain('epoch milliseconds');
  });

  it('an .xlsx workbook: the chosen sheet through the CSV path, date cells and serials in --tz', async () => {
    const p = await workbook();
    const f = await one(p, { tz: 'Asia/Shanghai', sheet: 'Transactions' });
    expect(f.workbook).toBe(true);
    expect(f.counts).toEqual({ read: 3, accepted: 3, rejected: 0, skipped: 0 });
    expect(tsOf(f)).toEqual(['2025-03-04T09:00:00+08:00', '2025-03-04T12:00:00+08:00', '2025-03-04T10:00:00+08:00']);
    expect(f.preview.map((r) => r.fields.amount)).toEqual(['149.00', '12.50', '1234.56']);
    // The first sheet by default; a missing sheet names the ones there are.
    expect((await one(p)).problem?.code).toBe('CSV_NO_HEADER');
    await expect(inspect([p], { sheet: 'Nope' })).rejects.toThrow(/its sheets: 1 "Notes", 2 "Transactions"/);
  });

  it('GBK with a title preamble and a 合计 / 共N笔 footer: skipped with their lines, not rejected', async () => {
    const f = await one(GBK, { tz: 'Asia/Shanghai' });
    expect(f.encoding).toBe('gb18030');
    expect(f.counts).toEqual({ read: 6, accepted: 2, rejected: 0, skipped: 4 });
    expect(f.preamble.map((l) => l.line)).toEqual([1, 2]);
    expect(f.footer.map((l) => [l.line, l.text])).toEqual([[7, '合计,,20.00,'], [8, '共2笔']]);
    const totals = await validate({ inputs: [GBK], tz: 'Asia/Shanghai' }, () => {});
    expect(totals).toEqual({ files: 1, read: 6, accepted: 2, rejected: 0, skipped: 4 });
  });

  it('every date ambiguous: one message naming the column and both fixes, and a skeleton that works', async () => {
    const f = await one(AMBIGUOUS);
    expect(f.problem?.code).toBe('DATE_AMBIGUOUS');
    expect(f.problem?.message).toMatch(/column "Datum".*"dateFormat": "dd\.MM\.yyyy HH:mm:ss".*"dateFormat": "MM\.dd\.yyyy HH:mm:ss"/);
    expect(f.header).toEqual(['Terminal', 'Datum', 'Betrag', 'Status']);
    expect(f.command).toContain('--mapping mapping.json');
    const mapping = file('mapping.json', JSON.stringify(f.mappingSkeleton));
    await expect(validate({ inputs: [AMBIGUOUS] }, () => {})).rejects.toThrow(/can be read day first or month first/);
    expect(await validate({ inputs: [AMBIGUOUS], mapping }, () => {})).toMatchObject({ read: 2, accepted: 2, rejected: 0 });
    const fixed = await one(AMBIGUOUS, { mapping });
    expect(tsOf(fixed)).toEqual(['2025-03-03T08:00:00+00:00', '2025-03-04T09:00:00+00:00']);
  });

  it('the result is its own schema, and the text names what was decided', async () => {
    const r = await inspect([EU, US]);
    expect(InspectResult.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
    const text = renderInspect(r);
    expect(text).toContain('dd.MM.yyyy HH:mm:ss (day first: "13.03.2025 21:15:00" on line 4 has a first part above 12)');
    expect(text).toContain('decimal    "," ("149,00" on line 2 has a decimal comma)');
    expect(text).toContain('run        txlog analyze');
  });

  it('a file that cannot be read at all is an error (exit 2), not a result', async () => {
    await expect(inspect([join(dir, 'missing.csv')])).rejects.toMatchObject({ exitCode: 2 });
    const zip = file('other.zip', Buffer.from('PK\x03\x04not a workbook'));
    await expect(inspect([zip])).rejects.toThrow(/zip archive but not an \.xlsx workbook/);
  });
});

const SAMPLES = join(import.meta.dirname, '../../../shared/samples');
const hasSamples = existsSync(SAMPLES);
if (!hasSamples) console.warn(`tests/src/exports.test.ts: ${SAMPLES} is absent; the real-sample inspect checks are skipped`);

describe.skipIf(!hasSamples)('inspect on the real samples', () => {
  const names = hasSamples ? readdirSync(SAMPLES).filter((n) => /\.(csv|tsv|log)$/.test(n)) : [];
  it.each(names)('%s: every data row read, nothing undecided', async (name) => {
    const f = await one(join(SAMPLES, name));
    expect(f.problem).toBeNull();
    expect(f.counts.rejected).toBe(0);
    expect(f.counts.read).toBe(f.counts.accepted + f.counts.rejected + f.counts.skipped);
    expect(f.preview.length).toBeGreaterThan(0);
  });
});
