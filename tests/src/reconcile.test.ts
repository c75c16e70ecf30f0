import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Reconciler, SettlementIndex } from '../../src/reconcile.js';
import type { SettlementRecord, TerminalTxn } from '../../src/model.js';
import type { Subject } from '../../rules/types.js';
import { DAY } from '../../src/time.js';

const day0 = Date.UTC(2026, 10, 20) / DAY;
let line = 0;
const txn = (over: Partial<TerminalTxn>): TerminalTxn => ({
  kind: 'txn', txnId: `t${++line}`, terminalId: 'T1', ts: day0 * DAY + 3_600_000, type: 'sale', amount: 1000,
  currency: 'CNY', status: 'approved', src: { file: 'term', line }, ...over,
});
const stl = (over: Partial<SettlementRecord>): SettlementRecord => ({
  kind: 'settlement', terminalId: 'T1', settlementDay: day0 + 1, amount: 1000, currency: 'CNY', status: 'settled',
  src: { file: 'stl', line: ++line }, ...over,
});

function run(settlement: SettlementRecord[], terminal: TerminalTxn[], tolerance = 0) {
  const index = new SettlementIndex();
  for (const s of settlement) index.add(s);
  const out: Subject[] = [];
  const r = new Reconciler(index, { graceDays: 1, toleranceMinor: tolerance, localDay: (ts) => Math.floor(ts / DAY) }, (s) => out.push(s));
  for (const t of terminal) r.add(t);
  r.finish();
  return { out, r };
}

