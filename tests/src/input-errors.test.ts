// Inputs that are not what txlog reads: the message says what the file is and what to do, in one line,
// instead of a header error quoting mojibake.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'txlog-inerr-'));
const HEADER = 'txnId,terminalId,timestamp,status,amount\n';
const CSV = `${HEADER}A1,T1,2026-11-16T10:00:00Z,approved,1.00\nA2,T1,2026-11-16T10:01:00Z,declined,2.00\n`;

async function analyze(file: string, ...flags: string[]) {
  let stdout = '';
  let stderr = '';
  const out = join(tmp(), 'o');
  const code = await main(['analyze', file, '--out', out, '-q', ...flags], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), color: false, env: {} });
  return { code, stdout, stderr, out };
}

function write(name: string, data: string | Buffer): string {
  const path = join(tmp(), name);
  writeFileSync(path, data);
  return path;
}

const oneLine = (stderr: string) => expect(stderr.trimEnd().split('\n')).toHaveLength(1);

describe('files that are not text', () => {
  it('a legacy .xls (OLE2) says so and to save it as .xlsx or CSV', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504, 0x41)]);
    const r = await analyze(write('old.xls', ole));
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/old\.xls is a legacy Excel 97-2003 workbook \(\.xls\), which txlog cannot read: .*save it as \.xlsx or as CSV/);
  });

  it('binary bytes (an image renamed .csv, random bytes) say the file is binary, whatever the bytes', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR'), Buffer.alloc(40, 1)]);
    const r = await analyze(write('img.csv', png));
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/img\.csv is binary, not text \(it starts like a PNG image; \d+ of its first \d+ bytes are control characters\)/);
    // A file of NULs is valid UTF-8 and looks like UTF-16 by its bytes: still binary.
    const zeros = await analyze(write('zeros.csv', Buffer.alloc(600)));
    expect(zeros.stderr).toMatch(/zeros\.csv is binary, not text/);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 512, maxLength: 2048 }), async (bytes) => {
        // Random bytes, with one in eight a control byte at least, as any binary has.
        const b = Buffer.from(bytes.map((x, i) => (i % 8 === 0 ? x % 9 : x)));
        if (b[0] === 0x1f || b[0] === 0x50 || b[0] === 0xd0 || b[0] === 0xef || b[0] === 0xfe || b[0] === 0xff) b[0] = 0x02;
        const g = await analyze(write('g.csv', b));
        expect(g.code).toBe(2);
        expect(g.stderr).toMatch(/g\.csv is binary, not text/);
        expect(g.stderr).not.toContain('\uFFFD');
      }),
      { numRuns: 15 },
    );
  });

  it('text with a stray NUL, UTF-16 with and without a BOM, and colour codes are still text', async () => {
    const nul = await analyze(write('nul.csv', `${HEADER}A1,T1,2026-11-16T10:00:00Z,approved,1.00\nA2,T\u00001,2026-11-16T10:01:00Z,declined,2.00\n`));
    expect(nul.code).toBe(0);
    for (const [name, bytes] of [
      ['le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(CSV, 'utf-16le')])],
      ['be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(CSV, 'utf-16be')])],
      ['nobom.csv', iconv.encode(CSV, 'utf-16le')],
      ['esc.csv', Buffer.from(`txnId,terminalId,timestamp,status,amount,message\n${'A1,T1,2026-11-16T10:00:00Z,declined,1.00,\u001b[31mred\u001b[0m\n'.repeat(3)}`)],
      ['g.csv.gz', gzipSync(CSV)],
    ] as const) {
      const r = await analyze(write(name, bytes));
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(readFileSync(join(r.out, 'report.json'), 'utf8')).totals.accepted, name).toBeGreaterThan(0);
    }
  });
});

