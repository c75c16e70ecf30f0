import type { Evidence } from './model.js';
import type { Rule, RuleContext, Subject } from '../rules/types.js';
import type { CauseId } from '../rules/causes.js';

export interface Classification {
  cause: CauseId;
  ruleId: string;
  evidence: Evidence[];
}

/**
 * Runs the registry in order and takes the first verdict. The engine knows rules only through the list it
 * is given; the registry's last rule always answers, so nothing is dropped.
 */
export class Engine {
  readonly hits = new Map<string, number>();

  constructor(
    private readonly rules: readonly Rule[],
    private readonly ctx: RuleContext,
  ) {
    for (const rule of rules) this.hits.set(rule.meta.id, 0);
  }

  classify(subject: Subject): Classification {
    for (const rule of this.rules) {
      const verdict = rule.match(subject, this.ctx);
      if (verdict) {
        this.hits.set(rule.meta.id, (this.hits.get(rule.meta.id) ?? 0) + 1);
        return { cause: verdict.cause, ruleId: rule.meta.id, evidence: verdict.evidence };
      }
    }
    return { cause: 'unknown', ruleId: 'none', evidence: [{ source: 'context', text: 'no rule in the registry matched' }] };
  }
}
