import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspect, InspectResult, renderInspect } from '../../src/inspect.js';

// The built binary, as a user runs it (npm test builds first).
const BIN = resolve('dist/src/cli.js');
const txlog = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TZ: 'America/New_York' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const dir = mkdtempSync(join(tmpdir(), 'txlog-inspect-'));
const PAN = '4111111111111111';
const GOOD = join(dir, 'good.csv');
writeFileSync(
  GOOD,
  `Umsatzliste Filiale 7\nterminal id;transaction time;amount;status;card number;message\nT1;25.03.2025 13:00:00;1.234,56;approved;${PAN};ok\nT2;26.03.2025 14:00:00;12,00;declined;${PAN};card ${PAN} declined\nT2;kaputt;12,00;approved;;\n`,
);
const AMBIGUOUS = join(dir, 'ambiguous.csv');
writeFileSync(AMBIGUOUS, 'terminal id;transaction time;amount;status\nT1;03.03.2025 08:00:00;149,00;approved\n');

describe('txlog inspect', () => {
  it('a file none of whose rows can be used is a problem (exit 1), not a run to suggest as it is', () => {
    const bad = join(dir, 'unusable.csv');
    writeFileSync(bad, 'terminalId,timestamp,amount,status\nT1,not a time,1.00,approved\nT1,nor this,1.00,approved\n');
    const r = txlog(['inspect', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/PROBLEM +none of its 2 rows can be used \(2 rejected\); most common reason: timestamp/);
    expect(r.stdout).toMatch(/then run +txlog analyze/);
  });

  it('a file with no rows (a header alone, blank lines, an empty array) is a problem, as analyze finds it', () => {
    for (const [name, text] of [['header.csv', 'terminalId,timestamp,amount,status\n'], ['blank.ndjson', '\n\n'], ['empty.json', '[]']]) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const r = txlog(['inspect', file]);
      expect(r.code, name).toBe(1);
      expect(r.stdout).toMatch(/PROBLEM +it holds no rows/);
      expect(txlog(['analyze', file, '--out', join(dir, `out-${name}`)]).code).toBe(2);
    }
  });

  it('prints what it detected, the rows it would reject and the command to run (exit 0)', () => {
    const r = txlog(['inspect', GOOD, '--tz', 'Europe/Berlin']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('delimiter ";"');
    expect(r.stdout).toContain('preamble   lines 1 (skipped)');
    expect(r.stdout).toContain('header     line 2: terminal id | transaction time | amount | status | card number | message');
    expect(r.stdout).toContain('cardRef     <- card number');
    expect(r.stdout).toMatch(/dates {6}dd\.MM\.yyyy HH:mm:ss \(day first: "25\.03\.2025 13:00:00" on line 3/);
    expect(r.stdout).toContain('decimal    "," ("1.234,56" on line 3 has a decimal comma)');
    expect(r.stdout).toContain('rows       4 read = 2 accepted + 1 rejected + 1 skipped');
    expect(r.stdout).toMatch(/1 x timestamp: .*kaputt.* \(first: line 5\)|1 x timestamp: .* \(first: line 5\)/);
    expect(r.stdout).toContain('timestamp=2025-03-25T13:00:00+01:00');
    expect(r.stdout).toContain(`run        txlog analyze ${GOOD} --tz Europe/Berlin`);
    expect(r.stdout).not.toContain(PAN);
  });

  it('--json is an InspectResult; card numbers masked there too', () => {
    const r = txlog(['inspect', GOOD, AMBIGUOUS, '--json']);
    // One file needs a fix: exit 1, and the result says which and how.
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain(PAN);
    const result = InspectResult.parse(JSON.parse(r.stdout));
    expect(result.files.map((f) => f.problem?.code ?? null)).toEqual([null, 'DATE_AMBIGUOUS']);
    expect(result.files[0].fields.find((f) => f.field === 'amount')).toEqual({ field: 'amount', source: 'amount', alternatives: [] });
    expect(result.files[1].mappingSkeleton).toMatchObject({ dateFormat: 'dd.MM.yyyy HH:mm:ss' });
  });

  it('a file that cannot be read at all: exit 2 with one message', () => {
    const r = txlog(['inspect', join(dir, 'nope.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('nope.csv');
  });
});

describe('inspect: rejects counted by kind', () => {
  it('for any short rows, prints the numbers their reasons have (one value or the range), never a placeholder', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }), async (widths) => {
        const p = join(dir, `short-${run++}.csv`);
        const full = ['T1', '2025-03-25 13:00:00', '1.00', 'approved', 'x'];
        writeFileSync(p, `terminalId,timestamp,amount,status,message\n${widths.map((w) => full.slice(0, w).join(',')).join('\n')}\n`);
        const r = await inspect([p], { tz: 'UTC' });
        const low = Math.min(...widths);
        const high = Math.max(...widths);
        const reason = `expected 5 columns, got ${low === high ? low : `${low}-${high}`}`;
        expect(r.files[0].rejects.byReason).toEqual([{ reason, count: widths.length, firstLine: 2 }]);
        expect(renderInspect(r)).toContain(`${widths.length} x ${reason} (first: line 2)`);
      }),
      { numRuns: 30 },
    );
  });
});
