// A bare refusal ("not allowed", "not supported", 不允许, 不支持) names no subject: alone it is configuration
// (a function not enabled), but beside a phrase that says who or what refuses it (日切中, the card, the
// terminal) that phrase decides; beside something done (cancel, 3-D Secure, recurring, pre-authorization:
// reasons that declare refusedAs) it is that function not enabled. Checked on every plain phrase of the
// shipped vocabulary.
import { describe, expect, it } from 'vitest';
import { builtinTables, makeLookups } from '../../rules/tables.js';
import { REASON_BY_ID, S } from '../../rules/reasons.js';

const tables = builtinTables();
const read = makeLookups(tables).read;
const causeOf = (t: string) => REASON_BY_ID.get(read.message(t, 'iso')[0]?.reason ?? '')?.cause;

/** Plain English phrases read alone as their own reason. */
function plain(keep: (reason: string) => boolean) {
  return tables.phrases
    .filter((g) => keep(g.reason))
    .flatMap((g) => g.en.filter((x) => /^[a-z][a-z ]*[a-z]$/.test(x)).map((text) => ({ text, reason: g.reason })))
    .filter((p) => {
      const h = read.message(p.text, 'iso');
      return h.length === 1 && h[0].reason === p.reason && !h[0].guessed;
    });
}

describe('bare refusals', () => {
  it('alone, a refusal with no subject is configuration', () => {
    for (const t of ['Not allowed', 'NOT SUPPORTED', 'Operation not permitted.', '不允许', '暂不支持', '不允許']) expect(causeOf(t), t).toBe('configuration');
  });

  it('the subject decides: the card, the terminal, the cutover', () => {
    expect(causeOf('Transaction not allowed')).toBe('card');
    expect(causeOf('交易不允許')).toBe('card');
    expect(causeOf('Transaction not allowed at terminal')).toBe('configuration');
    expect(causeOf('日切中，不允许交易')).toBe('cutoff');
  });

  it('never outweighs a specific reading that does not declare refusedAs', () => {
    let n = 0;
    for (const p of plain((r) => REASON_BY_ID.get(r)!.strength > S.generic && !REASON_BY_ID.get(r)!.refusedAs && !REASON_BY_ID.get(r)!.residual)) {
      for (const t of [`${p.text}, not allowed`, `${p.text}: not supported`]) {
        const hits = read.message(t, 'iso');
        if (!hits.some((h) => h.reason === p.reason && h.code === p.text)) continue; // the words joined into another phrase
        n++;
        expect(REASON_BY_ID.get(hits[0].reason)!.cause, t).toBe(REASON_BY_ID.get(p.reason)!.cause);
      }
    }
    expect(n).toBeGreaterThan(500);
  });

  it('beside something done it is that function not enabled', () => {
    const list = plain((r) => !!REASON_BY_ID.get(r)!.refusedAs);
    expect(list.length).toBeGreaterThan(10);
    for (const p of list) {
      const hits = read.message(`${p.text} not supported`, 'iso');
      if (!hits.some((h) => h.reason === REASON_BY_ID.get(p.reason)!.refusedAs || h.reason === p.reason)) continue;
      expect(hits[0].reason, `${p.text} not supported`).toBe(REASON_BY_ID.get(p.reason)!.refusedAs);
    }
    expect(causeOf('3-D Secure IVR: Not Supported')).toBe('configuration');
    expect(causeOf('支付渠道不支持取消')).toBe('configuration');
  });

  it('beside a kind of card it is that card not supported; a kind of card alone names nothing', () => {
    // Named devices (failsAs) and fields (invalidAs) have their own test (named-subject.property.test.ts), as do
    // round 9's steps that only time out (timeoutAs: round9-mechanisms.test.ts).
    const kinds = tables.phrases.filter((g) => REASON_BY_ID.get(g.reason)!.subject && !REASON_BY_ID.get(g.reason)!.failsAs && !REASON_BY_ID.get(g.reason)!.invalidAs && !REASON_BY_ID.get(g.reason)!.timeoutAs);
    expect(kinds.length).toBeGreaterThan(0);
    let n = 0;
    for (const g of kinds) {
      for (const p of g.en.filter((x) => /^[a-z][a-z ]*[a-z]$/.test(x))) {
        n++;
        expect(read.message(p, 'iso').filter((h) => REASON_BY_ID.get(h.reason)!.subject), p).toEqual([]);
        expect(causeOf(`${p} not supported`), `${p} not supported`).toBe('card');
      }
      for (const p of g.zh) expect(causeOf(`不支持${p}`), `不支持${p}`).toBe('card');
    }
    expect(n).toBeGreaterThan(10);
    // What a text says beside a kind of card still decides.
    expect(REASON_BY_ID.get(read.message('Credit card expired', 'iso')[0].reason)!.id).toBe('expired_card');
    expect(read.message('Prepaid card', 'iso').filter((h) => h.reason !== 'uninformative')).toEqual([]);
  });
});
