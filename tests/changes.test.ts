import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { TxlogError } from '../src/errors.js';
import { generate } from '../src/generate.js';
import type { Report } from '../src/model.js';

const dir = mkdtempSync(join(tmpdir(), 'txlog-nights-'));
const AT = '2026-11-22T00:00:00Z';

async function night(n: number, baseline?: string): Promise<{ report: Report; truth: { newFaults: string[] } }> {
  const out = join(dir, `night${n}`);
  await generate({ out, terminals: 200, days: 1, seed: 5, start: '2026-11-16', tz: 'Asia/Shanghai', night: n, generatedAt: AT });
  const files = ['terminal.ndjson', 'events.ndjson', 'settlement.csv'].map((f) => join(out, f));
  const { report } = await analyze({ inputs: files, out: join(out, 'report'), tz: 'Asia/Shanghai', generatedAt: AT, baseline });
  return { report, truth: JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) };
}

describe('--baseline (night over night)', () => {
  it('reports the terminal whose fault began on night two', async () => {
    const first = await night(1);
    expect(first.report.changes).toBeNull();
    const second = await night(2, join(dir, 'night1/report/report.json'));
    const [newlyFaulty] = second.truth.newFaults;
    expect(newlyFaulty).toBeDefined();
    const changes = second.report.changes!;
    expect(changes.baseline.path).toBe(join(dir, 'night1/report/report.json'));
    // The new fault is named as a new root cause of that terminal, with its cause.
    const fresh = changes.newRootCauses.filter((r) => r.terminalId === newlyFaulty);
    expect(fresh.map((r) => r.cause)).toEqual([second.report.terminals.find((t) => t.terminalId === newlyFaulty)!.rootCauses[0].cause]);
    // Terminals that were already faulty on night one are not news.
    const old = new Set(first.report.terminals.filter((t) => t.rootCauses.length).map((t) => t.terminalId));
    for (const r of changes.newRootCauses) if (old.has(r.terminalId)) expect(first.report.terminals.find((t) => t.terminalId === r.terminalId)!.rootCauses.map((c) => c.cause)).not.toContain(r.cause);
    // A terminal listed as worse really did fail more often, significantly, net of fleet incidents.
    for (const r of changes.rose) {
      expect(r.after).toBeGreaterThanOrEqual(1.5 * r.before);
      expect(r.qValue).toBeLessThanOrEqual(0.05);
    }
  }, 120_000);

  it('refuses a file that is not a txlog report with exit-2 error naming it', async () => {
    const bad = join(dir, 'not-a-report.json');
    writeFileSync(bad, '{"hello": 1}');
    await expect(analyze({ inputs: ['fixtures/network-outage'], out: null, baseline: bad })).rejects.toThrow(TxlogError);
    await expect(analyze({ inputs: ['fixtures/network-outage'], out: null, baseline: bad })).rejects.toThrow(/--baseline .*not-a-report.json: not a txlog report.json/);
  });
});