describe('text that is read wrongly', () => {
  it('a workbook whose first sheet is a cover names the sheet read and the others, with --sheet', async () => {
    const wb = new ExcelJS.Workbook();
    const cover = wb.addWorksheet('说明');
    cover.addRow(['本文件由系统导出']);
    cover.addRow(['导出日期', '2026-11-17']);
    const data = wb.addWorksheet('交易明细');
    data.addRow(['txnId', 'terminalId', 'timestamp', 'status', 'amount']);
    data.addRow(['A1', 'T1', '2026-11-16T10:00:00Z', 'approved', '1.00']);
    const path = join(tmp(), 'cover.xlsx');
    await wb.xlsx.writeFile(path);
    const r = await analyze(path);
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toContain('This read the first sheet, "说明"; the workbook\'s other sheets: "交易明细". If the data is on one of them, pick it with --sheet NAME (e.g. --sheet "交易明细").');
    expect((await analyze(path, '--sheet', '交易明细')).code).toBe(0);
  });

  it('--encoding gbk on UTF-8 says the forced encoding may be wrong, in the error or as a warning', async () => {
    const zh = write('zh.csv', '终端号,交易时间,金额,交易状态\nT1,2026-11-16 10:00:00,10.00,成功\n');
    const r = await analyze(zh, '--encoding', 'gbk');
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/The file was read as gb18030 \(--encoding\) but its bytes are valid UTF-8: the forced encoding may be wrong; try without --encoding or with --encoding utf-8\.$/m);
    // ASCII header, Chinese text in a value: the rows are read, and the warning says what to check.
    const ok = await analyze(write('v.csv', `${HEADER}A1,终端1,2026-11-16T10:00:00Z,declined,1.00\nA2,T1,2026-11-16T10:00:00Z,approved,1.00\n`), '--encoding', 'gbk');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/it was read as gb18030 \(--encoding\), but its bytes are valid UTF-8; if its text looks garbled, drop --encoding/);
    // A real GBK file forced as gbk: no such warning.
    const gbk = await analyze(write('g.csv', iconv.encode('终端号,交易时间,金额,交易状态\nT1,2026-11-16 10:00:00,10.00,成功\n', 'gbk')), '--encoding', 'gbk', '--tz', 'Asia/Shanghai');
    expect(gbk.code).toBe(0);
    expect(gbk.stderr).not.toMatch(/valid UTF-8/);
  });

  it('a first line longer than the header search says so, not "the input is empty"', async () => {
    const r = await analyze(write('big.csv', 'a'.repeat(70 * 1024)));
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/big\.csv: line 1 is longer than 64 KiB \(no line break in its first 65,536 characters\)/);
    expect(r.stderr).not.toMatch(/empty/);
  });
});

describe('JSON that is neither NDJSON nor an array of records', () => {
  const rec = (i: number, extra = {}) => ({ txnId: `A${i}`, terminalId: 'T1', timestamp: '2026-11-16T10:00:00Z', status: 'declined', amount: '1.00', ...extra });

  it('records pretty-printed one after another (jq . output) say to put one per line', async () => {
    const r = await analyze(write('stream.json', [rec(0), rec(1), rec(2)].map((x) => JSON.stringify(x, null, 2)).join('\n')));
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/stream\.json holds pretty-printed JSON .* Fix: write one record per line \(jq -c \. /);
  });

  it('a pretty-printed object says which shapes are read', async () => {
    const r = await analyze(write('one.json', JSON.stringify(rec(0), null, 2)));
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/one\.json is one JSON object spread over 7 lines, not a list of records; txlog reads NDJSON \(one JSON record per line\) or a JSON array of records/);
  });

  it('an object wrapping one array of records is read as that array, with the lines of the file, and says so once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('data', 'records', 'list'), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.boolean(), async (key, n, meta, pretty) => {
        const body = { ...(meta ? { code: 0 } : {}), [key]: Array.from({ length: n }, (_, i) => rec(i, i === n - 1 ? { timestamp: 'not a time' } : {})), ...(meta ? { total: n } : {}) };
        // Pretty-printed or on one line, as an API returns it.
        const text = pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
        const r = await analyze(write('w.json', text));
        expect(r.code, r.stderr).toBe(n === 1 ? 2 : 0);
        if (n === 1) return; // its one row is rejected: nothing usable
        const report = JSON.parse(readFileSync(join(r.out, 'report.json'), 'utf8'));
        expect(report.totals).toMatchObject({ read: n, accepted: n - 1, rejected: 1 });
        expect(report.inputs[0].warnings.filter((w: string) => w.includes(`the array under "${key}"`))).toHaveLength(1);
        // The reject's line is the line of the bad record's first key in the file as written.
        const reject = JSON.parse(readFileSync(join(r.out, 'rejects.ndjson'), 'utf8').split('\n')[0]);
        const lines = text.split('\n');
        const at = lines.findIndex((l) => l.includes(`"A${n - 1}"`));
        expect(reject.line).toBeGreaterThanOrEqual(at - 1);
        expect(reject.line).toBeLessThanOrEqual(at + 1);
      }),
      { numRuns: 16 },
    );
  });

  it('a record on one line with a list inside stays a record', async () => {
    const r = await analyze(write('one.ndjson', JSON.stringify({ ...rec(0), items: [{ sku: 'a' }, { sku: 'b' }] })));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(r.out, 'report.json'), 'utf8')).totals).toMatchObject({ read: 1, accepted: 1 });
  });

  it('an object with several nested members says to extract the records', async () => {
    const r = await analyze(write('x.json', JSON.stringify({ data: [rec(0)], meta: { page: 1 } }, null, 2)));
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/x\.json is one JSON object with 2 nested members; its records may be the array under "data"; .* Fix: extract the records, e.g\. jq '\.data'/);
  });
});
