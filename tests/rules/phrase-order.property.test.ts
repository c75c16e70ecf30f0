// How equally strong reasons in one message are ranked: within one clause the more specific phrase leads
// ("fallback to magnetic stripe not possible" is the fallback, not "not possible"), wherever it stands; in a
// list ("Bad PIN,Insufficient Balance") the order of the items says nothing. Checked on pairs of phrases
// drawn from the shipped vocabulary (seeded, so a failure repeats).
import { describe, expect, it } from 'vitest';
import { builtinTables, makeLookups } from '../../rules/tables.js';
import { REASON_BY_ID } from '../../rules/reasons.js';
import { normalizeText } from '../../rules/lib/matcher.js';

const tables = builtinTables();
const read = makeLookups(tables).read;
const CJK = /[\u3400-\u9fff]/;
const weight = (s: string) => [...s].reduce((w, ch) => w + (CJK.test(ch) ? 2 : /\s/.test(ch) ? 0 : 1), 0);
const strength = (r: string) => REASON_BY_ID.get(r)!.strength;

// Plain English phrases (no stems, no separators inside), each read alone as its own reason.
const phrases = tables.phrases
  .flatMap((g) => g.en.map((text) => ({ text, reason: g.reason })))
  .filter((p) => /^[a-z][a-z ]*[a-z]$/.test(p.text) && REASON_BY_ID.get(p.reason)!.cause !== 'unknown')
  .filter((p) => {
    const h = read.message(p.text, 'iso');
    return h.length === 1 && h[0].reason === p.reason && !h[0].guessed;
  });

function rng(seed: number) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

/** Pairs of equally strong phrases of different reasons that read as exactly those two phrases, in both orders. */
function pairs(n: number, join: string) {
  const rand = rng(8);
  const out: { a: (typeof phrases)[number]; b: (typeof phrases)[number] }[] = [];
  for (let tries = 0; out.length < n && tries < n * 200; tries++) {
    const a = phrases[Math.floor(rand() * phrases.length)];
    const b = phrases[Math.floor(rand() * phrases.length)];
    if (a.reason === b.reason || strength(a.reason) !== strength(b.reason)) continue;
    const ok = [`${a.text}${join}${b.text}`, `${b.text}${join}${a.text}`].every((t) => {
      const hs = read.message(t, 'iso');
      const got = hs.map((h) => `${h.reason}:${h.code}`).sort().join();
      return hs.length === 2 && got === [`${a.reason}:${a.text}`, `${b.reason}:${b.text}`].sort().join();
    });
    if (ok) out.push({ a, b });
  }
  return out;
}

describe('equally strong reasons in one message', () => {
  it('in one clause, the more specific phrase leads in either word order', () => {
    const list = pairs(300, ' ').filter(({ a, b }) => weight(normalizeText(a.text)) !== weight(normalizeText(b.text)));
    expect(list.length).toBeGreaterThan(100);
    for (const { a, b } of list) {
      const specific = weight(a.text) > weight(b.text) ? a : b;
      for (const t of [`${a.text} ${b.text}`, `${b.text} ${a.text}`]) expect(read.message(t, 'iso')[0].reason, t).toBe(specific.reason);
    }
  });

  it('in a list, the order of the items says nothing', () => {
    for (const join of [', ', '; ', ',', ' / ']) {
      const list = pairs(200, join);
      expect(list.length).toBeGreaterThan(100);
      for (const { a, b } of list) {
        const one = read.message(`${a.text}${join}${b.text}`, 'iso')[0].reason;
        expect(read.message(`${b.text}${join}${a.text}`, 'iso')[0].reason, `${a.text}${join}${b.text}`).toBe(one);
      }
    }
  });
});
