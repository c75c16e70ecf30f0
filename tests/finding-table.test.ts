// The findings of a run live in a table (src/finding-table.ts): typed columns for what analysis reads, the
// whole finding as a line on the heap or in a temporary file. Whatever the order rows come in, wherever
// they are held and however they are split across threads or shards, the same findings come out in the
// same order, byte for byte; a revision changes what it names and leaves the table as it was.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { FindingTable, RevisedList, findingsOf, type FullObserved } from '../src/finding-table.js';
import type { Finding } from '../src/model.js';

const text = fc.string({ unit: 'grapheme', maxLength: 6 });
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

const observed: fc.Arbitrary<FullObserved> = fc
  .record({
    terminalId: fc.constantFrom('T1', 'T2', 'T10', '0001', '终端'),
    ts: fc.option(fc.integer({ min: 1_600_000_000_000, max: 1_600_000_100_000 }), { nil: undefined }),
    txnId: nullable(text),
    rrn: nullable(fc.stringMatching(/^\d{1,12}$/)),
    cause: fc.constantFrom('network', 'card', 'unknown', 'input_error'),
    outcome: fc.constantFrom('declined', 'timeout', 'unsettled', 'duplicate'),
    responseCode: nullable(fc.constantFrom('05', '51', '91', 'A1')),
    message: nullable(text),
    cardKey: fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: undefined }),
    evidenceAt: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    line: fc.nat({ max: 50 }),
    minor: fc.nat({ max: 100_000 }),
    damaged: fc.option(fc.constant(['rrn']), { nil: undefined }),
  })
  .map((r): FullObserved => {
    const finding: Finding = {
      txnId: r.txnId,
      rrn: r.rrn,
      terminalId: r.terminalId,
      merchantId: 'M1',
      timestamp: r.ts === undefined ? null : new Date(r.ts).toISOString(),
      type: 'sale',
      amount: (r.minor / 100).toFixed(2),
      currency: 'CNY',
      outcome: r.outcome as Finding['outcome'],
      cause: r.cause as Finding['cause'],
      ruleId: 'rule-x',
      evidence: r.evidenceAt === undefined ? [] : [{ source: 'event', code: 'PRINTER_FAULT', text: 'printer fault', at: `2020-01-01T00:00:0${r.evidenceAt}Z` }],
      reasons: r.responseCode ? [{ reason: 'do_not_honor', source: 'responseCode', code: r.responseCode, strength: 2 }] : [],
      setAside: [],
      localCause: null,
      localRuleId: null,
      status: 'declined',
      responseCode: r.responseCode,
      codeProfile: r.responseCode ? 'iso' : null,
      errorCode: null,
      message: r.message,
      entryMode: null,
      cardRef: r.cardKey ? `6222****${r.cardKey}` : null,
      settlement: null,
      softwareVersion: null,
      model: null,
      connection: null,
      incident: null,
      src: { file: 'log.ndjson', line: r.line },
    };
    const o: FullObserved = { finding, ts: r.ts, minor: r.minor };
    if (r.cardKey) o.cardKey = r.cardKey;
    if (r.damaged) o.damaged = r.damaged;
    return o;
  });

function tableOf(rows: readonly FullObserved[], hold?: number): FindingTable {
  const t = new FindingTable(hold);
  for (const o of rows) t.push(o);
  t.sort();
  return t;
}
const linesOf = (t: FindingTable) => [...findingsOf(t).lines()];

