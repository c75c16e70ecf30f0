// TabFormer's `Errors?` column: every reason, alone and joined with others, in every entry mode, lands in
// the cause it means. Constructed rows (header of the real export) hold without ../shared/samples; the
// real file is checked value by value when it is there.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { CAUSE_BY_ID } from '../../rules/causes.js';
import type { Finding } from '../../src/model.js';

const HEADER = 'User,Card,Year,Month,Day,Time,Amount,Use Chip,Merchant Name,Merchant City,Merchant State,Zip,MCC,Errors?,Is Fraud?';
const MODES = { swipe: 'Swipe Transaction', chip: 'Chip Transaction', online: 'Online Transaction' } as const;
type Mode = keyof typeof MODES;

/** Errors? text -> cause per entry mode (one cause: the same in every mode). */
const EXPECTED: [string, string | Record<Mode, string>][] = [
  ['Insufficient Balance', 'cardholder_account'],
  ['Bad PIN', 'input_error'],
  // Typed by hand (online) it is the cardholder's input; read from the stripe or chip it is the card's data.
  ['Bad Card Number', { swipe: 'card', chip: 'card', online: 'input_error' }],
  ['Bad Expiration', { swipe: 'card', chip: 'card', online: 'input_error' }],
  // CVV2 and postcode are always typed by the cardholder, whatever read the card.
  ['Bad CVV', 'input_error'],
  ['Bad Zipcode', 'input_error'],
  // Not the cardholder's doing: the issuer's or the platform's (generic, so context may reinterpret it).
  ['Technical Glitch', 'issuer_platform'],
  // Several reasons: the most specific decides; equally specific, the one an authorization checks first.
  ['Bad PIN,Insufficient Balance', 'input_error'],
  ['Bad PIN,Technical Glitch', 'input_error'],
  ['Insufficient Balance,Technical Glitch', 'cardholder_account'],
  ['Bad Card Number,Insufficient Balance', { swipe: 'card', chip: 'card', online: 'input_error' }],
  ['Bad Expiration,Insufficient Balance', { swipe: 'card', chip: 'card', online: 'input_error' }],
  ['Bad CVV,Insufficient Balance', 'input_error'],
  ['Bad Card Number,Bad Expiration', { swipe: 'card', chip: 'card', online: 'input_error' }],
  ['Bad Zipcode,Insufficient Balance', 'input_error'],
  ['Bad CVV,Bad PIN,Insufficient Balance', 'input_error'],
];
/** Reasons every Errors? part must be read as (each one in the finding's evidence). */
const PART_REASON: Record<string, string> = {
  'Insufficient Balance': 'insufficient_funds',
  'Bad PIN': 'wrong_pin',
  'Bad Card Number': 'invalid_card_number',
  'Bad Expiration': 'wrong_expiry',
  'Bad CVV': 'wrong_cvv',
  'Bad Zipcode': 'wrong_zip',
  'Technical Glitch': 'system_malfunction',
};

const expectedCause = (errors: string, mode: Mode): string => {
  const e = EXPECTED.find(([t]) => t === errors)![1];
  return typeof e === 'string' ? e : e[mode];
};

const quote = (s: string) => (s.includes(',') ? `"${s}"` : s);

async function findingsOf(file: string): Promise<Finding[]> {
  return (await analyze({ inputs: [file], out: null, generatedAt: '2026-01-01T00:00:00Z' })).findings.toArray();
}

