import { CONTEXT_RULES } from '../rules/context/index.js';
import type { Lang } from '../rules/lib/messages.js';
import type { ContextFinding, ContextIncident, ContextRule, ContextView } from '../rules/types.js';
import type { Aggregator } from './aggregate.js';
import { renderEvidence } from './engine.js';
import type { EventIndex } from './events.js';
import type { Observed } from './model.js';
import type { IncidentWindow } from './incidents.js';
import type { Zone } from './time.js';

/**
 * The context stage: run once after the per-transaction pass and the fleet statistics, in one direction.
 * Context rules see every finding, the incidents and the fleet's attempts, and return revisions; the result
 * is a new list where a revised finding carries its new cause, what the record alone said (`localCause`)
 * and evidence naming the context. Nothing given is edited.
 */
export function applyContext(
  findings: readonly Observed[],
  incidents: readonly IncidentWindow[],
  agg: Aggregator,
  events: EventIndex,
  zone: Zone,
  lang: Lang,
  rules: readonly ContextRule[] = CONTEXT_RULES,
): Observed[] {
  const view: ContextView = {
    findings: findings.map((o, index): ContextFinding => ({
      index,
      terminalId: o.finding.terminalId,
      ts: o.ts,
      cause: o.finding.cause,
      ruleId: o.finding.ruleId,
      outcome: o.finding.outcome,
      reasons: o.finding.reasons,
      incident: o.finding.incident,
      cardKey: o.cardKey,
    })),
    incidents: incidents.map((i): ContextIncident => ({ id: i.id, start: i.start, end: i.end, causes: i.causes, terminals: terminalsOf(findings, i.id) })),
    attempts: (t, from, to) => agg.attemptsBetween(t, from, to),
    terminalAttempts: (t) => agg.terminalAttempts(t),
    fleetAttempts: agg.fleetAttempts(),
    fleetAttemptsBetween: (from, to) => agg.fleetAttemptsBetween(from, to),
    eventsNear: (t, ts, before, after) => events.near(t, ts, before, after),
    formatTime: (ts) => zone.format(ts),
  };
  const out = [...findings];
  for (const rule of rules) {
    for (const r of rule.revise(view)) {
      const prev = out[r.index];
      const f = prev.finding;
      if (f.cause === r.cause) continue;
      out[r.index] = {
        ...prev,
        finding: {
          ...f,
          incident: r.incident ?? f.incident,
          cause: r.cause,
          ruleId: rule.meta.id,
          localCause: f.localCause ?? f.cause,
          localRuleId: f.localRuleId ?? f.ruleId,
          evidence: [...r.evidence.map((d) => renderEvidence(rule, d, lang)), ...f.evidence],
        },
      };
    }
  }
  return out;
}

function terminalsOf(findings: readonly Observed[], id: string): number {
  const set = new Set<string>();
  for (const o of findings) if (o.finding.incident === id) set.add(o.finding.terminalId);
  return set.size;
}
