// Every code table's descriptions are read as messages by construction (rules/vocabulary.ts): a terminal
// that logs "Do not honour" or "无效商户" instead of the code gets the code's reason. The phrase list must
// not read a description as another cause, or a message and its own code disagree about the same words.
import { describe, expect, it } from 'vitest';
import { builtinTables, makeLookups } from '../../rules/tables.js';
import { REASON_BY_ID } from '../../rules/reasons.js';
import type { CodeEntry } from '../../rules/types.js';

const tables = builtinTables();
const read = makeLookups(tables).read;
const causeOf = (reason: string) => REASON_BY_ID.get(reason)?.cause;

/**
 * Where the words and the code knowingly part: ISO 94 / 913 (1993) / CMF 9113 "Duplicate transmission" is the terminal
 * reusing trace numbers by code (terminal_software, as tests/rules/tables.test.ts pins), while the words
 * alone are a duplicate (reconciliation, as UnionPay's 94 重复交易 reads).
 */
const KNOWN: Record<string, string> = { 'iso 94': 'reconciliation', 'iso 913': 'reconciliation', 'jpos 9113': 'reconciliation' };

function entries(): { where: string; entry: CodeEntry; profile: string }[] {
  const out: { where: string; entry: CodeEntry; profile: string }[] = [];
  for (const [p, t] of Object.entries(tables.responseCodes)) for (const [k, e] of Object.entries(t)) out.push({ where: `${p} ${k}`, entry: e, profile: p });
  for (const [k, e] of Object.entries(tables.errorCodes)) out.push({ where: `errorCodes ${k}`, entry: e, profile: 'iso' });
  for (const [k, e] of Object.entries(tables.settlementReasons)) out.push({ where: `settlementReasons ${k}`, entry: e, profile: 'iso' });
  return out;
}

describe('table descriptions read as messages', () => {
  it('give their own entry\'s cause, unless the words alone say nothing', () => {
    const all = entries().filter((x) => x.entry.cause !== 'approved');
    // A description several entries share with different causes cannot decide alone.
    const causes = new Map<string, Set<string>>();
    for (const x of entries()) for (const t of [x.entry.en, x.entry.zh]) if (t) causes.set(t, (causes.get(t) ?? new Set()).add(x.entry.cause));
    const wrong: string[] = [];
    let n = 0;
    for (const x of all) {
      for (const text of [x.entry.en, x.entry.zh]) {
        if (!text || causes.get(text)!.size > 1) continue;
        n++;
        const hits = read.message(text, x.profile);
        const best = hits.find((h) => h.reason !== 'uninformative');
        if (!best) continue; // "Error", "出错", "Re-enter transaction": the code says more than its words
        const got = causeOf(best.reason);
        if (got !== x.entry.cause && KNOWN[x.where] !== got) wrong.push(`${x.where} "${text}": ${x.entry.cause}, read as ${got} (${best.code})`);
      }
    }
    expect(n).toBeGreaterThan(500);
    expect(wrong).toEqual([]);
  });
});
