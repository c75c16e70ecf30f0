import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvParser } from '../../parsers/csv.js';
import { runCoreSync } from '../../parsers/run.js';
import type { RowItem } from '../../parsers/types.js';
import { cellText, sheetText } from '../../parsers/xlsx.js';

const HEADER = ['终端号', '交易时间', '金额', '交易状态', '失败原因', '参考号'];

/** A workbook as Excel writes it: a blank cell (null) is no cell at all, in the middle or at the end of a row. */
async function workbook(rows: (string | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(HEADER);
  rows.forEach((cells, r) => {
    const row = ws.getRow(r + 2);
    cells.forEach((v, c) => {
      if (v !== null) row.getCell(c + 1).value = v;
    });
    row.commit();
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readSheet(bytes: Buffer): Promise<{ text: string; items: RowItem[] }> {
  async function* once() {
    yield bytes;
  }
  let text = '';
  for await (const chunk of (await sheetText('t.xlsx', once())).text) text += chunk;
  const core = await csvParser.open({ name: 't.xlsx', delimiter: ',' }, { format: 'csv', profile: null, skippedLines: 0 });
  return { text, items: [...runCoreSync(core, [text])] };
}

describe('xlsx: blank cells Excel leaves out', () => {
  const required = (i: number) => ['00012345', `2026-11-16 10:${String(i % 60).padStart(2, '0')}:00`, `${i + 1}`, i % 2 ? '成功' : '失败'];
  // The optional columns: a value or a blank (no cell written).
  const optional = fc.tuple(fc.option(fc.constantFrom('网络超时', 'x,y', 'PIN "pad" error'), { nil: null }), fc.option(fc.constantFrom('412345678901', 'R1'), { nil: null }));

  it('for any rows with blank trailing or middle cells, every row is read with its cells in their columns', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(optional, fc.boolean()), { minLength: 1, maxLength: 12 }), async (specs) => {
        const rows = specs.map(([[reason, ref], blankAmount], i) => {
          const cells: (string | null)[] = [...required(i), reason, ref];
          // A blank amount in the middle: the row is still read, its amount empty (the normalizer says why).
          if (blankAmount) cells[2] = null;
          return cells;
        });
        const { text, items } = await readSheet(await workbook(rows));
        for (const line of text.trimEnd().split('\n').slice(1)) expect(line.split(',').length).toBeGreaterThanOrEqual(HEADER.length);
        expect(items.filter((i) => !i.row)).toEqual([]);
        expect(items.map((i) => i.row!.line)).toEqual(rows.map((_, i) => i + 2));
        items.forEach((item, i) => {
          const f = item.row!.fields;
          expect(f.terminalId).toBe('00012345');
          expect(f.amount).toBe(rows[i][2] ?? undefined);
          expect(f.message).toBe(rows[i][4] ?? undefined);
          expect(f.rrn).toBe(rows[i][5] ?? undefined);
        });
      }),
      { numRuns: 25 },
    );
  });

  it('reads the approved rows Excel wrote without their blank reason cell (QA case trailing-empty.xlsx)', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => (i % 5 ? required(i) : [...required(i), '网络超时']));
    const { items } = await readSheet(await workbook(rows));
    expect(items.filter((i) => i.row)).toHaveLength(40);
  });
});

describe('xlsx cell values', () => {
  it('a fraction reads as Excel shows it, to 15 significant digits; whole numbers as stored', () => {
    fc.assert(
      fc.property(fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.integer({ min: 1, max: 99 }), (whole, cents) => {
        const shown = `${whole < 0 ? '-' : ''}${Math.abs(whole)}.${String(cents).padStart(2, '0')}`.replace(/0$/, '').replace(/\.$/, '');
        // A formula's result carries binary noise below the 15th digit: it is read as the value shown.
        const stored = Number(shown) + (Number(shown) === 0 ? 0 : Number(shown) * 1e-16);
        expect(cellText(stored)).toBe(String(Number(shown)));
      }),
    );
    expect(cellText(0.1 + 0.2)).toBe('0.3');
    expect(cellText(123456789012345)).toBe('123456789012345');
  });
});
