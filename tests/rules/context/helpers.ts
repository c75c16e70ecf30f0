import type { ContextFinding, ContextIncident, ContextView } from '../../../rules/types.js';
import type { TerminalEvent } from '../../../src/model.js';

/** A view over hand-made findings; attempts spread evenly, `perTerminal` each over `spanMs` from t0. */
export function makeView(findings: Partial<ContextFinding>[], opts: { incidents?: ContextIncident[]; terminals?: number; perTerminal?: number; t0?: number; spanMs?: number; events?: TerminalEvent[] } = {}): ContextView {
  const terminals = opts.terminals ?? 50;
  const per = opts.perTerminal ?? 400;
  const t0 = opts.t0 ?? Date.UTC(2024, 4, 4, 0, 0, 0);
  const span = opts.spanMs ?? 24 * 3_600_000;
  return {
    findings: findings.map((f, index) => ({ index, terminalId: 'T1', cause: 'network', ruleId: 'reason', outcome: 'timeout', reasons: [], incident: null, ...f })),
    incidents: opts.incidents ?? [],
    attempts: (_t, from, to) => Math.round((per * (Math.min(to, t0 + span) - Math.max(from, t0))) / span),
    terminalAttempts: () => per,
    fleetAttempts: terminals * per,
    fleetAttemptsBetween: (from, to) => Math.round((terminals * per * (Math.min(to, t0 + span) - Math.max(from, t0))) / span),
    eventsNear: (t, ts, before, after) => (opts.events ?? []).filter((e) => e.terminalId === t && e.ts >= ts - before && e.ts <= ts + after),
    formatTime: (ts) => new Date(ts).toISOString(),
  };
}

export const reason = (r: string, strength = 15) => ({ reason: r, source: 'status' as const, code: null, strength });
