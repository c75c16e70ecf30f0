import type { Evidence } from './model.js';
import type { CauseId } from '../rules/causes.js';
import { renderMessage, type Lang } from '../rules/lib/messages.js';
import { readSubject, type ReasonHit } from '../rules/signals.js';
import type { EvidenceDraft, Rule, RuleContext, Subject } from '../rules/types.js';

export interface SetAside {
  cause: CauseId;
  ruleId: string;
  strength: number;
}

export interface Classification {
  cause: CauseId;
  ruleId: string;
  strength: number;
  evidence: Evidence[];
  /** The finding's signals read into reasons, strongest first. */
  reasons: readonly ReasonHit[];
  /** Verdicts for other causes the winning one outranked, strongest first. */
  setAside: SetAside[];
}

/** Distinct evidence kept for sharing; past it (evidence unique to each finding) new ones are not kept. */
const SHARED_LIMIT = 100_000;
const NOTHING_SET_ASIDE: readonly SetAside[] = Object.freeze([]);

/** A rule's evidence in the run's language, with its message id and data kept for machines. */
export function renderEvidence(rule: Pick<Rule, "meta">, draft: EvidenceDraft, lang: Lang): Evidence {
  const message = rule.meta.messages[draft.message];
  if (!message) throw new Error(`rule ${rule.meta.id} has no message "${draft.message}"`);
  const ev: Evidence = { source: draft.source, rule: rule.meta.id, message: draft.message, text: renderMessage(message, draft.data, lang) };
  if (draft.code !== undefined) ev.code = draft.code;
  if (draft.data !== undefined) ev.data = draft.data;
  if (draft.at !== undefined) ev.at = draft.at;
  return ev;
}

/**
 * Reads a finding's signals into reasons, asks every rule, and keeps the strongest verdict (declared
 * strength, not registry position; the registry order only breaks ties). The engine knows rules only
 * through the list it is given; the registry's last rule always answers, so nothing is dropped.
 */
export class Engine {
  readonly hits = new Map<string, number>();
  // Most findings state the same few things (response code 51, insufficient funds): each distinct piece of
  // evidence is rendered once and shared, frozen, by every finding that states it.
  private readonly rendered = new Map<string, Evidence>();

  constructor(
    private readonly rules: readonly Rule[],
    private readonly ctx: RuleContext,
    private readonly lang: Lang = 'en',
  ) {
    for (const rule of rules) this.hits.set(rule.meta.id, 0);
  }

  private render(rule: Rule, draft: EvidenceDraft): Evidence {
    let key = `${rule.meta.id}\u0001${draft.message}\u0001${draft.code ?? ''}\u0001${draft.at ?? ''}`;
    if (draft.data !== undefined) for (const k in draft.data) key += `\u0001${k}\u0002${typeof draft.data[k]}\u0002${draft.data[k]}`;
    let ev = this.rendered.get(key);
    if (ev === undefined) {
      ev = renderEvidence(rule, draft, this.lang);
      if (ev.data) Object.freeze(ev.data);
      Object.freeze(ev);
      if (this.rendered.size < SHARED_LIMIT) this.rendered.set(key, ev);
    }
    return ev;
  }

  classify(input: Subject): Classification {
    const reasons = readSubject(input, this.ctx.read, (t) => this.ctx.profileOf(t));
    const subject: Subject = { ...input, reasons };
    let best: { rule: Rule; strength: number; verdict: NonNullable<ReturnType<Rule['match']>> } | undefined;
    const others: SetAside[] = [];
    for (const rule of this.rules) {
      const verdict = rule.match(subject, this.ctx);
      if (!verdict) continue;
      const strength = verdict.strength ?? rule.meta.strength;
      if (!best || strength > best.strength) {
        if (best) others.push({ cause: best.verdict.cause, ruleId: best.rule.meta.id, strength: best.strength });
        best = { rule, strength, verdict };
      } else others.push({ cause: verdict.cause, ruleId: rule.meta.id, strength });
    }
    if (!best) throw new Error('no rule in the registry answered; the last rule must always match');
    this.hits.set(best.rule.meta.id, (this.hits.get(best.rule.meta.id) ?? 0) + 1);
    const setAside: SetAside[] = [];
    for (const o of others.sort((a, b) => b.strength - a.strength)) {
      if (o.cause !== best.verdict.cause && o.cause !== 'unknown' && !setAside.some((x) => x.cause === o.cause)) setAside.push(o);
    }
    const rule = best.rule;
    return {
      cause: best.verdict.cause,
      ruleId: rule.meta.id,
      strength: best.strength,
      evidence: best.verdict.evidence.map((d) => this.render(rule, d)),
      reasons,
      setAside: setAside.length ? setAside : (NOTHING_SET_ASIDE as SetAside[]),
    };
  }
}
