// Words that say nothing ("失败", "error", "please try again later") never decide a message, not even
// through the word model: "支付失败" is read from "支付" alone, so the 失败 every failure text carries does not
// steer a guess. Checked over the shipped vocabulary's own texts joined with each such phrase.
import { describe, expect, it } from 'vitest';
import { builtinTables, makeLookups } from '../../rules/tables.js';
import { REASON_BY_ID } from '../../rules/reasons.js';

const tables = builtinTables();
const read = makeLookups(tables).read;
const top = (t: string) => {
  const h = read.message(t, 'iso')[0];
  return h && h.reason !== 'uninformative' ? REASON_BY_ID.get(h.reason)!.cause : 'unknown';
};
const uninformative = tables.phrases.filter((g) => g.reason === 'uninformative').flatMap((g) => [...g.en, ...g.zh]).filter((t) => !t.includes('*'));

describe('words that say nothing', () => {
  it('are set aside before the word model guesses', () => {
    expect(read.wordsOf('支付失败').trim()).toBe('支付');
    expect(read.wordsOf('Unknown frobnication, please try again later').includes('try')).toBe(false);
    expect(read.wordsOf('Frobnicator offline')).toBe('Frobnicator offline');
  });

  it('a word no phrase knows, joined with one, reads as that word alone', () => {
    let n = 0;
    for (const w of ['兑换', '同步', '上报', '绑定', 'widget sync', 'frobnication', 'ledger export']) {
      const alone = top(w);
      for (const u of uninformative) {
        // Chinese writes no space between words, and none before a Latin word either ("兑换no action taken").
        for (const joined of [...(/^[a-z]/.test(w) ? [] : [`${w}${u}`]), `${w} ${u}`, `${u}: ${w}`]) {
          if (read.message(joined, 'iso').some((h) => !h.guessed && h.reason !== 'uninformative')) continue;
          n++;
          expect(top(joined), joined).toBe(alone);
        }
      }
    }
    expect(n).toBeGreaterThan(300);
  });

  it('adding one to a text never changes the cause it reads as', () => {
    // Texts of every kind: the tables' own descriptions (read by phrase, by description, or guessed).
    const texts = Object.values(tables.responseCodes.iso).flatMap((e) => [e.en, e.zh]).filter((t): t is string => !!t);
    let n = 0;
    for (const [i, t] of texts.entries()) {
      const u = uninformative[i % uninformative.length];
      // A table description read as the whole message is no longer one once anything is added.
      if (read.message(t, 'iso').some((h) => h.text.startsWith('the whole message'))) continue;
      const alone = top(t);
      for (const joined of [`${t}, ${u}`, `${u}: ${t}`]) {
        // A joined text whose words form a new phrase across the seam is another text.
        if (read.message(joined, 'iso').some((h) => !h.guessed && h.reason !== 'uninformative' && !read.message(t, 'iso').some((x) => x.reason === h.reason))) continue;
        n++;
        expect(top(joined), joined).toBe(alone);
      }
    }
    expect(n).toBeGreaterThan(100);
  });
});
