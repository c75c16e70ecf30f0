import { CONTEXT_RULES } from '../rules/context/index.js';
import type { Lang } from '../rules/lib/messages.js';
import type { ContextFinding, ContextIncident, ContextRule, ContextView } from '../rules/types.js';
import type { Aggregator } from './aggregate.js';
import { renderEvidence } from './engine.js';
import type { EventIndex } from './events.js';
import { plainHot, RevisedList, type RevisableList, type Revision } from './finding-table.js';
import type { IncidentWindow } from './incidents.js';
import type { Zone } from './time.js';

/**
 * The context stage: run once after the per-transaction pass and the fleet statistics, in one direction.
 * Context rules see every finding, the incidents and the fleet's attempts, and return revisions; the result
 * is the list with them over it, where a revised finding carries its new cause, what the record alone said (`localCause`)
 * and evidence naming the context. Nothing given is edited.
 */
export function applyContext(
  findings: RevisableList,
  incidents: readonly IncidentWindow[],
  agg: Aggregator,
  events: EventIndex,
  zone: Zone,
  lang: Lang,
  rules: readonly ContextRule[] = CONTEXT_RULES,
): RevisedList {
  const list: ContextFinding[] = new Array(findings.length);
  const terminals = new Map<string, Set<string>>();
  for (let index = 0; index < findings.length; index++) {
    const o = findings.at(index);
    const f = o.finding;
    list[index] = { index, terminalId: f.terminalId, ts: o.ts, cause: f.cause, ruleId: f.ruleId, outcome: f.outcome, reasons: f.reasons, incident: f.incident, cardKey: o.cardKey };
    if (f.incident !== null) {
      let set = terminals.get(f.incident);
      if (!set) terminals.set(f.incident, (set = new Set()));
      set.add(f.terminalId);
    }
  }
  const view: ContextView = {
    findings: list,
    incidents: incidents.map((i): ContextIncident => ({ id: i.id, start: i.start, end: i.end, causes: i.causes, terminals: terminals.get(i.id)?.size ?? 0 })),
    attempts: (t, from, to) => agg.attemptsBetween(t, from, to),
    terminalAttempts: (t) => agg.terminalAttempts(t),
    fleetAttempts: agg.fleetAttempts(),
    fleetAttemptsBetween: (from, to) => agg.fleetAttemptsBetween(from, to),
    eventsNear: (t, ts, before, after) => events.near(t, ts, before, after),
    formatTime: (ts) => zone.format(ts),
  };
  const revisions = new Map<number, Revision>();
  for (const rule of rules) {
    for (const r of rule.revise(view)) {
      const f = { ...plainHot(findings.at(r.index).finding), ...revisions.get(r.index) };
      if (f.cause === r.cause) continue;
      revisions.set(r.index, {
        incident: r.incident ?? f.incident,
        cause: r.cause,
        ruleId: rule.meta.id,
        localCause: f.localCause ?? f.cause,
        localRuleId: f.localRuleId ?? f.ruleId,
        evidence: [...r.evidence.map((d) => renderEvidence(rule, d, lang)), ...f.evidence],
      });
    }
  }
  return new RevisedList(findings, revisions);
}