describe('reconciliation', () => {
  it('matches by RRN first, else by txnId, and reports nothing for clean settlement', () => {
    const { out, r } = run([stl({ rrn: 'R1' }), stl({ txnId: 'X2' })], [txn({ rrn: 'R1', txnId: 'other' }), txn({ txnId: 'X2' })]);
    expect(out).toEqual([]);
    expect(r.matched).toBe(2);
  });

  it('joins an all-digit RRN or txnId with or without its leading zeros, on either side, and counts those joins', () => {
    const ids = fc.array(fc.stringMatching(/^0{1,3}[1-9][0-9]{2,10}$/), { minLength: 1, maxLength: 20 }).map((a) => [...new Set(a.map((x) => x.replace(/^0+/, '')))].map((x) => '0'.repeat(1 + (x.length % 3)) + x));
    const strip = (s: string) => s.replace(/^0+/, '');
    fc.assert(
      fc.property(ids, fc.boolean(), fc.boolean(), (list, byRrn, stripTerminalSide) => {
        const key = (id: string, stripped: boolean) => (byRrn ? { rrn: stripped ? strip(id) : id } : { txnId: stripped ? strip(id) : id });
        const as = run(list.map((id) => stl(key(id, false))), list.map((id) => txn(key(id, false))));
        const shifted = run(list.map((id) => stl(key(id, !stripTerminalSide))), list.map((id) => txn(key(id, stripTerminalSide))));
        expect(shifted.out).toEqual(as.out);
        expect(shifted.r.matched).toBe(list.length);
      }),
      { numRuns: 100 },
    );
    const index = new SettlementIndex();
    index.add(stl({ rrn: '12345678901' }));
    const r = new Reconciler(index, { graceDays: 1, toleranceMinor: 0, localDay: (ts) => Math.floor(ts / DAY) }, () => {});
    r.add(txn({ rrn: '012345678901' }));
    expect(index.looseKeys).toBe(1);
    // Only ids of digits: 0A1 and A1 are two keys.
    expect(run([stl({ rrn: 'A1' })], [txn({ rrn: '0A1' })]).r.matched).toBe(0);
  });

  it('keeps the same settlement line whatever the order of the lines of one key', () => {
    const line = fc.record({ status: fc.constantFrom('settled', 'failed', 'held', 'pending', 'rejected'), day: fc.integer({ min: 0, max: 3 }), amount: fc.constantFrom(1000, 1000, 990) });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), fc.integer(), (lines, seed) => {
        const recs = lines.map((l) => stl({ rrn: 'R1', status: l.status as SettlementRecord['status'], settlementDay: day0 + l.day, amount: l.amount }));
        const shuffled = [...recs].sort((a, b) => ((a.src.line * 7919 + seed) % 101) - ((b.src.line * 7919 + seed) % 101));
        const strip = (out: Subject[]) => out.map((o) => JSON.stringify({ outcome: o.outcome, facts: o.facts, settlement: o.settlement && { ...o.settlement, src: undefined } })).sort();
        const one = run(recs, [txn({ rrn: 'R1', ts: day0 * DAY })]);
        const two = run(shuffled, [txn({ rrn: 'R1', ts: day0 * DAY })]);
        expect(strip(two.out)).toEqual(strip(one.out));
      }),
      { numRuns: 300 },
    );
  });

  it('finds approved transactions missing after the grace window, but not those still in it', () => {
    const { out, r } = run(
      [stl({ rrn: 'R0', settlementDay: day0 + 1 })],
      [txn({ rrn: 'R0' }), txn({ txnId: 'late', ts: (day0 + 1) * DAY }), txn({ txnId: 'gone' })],
    );
    expect(out.map((s) => [s.outcome, s.txn?.txnId, s.facts.missingSettlement])).toEqual([['unsettled', 'gone', true]]);
    expect(r.notYetDue).toBe(1);
  });

  it('does not expect declined, preauth, balance or voided transactions in settlement', () => {
    const { out } = run(
      [stl({ rrn: 'other', settlementDay: day0 + 3 })],
      [
        txn({ status: 'declined' }),
        txn({ type: 'preauth' }),
        txn({ type: 'balance' }),
        txn({ txnId: 'S1' }),
        txn({ type: 'void', extra: { originalTxnId: 'S1' } }),
        txn({ txnId: 'S2', status: 'reversed' }),
      ],
    );
    expect(out.filter((s) => s.outcome === 'unsettled')).toEqual([]);
  });

  it('reports failed, rejected and held lines, and amount mismatches beyond the tolerance', () => {
    const { out } = run(
      [stl({ rrn: 'F', status: 'failed', reasonCode: 'X' }), stl({ rrn: 'H', status: 'held' }), stl({ rrn: 'A', amount: 1010 }), stl({ rrn: 'B', amount: 1001 })],
      [txn({ rrn: 'F' }), txn({ rrn: 'H' }), txn({ rrn: 'A' }), txn({ rrn: 'B' })],
      1,
    );
    expect(out.map((s) => [s.outcome, s.txn?.rrn, s.facts.amountDelta])).toEqual([
      ['settlement_failed', 'F', undefined],
      ['unsettled', 'H', undefined],
      ['amount_mismatch', 'A', 10],
    ]);
  });

  it('never matches a settled line in another currency than its transaction: a mismatch whatever the amounts, same currency as before', () => {
    const currency = fc.constantFrom('CNY', 'EUR', 'USD', 'JPY', 'GBP', 'KWD');
    const amount = fc.integer({ min: 0, max: 100_000 });
    fc.assert(fc.property(currency, currency, amount, amount, fc.integer({ min: 0, max: 50 }), (tc, sc, ta, sa, tol) => {
      const { out, r } = run([stl({ rrn: 'R', currency: sc, amount: sa })], [txn({ rrn: 'R', currency: tc, amount: ta })], tol);
      expect(r.matched).toBe(1);
      if (tc !== sc) {
        expect(out.map((s) => [s.outcome, s.facts])).toEqual([['amount_mismatch', { currencyDiffers: true }]]);
      } else {
        const delta = sa - ta;
        expect(out.map((s) => [s.outcome, s.facts])).toEqual(Math.abs(delta) > tol ? [['amount_mismatch', { amountDelta: delta }]] : []);
      }
    }));
  });

  it('lets a later settled line supersede an earlier failure', () => {
    // Failed on the day, settled on re-run the next day (inside the grace window): nothing to report.
    const { out } = run([stl({ rrn: 'R', status: 'failed', settlementDay: day0 }), stl({ rrn: 'R', status: 'settled', settlementDay: day0 + 1 })], [txn({ rrn: 'R' })]);
    expect(out).toEqual([]);
    // Settled only after the window: late money, reported as unsettled with how late it came.
    const late = run([stl({ rrn: 'R', status: 'failed', settlementDay: day0 }), stl({ rrn: 'R', status: 'settled', settlementDay: day0 + 3 })], [txn({ rrn: 'R' })]).out;
    expect(late.map((s) => [s.outcome, s.facts.lateSettlementDays])).toEqual([['unsettled', 3]]);
  });

  it('finds orphans and duplicates on both sides', () => {
    const { out } = run(
      [stl({ rrn: 'D' }), stl({ rrn: 'D' }), stl({ rrn: 'ORPHAN' }), stl({ rrn: 'OLD', settlementDay: day0 - 30 })],
      [txn({ rrn: 'D', txnId: 'd1' }), txn({ rrn: 'D', txnId: 'd1' })],
    );
    expect(out.map((s) => [s.outcome, s.facts.duplicateSide, s.settlement?.rrn])).toEqual([
      ['duplicate', 'terminal', 'D'],
      ['orphan_settlement', undefined, 'ORPHAN'],
      ['duplicate', 'settlement', 'D'],
    ]);
  });

  it('does nothing without settlement input', () => {
    expect(run([], [txn({})]).out).toEqual([]);
  });

  it('keeps the index compact: settled lines are not kept as objects', () => {
    const index = new SettlementIndex();
    for (let i = 0; i < 5000; i++) index.add(stl({ rrn: `R${i}` }));
    expect(index.size).toBe(5000);
    expect(index.record(4999)).toMatchObject({ rrn: 'R4999', amount: 1000, status: 'settled' });
  });
});
