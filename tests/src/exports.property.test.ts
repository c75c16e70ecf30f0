// Properties of reading exports: the same rows written in any supported date shape, decimal style and
// delimiter give the same records; every non-blank line of a junk-laden file is accounted for once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest, planInput } from '../../src/ingest.js';
import type { TerminalTxn } from '../../src/model.js';
import { CardKeys } from '../../src/pan.js';
import { Zone } from '../../src/time.js';

process.env.TZ = 'America/New_York';

const dir = mkdtempSync(join(tmpdir(), 'txlog-exports-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

interface Row {
  terminal: string;
  day: number;
  hour: number;
  minute: number;
  second: number;
  minor: number;
  status: string;
}

const p2 = (x: number) => String(x).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const h12 = (h: number) => `${h % 12 === 0 ? 12 : h % 12}`;
const ampm = (h: number) => (h < 12 ? 'AM' : 'PM');

// Every shape writes March 2025 (the month is 3, so a day above 12 decides day-first vs month-first).
const DATES: Record<string, (r: Row) => string> = {
  iso: (r) => `2025-03-${p2(r.day)} ${p2(r.hour)}:${p2(r.minute)}:${p2(r.second)}`,
  dmyDots: (r) => `${p2(r.day)}.03.2025 ${p2(r.hour)}:${p2(r.minute)}:${p2(r.second)}`,
  dmySlash: (r) => `${r.day}/3/2025 ${r.hour}:${p2(r.minute)}:${p2(r.second)}`,
  mdy12: (r) => `3/${r.day}/2025 ${h12(r.hour)}:${p2(r.minute)}:${p2(r.second)} ${ampm(r.hour)}`,
  named: (r) => `${MONTHS[2]} ${r.day}, 2025 ${h12(r.hour)}:${p2(r.minute)}:${p2(r.second)} ${ampm(r.hour)}`,
  dMonY: (r) => `${p2(r.day)}-Mar-2025 ${p2(r.hour)}:${p2(r.minute)}:${p2(r.second)}`,
  cjk: (r) => `2025年3月${r.day}日 ${p2(r.hour)}:${p2(r.minute)}:${p2(r.second)}`,
  cjk12: (r) => `2025年3月${r.day}日 ${r.hour < 12 ? '上午' : '下午'}${h12(r.hour)}:${p2(r.minute)}:${p2(r.second)}`,
  epochS: (r) => String(Date.UTC(2025, 2, r.day, r.hour, r.minute, r.second) / 1000),
  epochMs: (r) => String(Date.UTC(2025, 2, r.day, r.hour, r.minute, r.second)),
};

const group = (whole: string, sep: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
const AMOUNTS: Record<string, (minor: number) => string> = {
  plain: (m) => `${Math.floor(m / 100)}.${p2(m % 100)}`,
  us: (m) => `${group(String(Math.floor(m / 100)), ',')}.${p2(m % 100)}`,
  de: (m) => `${group(String(Math.floor(m / 100)), '.')},${p2(m % 100)}`,
  fr: (m) => `${group(String(Math.floor(m / 100)), '\u00a0')},${p2(m % 100)}`,
  ch: (m) => `${group(String(Math.floor(m / 100)), "'")}.${p2(m % 100)}`,
  comma: (m) => `${Math.floor(m / 100)},${p2(m % 100)}`,
};

const row = fc.record({
  terminal: fc.constantFrom('T1', 'T2', 'T3'),
  day: fc.integer({ min: 1, max: 31 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 59 }),
  minor: fc.integer({ min: 0, max: 99_999_999 }),
  status: fc.constantFrom('approved', 'declined', 'timeout'),
});
// Day 25 on one row lets the data decide the order (a file of days 1-12 only is ambiguous by design).
const DECIDER: Row = { terminal: 'T9', day: 25, hour: 13, minute: 5, second: 7, minor: 12345, status: 'approved' };

function cell(v: string, delimiter: string): string {
  return v.includes(delimiter) || v.includes('"') ? `"${v.replace(/"/g, '""')}"` : v;
}

function write(rows: Row[], date: (r: Row) => string, amount: (m: number) => string, delimiter: string): string {
  const lines = ['terminal id', 'transaction time', 'amount', 'status'].join(delimiter);
  const body = rows.map((r) => [r.terminal, date(r), amount(r.minor), r.status].map((c) => cell(c, delimiter)).join(delimiter));
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, [lines, ...body].join('\n') + '\n');
  return path;
}

async function read(path: string, tz = 'UTC') {
  const txns: TerminalTxn[] = [];
  const rejects: string[] = [];
  const planned = await planInput(path, undefined, {});
  const account = await ingest(planned, { zone: new Zone(tz), currency: 'EUR', cards: new CardKeys() }, { txn: (t) => txns.push(t), event: () => {}, settlement: () => {}, reject: (r) => rejects.push(`${r.line}: ${r.reason}`) }, {});
  return { account, rejects, records: txns.map((t) => [t.src.line, t.terminalId, t.ts, t.amount, t.status]) };
}

describe('reading exports: properties', () => {
  it('the same rows in any date shape, decimal style and delimiter give the same records', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(...Object.keys(DATES)),
        fc.constantFrom(...Object.keys(AMOUNTS)),
        fc.constantFrom(',', ';', '\t', '|'),
        async (some, dateShape, amountStyle, delimiter) => {
          const rows = [DECIDER, ...some];
          const expected = await read(write(rows, DATES.iso, AMOUNTS.plain, ','));
          const got = await read(write(rows, DATES[dateShape], AMOUNTS[amountStyle], delimiter));
          expect(got.rejects).toEqual([]);
          expect(got.records).toEqual(expected.records);
          expect(got.account.accepted).toBe(rows.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('read = accepted + rejected + skipped, and every non-blank line after the header is read once', async () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 30 }).map((s) => s.replace(/["\r\n]/g, '')),
      fc.constantFrom('合计,,20.00,', '共3笔', '# comment', 'Total:', '--------', 'T1,not a date,1.00,approved', 'T1,2025-03-04 09:00,abc,approved', ',,,'),
      row.map((r) => `${r.terminal},${DATES.iso(r)},${AMOUNTS.plain(r.minor)},${r.status}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(junk, { maxLength: 25 }), async (lines) => {
        const path = join(dir, `j${n++}.csv`);
        writeFileSync(path, ['terminalId,timestamp,amount,status', ...lines].join('\n') + '\n');
        const { account } = await read(path);
        expect(account.read).toBe(account.accepted + account.rejected + account.skipped);
        // A line of only delimiters, spaces and Excel's empty text guards (a lone `) is blank, not a row.
        const blank = (l: string) => l.split(',').every((c) => c.trim().replace(/^`/, '').trim() === '');
        expect(account.read).toBe(lines.filter((l) => !blank(l)).length);
      }),
      { numRuns: 60 },
    );
  });
});
