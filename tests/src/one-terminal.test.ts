// A merchant's export of one terminal often has no terminal column: --terminal-id names the terminal, and the
// export reads as the same export with that terminal in a column would (same rows, same causes).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'txlog-oneterm-'));

async function analyze(file: string, ...flags: string[]) {
  let stderr = '';
  const out = join(tmp(), 'o');
  const code = await main(['analyze', file, '--out', out, '-q', '--tz', 'Asia/Shanghai', '--generated-at', '2026-11-20T00:00:00Z', ...flags], { stdout: () => {}, stderr: (s) => void (stderr += s), color: false, env: {} });
  return { code, stderr, out };
}

const STATUSES: [string, string, string][] = [
  ['交易成功', '00', ''],
  ['交易失败', '51', '余额不足'],
  ['交易失败', '55', '密码错误'],
  ['交易失败', '', '发卡行拒绝交易'],
  ['交易失败', '96', ''],
  ['交易失败', '', '读卡器故障'],
];

/** A GBK export as Excel writes it (CRLF), with or without its terminal column. */
function exportOf(rows: number[], terminal: string | null): Buffer {
  const head = ['交易单号', ...(terminal === null ? [] : ['终端号']), '交易时间', '交易金额', '交易状态', '应答码', '失败原因'];
  const lines = rows.map((s, i) => {
    const [status, code, message] = STATUSES[s];
    const minute = String(i % 60).padStart(2, '0');
    return [`TX${1000 + i}`, ...(terminal === null ? [] : [terminal]), `2026/11/16 10:${minute}`, `${(10 + i).toFixed(2)}`, status, code, message].join(',');
  });
  return iconv.encode([head.join(','), ...lines].join('\r\n') + '\r\n', 'gbk');
}

const findings = (out: string) => readFileSync(join(out, 'findings.ndjson'), 'utf8');

describe('an export of one terminal with no terminal column', () => {
  it('reads as the same export with the terminal in a column, given --terminal-id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: STATUSES.length - 1 }), { minLength: 3, maxLength: 40 }), fc.constantFrom('POS-1', '88000001', '0012'), async (rows, id) => {
        const dir = tmp();
        const withColumn = join(dir, 'with.csv');
        const without = join(dir, 'without.csv');
        writeFileSync(withColumn, exportOf(rows, id));
        writeFileSync(without, exportOf(rows, null));
        const a = await analyze(withColumn);
        const b = await analyze(without, '--terminal-id', id);
        expect(b.code, b.stderr).toBe(a.code);
        // The same findings, each pointing at the line of its own file.
        expect(findings(b.out).replaceAll(without, 'FILE')).toBe(findings(a.out).replaceAll(withColumn, 'FILE'));
        const report = JSON.parse(readFileSync(join(b.out, 'report.json'), 'utf8'));
        expect(report.totals).toEqual({ read: rows.length, accepted: rows.length, rejected: 0, skipped: 0 });
        expect(report.terminals.map((t: { terminalId: string }) => t.terminalId)).toEqual([id]);
      }),
      { numRuns: 8 },
    );
  });

  it('without --terminal-id says that only the terminal column is missing and how to name it', async () => {
    const file = join(tmp(), 'x.csv');
    writeFileSync(file, exportOf([0, 1, 2], null));
    const r = await analyze(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Only a terminal column is missing: .* --terminal-id ID/);
  });

  it('keeps the terminal of rows that name one', async () => {
    const file = join(tmp(), 'x.csv');
    writeFileSync(file, exportOf([0, 1, 2], 'T7'));
    const r = await analyze(file, '--terminal-id', 'POS-1');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(r.out, 'report.json'), 'utf8'));
    expect(report.terminals.map((t: { terminalId: string }) => t.terminalId)).toEqual(['T7']);
  });

  it('refuses a blank or control-character id with a usage error', async () => {
    const file = join(tmp(), 'x.csv');
    writeFileSync(file, exportOf([0], null));
    for (const bad of ['  ', 'a\u0001b']) expect((await analyze(file, '--terminal-id', bad)).code).toBe(2);
  });
});
