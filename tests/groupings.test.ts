// Cards that failed on several terminals (src/groupings.ts cardPatterns): a card is counted by its identity
// (keyed hash), on every terminal and cause it failed with, whatever the order of the findings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Observed } from '../src/finding-table.js';
import { cardPatterns } from '../src/groupings.js';

const observed: fc.Arbitrary<Observed> = fc
  .record({
    card: fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4'), { nil: undefined }),
    terminal: fc.constantFrom('T1', 'T2', 'T3', 'T4', 'T5'),
    cause: fc.constantFrom('card', 'network', 'input_error'),
    outcome: fc.constantFrom('declined', 'timeout', 'unsettled'),
  })
  .map(({ card, terminal, cause, outcome }) => ({
    finding: { terminalId: terminal, cause, outcome, status: outcome === 'unsettled' ? 'approved' : 'declined', cardRef: card ? `622202******${card}` : null } as unknown as Observed['finding'],
    minor: 100,
    ...(card ? { cardKey: card } : {}),
  }));

describe('cardPatterns', () => {
  it('counts each card on every terminal and cause it failed with, in any order', () => {
    fc.assert(
      fc.property(fc.array(observed, { maxLength: 60 }), fc.nat(), (list, seed) => {
        const got = cardPatterns(list);
        // What the definition says, counted the plain way.
        const want = new Map<string, { terminals: Set<string>; failures: number; causes: Map<string, number> }>();
        for (const o of list) {
          if (o.cardKey === undefined || o.finding.outcome === 'unsettled') continue;
          const c = want.get(o.cardKey) ?? { terminals: new Set(), failures: 0, causes: new Map() };
          want.set(o.cardKey, c);
          c.terminals.add(o.finding.terminalId);
          c.failures++;
          c.causes.set(o.finding.cause, (c.causes.get(o.finding.cause) ?? 0) + 1);
        }
        const expected = [...want.values()].filter((c) => c.terminals.size >= 3);
        expect(got.length).toBe(expected.length);
        for (const p of got) {
          const c = [...want.entries()].find(([k]) => p.cardRef.endsWith(k))![1];
          expect(p.terminals).toEqual([...c.terminals].sort());
          expect(p.failures).toBe(c.failures);
          expect(p.byCause).toEqual(Object.fromEntries(c.causes));
        }
        const shuffled = [...list].sort((a, b) => ((list.indexOf(a) * 31 + seed) % 17) - ((list.indexOf(b) * 31 + seed) % 17));
        expect(cardPatterns(shuffled)).toEqual(got);
      }),
      { numRuns: 200 },
    );
  });
});