describe('FindingTable', () => {
  it('gives the same findings in the same order whatever the input order and wherever the lines are held', () => {
    fc.assert(
      fc.property(fc.array(observed, { maxLength: 80 }), fc.nat(), fc.nat({ max: 10 }), (rows, seed, hold) => {
        const want = linesOf(tableOf(rows));
        const shuffled = [...rows].sort((a, b) => ((rows.indexOf(a) * 7919 + seed) % 97) - ((rows.indexOf(b) * 7919 + seed) % 97));
        expect(linesOf(tableOf(shuffled, hold))).toEqual(want);
        // Every line is the finding as pushed, and the view of it agrees with the whole.
        const t = tableOf(rows, hold);
        expect([...findingsOf(t).lines()].map((l) => JSON.parse(l)).sort(byJson)).toEqual(rows.map((o) => o.finding).sort(byJson));
        for (let i = 0; i < t.length; i++) {
          const whole = JSON.parse(t.line(i)) as Finding;
          const v = t.at(i);
          expect(v.finding.cause).toBe(whole.cause);
          expect(v.finding.terminalId).toBe(whole.terminalId);
          expect(v.finding.evidence).toEqual(whole.evidence);
          expect(v.finding.reasons).toEqual(whole.reasons);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('split in parts (threads, shards) and merged, is the table of all the rows', () => {
    fc.assert(
      fc.property(fc.array(observed, { maxLength: 60 }), fc.array(fc.nat({ max: 3 }), { minLength: 60, maxLength: 60 }), fc.nat({ max: 5 }), (rows, partOf, hold) => {
        const parts = [0, 1, 2, 3].map((k) => tableOf(rows.filter((_, i) => partOf[i] === k), hold).state());
        const merged = FindingTable.merged(parts, hold);
        merged.sort();
        const whole = tableOf(rows);
        expect(linesOf(merged)).toEqual(linesOf(whole));
        expect([...merged].map((o) => [o.ts, o.minor, o.cardKey, o.damaged])).toEqual([...whole].map((o) => [o.ts, o.minor, o.cardKey, o.damaged]));
        // A merged table's own state (its lines in the parts' files or on the heap) merges again to the same.
        const again = FindingTable.merged([merged.state()], hold);
        again.sort();
        expect(linesOf(again)).toEqual(linesOf(whole));
        // Rows pushed to a merged table before it is sorted join the parts' (a state is handed over once: new parts).
        const fresh = [0, 1].map((k) => tableOf(rows.filter((_, i) => partOf[i] === k), hold).state());
        const grown = FindingTable.merged(fresh, hold);
        for (let i = 0; i < rows.length; i++) if (partOf[i] >= 2) grown.push(rows[i]);
        grown.sort();
        expect(linesOf(grown)).toEqual(linesOf(whole));
      }),
      { numRuns: 40 },
    );
  });

  it('a revision shows in the list over the table and in the findings written, and the table keeps what the record said', () => {
    fc.assert(
      fc.property(fc.array(observed, { minLength: 1, maxLength: 30 }), fc.nat(), (rows, pick) => {
        const t = tableOf(rows, 2);
        const i = pick % t.length;
        const before = t.at(i).finding.cause;
        const revised = new RevisedList(t, new Map([[i, { cause: 'terminal_hardware' as const, localCause: before, incident: 'I1' }]]));
        expect(revised.at(i).finding.cause).toBe('terminal_hardware');
        expect(revised.at(i).finding.incident).toBe('I1');
        expect(t.at(i).finding.cause).toBe(before);
        const written = findingsOf(revised).toArray();
        expect(written[i]).toEqual({ ...(JSON.parse(t.line(i)) as Finding), cause: 'terminal_hardware', localCause: before, incident: 'I1' });
        written.forEach((f, k) => k !== i && expect(f).toEqual(JSON.parse(t.line(k))));
      }),
      { numRuns: 40 },
    );
  });

  it('takes no row after it is sorted', () => {
    const t = new FindingTable();
    t.sort();
    expect(() => t.push(fc.sample(observed, 1)[0])).toThrow(/sorted/);
  });
});

describe('a run whose findings are held in a temporary file', () => {
  it.each([
    ['sample fleet, 1 thread', ['fixtures/sample-fleet'], 'Asia/Shanghai', 1],
    ['sample fleet, 2 threads', ['fixtures/sample-fleet'], 'Asia/Shanghai', 2],
    ['settlement problems, 2 threads', ['fixtures/settlement-problems'], 'UTC', 2],
  ])('%s: the same report and findings as on the heap', async (_, inputs, tz, jobs) => {
    // Worker threads start from the built code (npm test builds first).
    const { analyze: built } = (await import('../dist/src/analyze.js')) as { analyze: typeof analyze };
    const run = (holdInMemory: number | undefined, j: number) =>
      (j > 1 ? built : analyze)({ inputs, out: null, tz, generatedAt: '2026-01-01T00:00:00Z', jobs: j, holdInMemory }).then((r) => JSON.stringify({ report: r.report, findings: r.findings.toArray() }));
    const heap = await run(undefined, 1);
    expect(await run(0, jobs)).toBe(heap);
    expect(await run(3, jobs)).toBe(heap);
  });
});

function byJson(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
