// Shapes merchant exports take on their way through Excel and other back-ends: each must read as the plain
// export does (same records, same joins, same findings), with the identifiers as written.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';

const work = mkdtempSync(join(tmpdir(), 'txlog-merchant-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const file = (name: string, lines: string[]) => {
  const path = join(work, `${++n}-${name}`);
  writeFileSync(path, lines.join('\r\n') + '\r\n');
  return path;
};
const run = (inputs: string[], tz = 'Asia/Shanghai') => analyze({ inputs, out: null, tz, generatedAt: '2026-01-01T00:00:00Z', jobs: 1 });

/** Ten rows of one terminal, one an hour from 08:00. */
function sales(row: (i: number, hh: number) => string): string[] {
  return Array.from({ length: 10 }, (_, i) => row(i, 8 + i));
}

describe('merchant export shapes', () => {
  it('English date and time columns make one timestamp; a time Excel stripped of its zero and a currency named in the amount header are read', async () => {
    const plain = file('plain.csv', ['timestamp,terminalId,amount,currency,status,responseCode,rrn', ...sales((i, h) => `2026-11-13 ${String(h).padStart(2, '0')}:03:01,T1,10.00,EUR,${i === 2 ? 'declined' : 'approved'},${i === 2 ? '51' : '00'},70000000000${i}`)]);
    const english = file('en.csv', ['Transaction Date,Transaction Time,TID,Amount (EUR),Result,Resp. Code,RRN', ...sales((i, h) => `13/11/2026,${h}:03:01,T1,10.00,${i === 2 ? 'DECLINED' : 'APPROVED'},${i === 2 ? '51' : '00'},70000000000${i}`)]);
    const compact = file('compact.csv', ['交易日期,交易时间,终端号,交易金额(EUR),交易状态,应答码,参考号', ...sales((i, h) => `20261113,${h}0301,T1,10.00,${i === 2 ? '失败' : '成功'},${i === 2 ? '51' : '00'},70000000000${i}`)]);
    const want = await run([plain]);
    for (const f of [english, compact]) {
      const got = await run([f]);
      expect(got.report.inputs[0].rejected, f).toBe(0);
      expect(got.findings.toArray().map((x) => [x.rrn, x.timestamp, x.amount, x.currency, x.cause])).toEqual(want.findings.toArray().map((x) => [x.rrn, x.timestamp, x.amount, x.currency, x.cause]));
    }
  });

  it("an apostrophe typed before an id ('01234567) is Excel's text guard, not part of the id", async () => {
    const guarded = file('guard.csv', ['交易时间,终端号,商户号,交易金额,交易状态,应答码,参考号', ...sales((i, h) => `2026-11-10 ${h}:00:00,'01234567,'898310048160002,10.00,成功,00,'63242000010${i}`)]);
    const settled = file('settle.csv', ['结算日期,终端号,参考号,交易金额,结算状态', ...sales((i) => `2026-11-11,01234567,63242000010${i},10.00,已结算`)]);
    const r = await run([guarded, settled]);
    expect(r.report.terminals.map((t) => t.terminalId)).toEqual(['01234567']);
    expect(r.report.summary.settlement.matched).toBe(10);
    expect(r.findings.toArray()).toEqual([]);
  });

  it('a terminal id whose leading zero the settlement file lost joins, with a warning; the ids stay as written', async () => {
    const terminal = file('t.csv', ['交易时间,终端号,交易金额,交易状态,应答码,参考号', ...sales((i, h) => `2026-11-10 ${h}:00:00,01234567,10.00,成功,00,63242000010${i}`)]);
    const settled = file('s.csv', ['结算日期,终端号,参考号,交易金额,结算状态', ...sales((i) => `2026-11-11,1234567,63242000010${i},10.00,已结算`)]);
    const r = await run([terminal, settled]);
    expect(r.report.summary.settlement.matched).toBe(10);
    expect(r.findings.toArray()).toEqual([]);
    expect(r.report.terminals.map((t) => t.terminalId)).toEqual(['01234567']);
    expect(r.report.warnings.join('\n')).toMatch(/leading zeros/);
  });

  it.each(['备注', 'origTxnId', 'orig_txn_id', 'Original Txn Id', '原交易流水号', '原交易号', '原参考号', 'Original RRN', '原凭证号'])(
    'a void names its original under %s: the voided sale is not expected in settlement',
    async (column) => {
      const byRrn = /参考号|rrn/i.test(column);
      const byStan = column === '原凭证号';
      const original = byRrn ? '632420000105' : byStan ? '000105' : 'S5';
      const terminal = file('void.csv', [
        `交易时间,终端号,交易单号,交易类型,交易金额,交易状态,应答码,参考号,凭证号,${column}`,
        ...sales((i, h) => `2026-11-10 ${h}:00:00,T1,S${i},消费,10.00,成功,00,63242000010${i},00010${i},`),
        `2026-11-10 18:00:00,T1,V1,撤销,10.00,成功,00,632420000199,000199,${original}`,
      ]);
      const settled = file('vs.csv', ['结算日期,终端号,参考号,交易金额,结算状态', ...sales((i) => `2026-11-11,T1,63242000010${i},10.00,已结算`).filter((_, i) => i !== 5)]);
      const r = await run([terminal, settled]);
      // A column that names no original (备注) leaves the sale expected: it is missing.
      expect(r.findings.toArray().map((f) => [f.txnId, f.outcome])).toEqual(column === '备注' ? [['S5', 'unsettled']] : []);
    },
  );

  it('a void or reversal written with a negative amount is read (it takes money back), a negative sale is refused', async () => {
    const f = file('neg.csv', ['交易时间,终端号,交易单号,交易类型,交易金额,交易状态,应答码', '2026-11-10 10:00:00,T1,S1,消费,100.00,成功,00', '2026-11-10 10:05:00,T1,V1,消费撤销,-100.00,成功,00', '2026-11-10 10:06:00,T1,R1,冲正,-100.00,成功,00', '2026-11-10 10:07:00,T1,S2,消费,-5.00,成功,00']);
    const r = await run([f]);
    expect(r.report.inputs[0]).toMatchObject({ read: 4, accepted: 3, rejected: 1 });
  });

  it('a --mapping that names its header signature applies to the files that carry it; the others are read as without it', async () => {
    const terminal = file('t.csv', ['交易时间,终端号,交易金额,交易状态,应答码,参考号', ...sales((i, h) => `2026-11-10 ${h}:00:00,T1,10.00,成功,00,63242000010${i}`)]);
    const settled = file('s.csv', ['清算日,终端,检索号,清算金额,清算结果', ...sales((i) => `2026-11-11,T1,63242000010${i},10.00,OK`)]);
    const mapping = join(work, 'bank-settle.json');
    writeFileSync(mapping, JSON.stringify({ name: 'bank-settle', kind: 'settlement', columns: { settlementDate: '清算日', terminalId: '终端', rrn: '检索号', amount: '清算金额', status: '清算结果' }, values: { status: { OK: 'settled' } }, match: { headers: ['清算结果', '检索号'] } }));
    const r = await analyze({ inputs: [terminal, settled], mapping, out: null, tz: 'Asia/Shanghai', generatedAt: '2026-01-01T00:00:00Z', jobs: 1 });
    expect(r.report.summary.settlement.matched).toBe(10);
    expect(r.findings.toArray()).toEqual([]);
  });
});
