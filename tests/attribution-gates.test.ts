import { describe, expect, it } from 'vitest';
import { attributeRootCauses } from '../src/attribution.js';
import type { Observed, TerminalReport } from '../src/model.js';
import { Zone } from '../src/time.js';
import type { CauseId } from '../rules/causes.js';

// A hand-made fleet: 40 terminals, 400 attempts each over one day, spread evenly; findings placed by hand.
const T0 = Date.UTC(2026, 10, 16, 0, 0, 0);
const DAY = 86_400_000;
const MIN = 60_000;
const TERMINALS = Array.from({ length: 40 }, (_, i) => `T${String(i).padStart(2, '0')}`);
const PER = 400;
const zone = new Zone('UTC');
const terminal = (terminalId: string, attempts = PER) => ({ terminalId, attempts, assessment: 'ok' }) as unknown as TerminalReport;
const finding = (terminalId: string, cause: string, ts: number, cardKey?: string): Observed =>
  ({ finding: { terminalId, cause, incident: null, evidence: [] }, ts, minor: 0, cardKey }) as unknown as Observed;
const spread = (from: number, to: number) => (PER * (Math.min(to, T0 + DAY) - Math.max(from, T0))) / DAY;
type FaultEvent = { terminalId: string; ts: number; name: string; cause: CauseId };
function run(observed: Observed[], terminals = TERMINALS, quiet: Record<string, number> = {}, events: FaultEvent[] = []) {
  const per = (t: string) => quiet[t] ?? PER;
  return attributeRootCauses(terminals.map((t) => terminal(t, per(t))), observed, {
    zone,
    lang: 'en',
    faultEvents: (t) => events.filter((e) => e.terminalId === t).sort((a, b) => a.ts - b.ts),
    attempts: (t, from, to) => Math.max(0, Math.round((spread(from, to) * per(t)) / PER)),
    fleetAttempts: (from, to) => Math.max(0, Math.round(terminals.reduce((n, t) => n + (spread(from, to) * per(t)) / PER, 0))),
  }).terminals;
}
const causesOf = (out: TerminalReport[], id: string) => out.find((t) => t.terminalId === id)!.rootCauses.map((r) => r.cause);
/** Some background everywhere so the fleet baseline is real: a wrong PIN and a timeout per terminal. */
const background = TERMINALS.flatMap((t, i) => [finding(t, 'input_error', T0 + (i % 20) * 3_600_000, `bg${i}`), finding(t, 'network', T0 + ((i * 7) % 24) * 3_600_000 + 30 * MIN, `bn${i}`)]);

describe('root-cause gates', () => {
  it('three printer faults at separate times where the fleet has none: a root cause (excess counted in whole findings)', () => {
    const faults = [0, 40, 80].map((m, i) => finding('T05', 'terminal_hardware', T0 + 10 * 3_600_000 + m * MIN, `c${i}`));
    expect(causesOf(run([...background, ...faults]), 'T05')).toEqual(['terminal_hardware']);
  });

  it('two app crashes at separate times where a large fleet has none: a root cause; the same two at one moment: not', () => {
    const fleet = Array.from({ length: 200 }, (_, i) => `T${String(i).padStart(3, '0')}`);
    const bg = fleet.map((t, i) => finding(t, 'input_error', T0 + (i % 20) * 3_600_000, `bg${i}`));
    const quiet = { T005: 60 };
    const apart = [0, 50].map((m, i) => finding('T005', 'terminal_software', T0 + 10 * 3_600_000 + m * MIN, `c${i}`));
    expect(causesOf(run([...bg, ...apart], fleet, quiet), 'T005')).toEqual(['terminal_software']);
    const together = [0, 0.2].map((m, i) => finding('T005', 'terminal_software', T0 + 10 * 3_600_000 + m * MIN, `c${i}`));
    expect(causesOf(run([...bg, ...together], fleet, quiet), 'T005')).toEqual([]);
  });

  it('two timeouts are not enough for a cause as common as link failures', () => {
    const two = [0, 50].map((m, i) => finding('T05', 'network', T0 + 10 * 3_600_000 + m * MIN, `c${i}`));
    expect(causesOf(run([...background, ...two]), 'T05')).toEqual([]);
  });

  it('one lost card tried all day is one card, not a fraud pattern', () => {
    const sameCard = [1, 4, 8, 12, 16, 20].map((h) => finding('T05', 'fraud', T0 + h * 3_600_000, 'lost'));
    expect(causesOf(run([...background, ...sameCard]), 'T05')).toEqual([]);
    const manyCards = [1, 4, 8, 12, 16, 20].map((h, i) => finding('T05', 'fraud', T0 + h * 3_600_000, `lost${i}`));
    expect(causesOf(run([...background, ...manyCards]), 'T05')).toEqual(['fraud']);
  });

  it('timeouts at one terminal while many terminals time out at the same moment are the fleet\'s moment', () => {
    const at = T0 + 12 * 3_600_000;
    const burst = TERMINALS.slice(10, 30).map((t, i) => finding(t, 'network', at + i * 20_000, `o${i}`));
    const mine = [0, 4, 8, 12].map((m, i) => finding('T05', 'network', at + m * MIN, `m${i}`));
    expect(causesOf(run([...background, ...burst, ...mine]), 'T05')).toEqual([]);
    // The same four timeouts on a quiet afternoon stand out.
    const quiet = [0, 4, 8, 12].map((m, i) => finding('T05', 'network', T0 + 16 * 3_600_000 + m * MIN, `m${i}`));
    expect(causesOf(run([...background, ...burst, ...quiet]), 'T05')).toEqual(['network']);
  });

  it('a terminal that loses power again and again names it from its events, even with no failed attempt', () => {
    const at = T0 + 11 * 3_600_000;
    // Each power loss takes the link down a second later: one occasion, not a power and a link problem.
    const cuts = [0, 7, 50, 110].flatMap((m) => [
      { terminalId: 'T05', ts: at + m * MIN, name: 'POWER_LOSS', cause: 'environment' as const },
      { terminalId: 'T05', ts: at + m * MIN + 1000, name: 'NETWORK_DOWN', cause: 'network' as const },
    ]);
    // Elsewhere a power loss now and then.
    const rare = [3, 9, 17].map((i) => ({ terminalId: TERMINALS[i], ts: T0 + i * 3_600_000, name: 'POWER_LOSS', cause: 'environment' as const }));
    const out = run(background, TERMINALS, {}, [...cuts, ...rare]);
    expect(causesOf(out, 'T05')).toEqual(['environment']);
    const rc = out.find((t) => t.terminalId === 'T05')!.rootCauses[0];
    expect(rc.basis).toBe('events');
    expect(rc.findings).toBe(4);
    expect(rc.evidence[0]).toMatch(/4 fault events with no failed attempt behind them/);
    for (const i of [3, 9, 17]) expect(causesOf(out, TERMINALS[i])).toEqual([]);
  });
});