describe('TabFormer Errors? (constructed rows from the documented header)', () => {
  let findings: Finding[] = [];
  const rows: { line: number; errors: string; mode: Mode }[] = [];
  beforeAll(async () => {
    const lines = [HEADER];
    let day = 0;
    // Many approved rows around the failures, one failure a day: no burst for context rules to read.
    for (const [errors] of EXPECTED) {
      for (const mode of Object.keys(MODES) as Mode[]) {
        day++;
        const d = new Date(Date.UTC(2019, 0, 1) + day * 86_400_000);
        const date = `${d.getUTCFullYear()},${d.getUTCMonth() + 1},${d.getUTCDate()}`;
        for (let k = 0; k < 3; k++) lines.push(`0,0,${date},1${k}:00,$20.00,${MODES[mode]},${100 + (day % 7)},City,CA,91750,5411,,No`);
        lines.push(`0,0,${date},15:30,$42.00,${MODES[mode]},${100 + (day % 7)},City,CA,91750,5411,${quote(errors)},No`);
        rows.push({ line: lines.length, errors, mode });
      }
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'txlog-tabformer-'));
    const file = path.join(dir, 'tabformer.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    findings = await findingsOf(file);
  });

  it('reads the file as TabFormer and finds every failure', () => {
    expect(findings).toHaveLength(rows.length);
  });

  it.each(EXPECTED.map(([errors]) => errors))('%s: the right cause in every entry mode', (errors) => {
    for (const r of rows.filter((x) => x.errors === errors)) {
      const f = findings.find((x) => x.src?.line === r.line)!;
      expect(f, `line ${r.line}`).toBeDefined();
      expect(f.entryMode).toBe(r.mode === 'online' ? 'manual' : r.mode);
      expect(`${r.mode}: ${f.cause}`).toBe(`${r.mode}: ${expectedCause(errors, r.mode)}`);
      // Every reason of the text is kept: in the finding's reasons and in its evidence.
      const parts = errors.split(',');
      expect(new Set(f.reasons.map((h) => h.reason))).toEqual(new Set(parts.map((p) => PART_REASON[p])));
      const evidenceReasons = new Set(f.evidence.map((e) => String(e.data?.reason ?? '')));
      for (const p of parts) expect(evidenceReasons, `${errors} (${r.mode}) evidence`).toContain(PART_REASON[p]);
      expect(f.message).toBe(errors);
    }
  });

  it('a technical glitch is never put on the cardholder', () => {
    for (const r of rows.filter((x) => x.errors === 'Technical Glitch')) {
      const f = findings.find((x) => x.src?.line === r.line)!;
      expect(CAUSE_BY_ID.get(f.cause as never)!.whoActs).not.toContain('cardholder');
    }
  });
});

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLE = path.resolve(repoRoot, '../shared/samples/tabformer_User0_credit_card_transactions.csv');
const haveSample = existsSync(SAMPLE);
if (!haveSample) console.warn(`skipping the TabFormer sample counts: ${SAMPLE} is absent`);

describe.skipIf(!haveSample)('TabFormer sample (19,963 rows): counts per Errors? value and cause', () => {
  it('every Errors? value in its cause, keyed ones included', async () => {
    const findings = await findingsOf(SAMPLE);
    const counts: Record<string, Record<string, number>> = {};
    for (const f of findings) {
      const key = `${f.message ?? ''} | ${f.entryMode}`;
      (counts[key] ??= {})[f.cause] = (counts[key][f.cause] ?? 0) + 1;
    }
    expect(counts).toEqual({
      'Insufficient Balance | swipe': { cardholder_account: 395 },
      'Insufficient Balance | chip': { cardholder_account: 56 },
      'Insufficient Balance | manual': { cardholder_account: 18 },
      'Technical Glitch | swipe': { issuer_platform: 36 },
      'Technical Glitch | chip': { issuer_platform: 8 },
      'Technical Glitch | manual': { issuer_platform: 2 },
      'Bad PIN | swipe': { input_error: 25 },
      'Bad PIN | chip': { input_error: 17 },
      'Bad Expiration | manual': { input_error: 9 },
      'Bad Card Number | manual': { input_error: 4 },
      'Bad CVV | manual': { input_error: 2 },
      'Bad PIN,Insufficient Balance | swipe': { input_error: 1 },
      'Bad PIN,Technical Glitch | swipe': { input_error: 1 },
    });
    const both = findings.find((f) => f.message === 'Bad PIN,Insufficient Balance')!;
    expect(both.reasons.map((r) => r.reason)).toEqual(['wrong_pin', 'insufficient_funds']);
    expect(both.evidence.map((e) => e.data?.reason)).toEqual(['wrong_pin', 'insufficient_funds']);
  }, 60_000);
});
