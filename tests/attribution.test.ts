import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { generate } from '../src/generate.js';
import type { Finding, Report } from '../src/model.js';
import { binomialUpperTail, wilson } from '../src/stats.js';

// One generated fleet, analyzed once; every test reads its outputs the way a user's script would.
const dir = mkdtempSync(join(tmpdir(), 'txlog-attr-'));
let report: Report;
let findings: Finding[];
let truth: { faultyTerminals: { terminalId: string; fault: string }[]; incidents: { start: string; end: string }[] };

beforeAll(async () => {
  await generate({ out: dir, terminals: 200, days: 2, seed: 11, start: '2026-11-16', tz: 'Asia/Shanghai', generatedAt: '2026-11-22T00:00:00Z' });
  await analyze({ inputs: [join(dir, 'terminal.ndjson'), join(dir, 'events.ndjson'), join(dir, 'settlement.csv')], out: join(dir, 'out'), tz: 'Asia/Shanghai', generatedAt: '2026-11-22T00:00:00Z' });
  report = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8'));
  findings = readFileSync(join(dir, 'out/findings.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
}, 120_000);

describe('root causes', () => {
  it('recomputes every number of every root cause from findings.ndjson and report.json', () => {
    const counted = findings.filter((f) => f.cause !== 'unknown' && f.incident === null);
    // Every (terminal, cause) pair tested: terminals with enough attempts, causes counted there.
    const pairs = new Set<string>();
    for (const t of report.terminals) {
      if (t.attempts < report.attribution.minAttempts || t.assessment === 'id_damaged') continue;
      for (const f of counted) if (f.terminalId === t.terminalId) pairs.add(`${t.terminalId}|${f.cause}`);
    }
    // Besides these, pairs tested on fault events alone (they share the Benjamini–Hochberg correction).
    expect(report.attribution.tests - report.attribution.eventTests).toBe(pairs.size);
    let checked = 0;
    for (const t of report.terminals) {
      for (const rc of t.rootCauses) {
        expect(rc.rate).toBeCloseTo(rc.findings / rc.attempts, 6);
        expect(rc.rateInterval).toEqual({ low: wilson(rc.findings, rc.attempts).low, high: wilson(rc.findings, rc.attempts).high });
        // fleetRate is rounded to 6 decimals in the report: compare relatively.
        if (rc.ratio !== null && rc.fleetRate > 1e-4) expect(Math.abs(rc.ratio / (rc.findings / rc.attempts / rc.fleetRate) - 1)).toBeLessThan(0.01);
        expect(Math.abs(rc.excess - (rc.findings - rc.attempts * rc.fleetRate))).toBeLessThan(0.2);
        expect(rc.testedRate).toBeGreaterThanOrEqual(rc.fleetRate - 1e-9);
        // p is the binomial tail at the tested rate, times the windows tried.
        expect(rc.pValue).toBeCloseTo(Math.min(1, binomialUpperTail(rc.findings, rc.attempts, rc.testedRate) * rc.windowsTested), 12);
        expect(rc.qValue).toBeGreaterThanOrEqual(rc.pValue * 0.999999);
        expect(rc.qValue).toBeLessThanOrEqual(report.attribution.alpha);
        expect(rc.baseline).toBe('fleet');
        checked++;
        // A root cause resting on fault events counts those, not findings (the numbers above still hold).
        if (rc.basis === 'events') continue;
        const mine = counted.filter((f) => f.terminalId === t.terminalId && f.cause === rc.cause);
        expect(rc.totalFindings).toBeLessThanOrEqual(mine.length);
        if (rc.scope !== 'period') {
          // The window's findings are there in findings.ndjson (cardholder retries count once, so at least as many).
          const inside = mine.filter((f) => f.timestamp! >= rc.window!.start && f.timestamp! <= rc.window!.end).length;
          expect(inside).toBeGreaterThanOrEqual(rc.findings);
        }
        for (const s of rc.signals) {
          const behind = mine.filter((f) => f.evidence.some((e) => e.source === s.source && e.code === s.code));
          const events = new Set(behind.flatMap((f) => f.evidence.filter((e) => e.source === 'event' && e.code === s.code).map((e) => `${f.terminalId}|${e.at}`)));
          expect(s.count).toBeLessThanOrEqual(s.source === 'event' ? events.size : behind.length);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('reports the injected fleet-wide outage as an issuer_platform incident, and as no terminal\'s root cause', () => {
    const outage = truth.incidents[0];
    const seen = report.incidents.find((i) => i.causes.includes('issuer_platform') && i.start < outage.end.replace('.000', '') && i.end > outage.start.replace('.000', ''));
    expect(seen).toBeDefined();
    expect(seen!.terminals.length).toBeGreaterThan(50);
    expect(report.terminals.flatMap((t) => t.rootCauses.map((r) => r.cause))).not.toContain('issuer_platform');
    // Its findings carry the incident's id, so a reader can tell them apart.
    expect(findings.filter((f) => f.incident === seen!.id).length).toBe(seen!.failures);
  });

  it('names the injected fault as the top root cause of most faulty terminals and leaves healthy ones alone', () => {
    const faulty = new Map(truth.faultyTerminals.map((f) => [f.terminalId, f.fault]));
    let right = 0;
    for (const [id, fault] of faulty) if (report.terminals.find((t) => t.terminalId === id)?.rootCauses[0]?.cause === fault) right++;
    expect(right / faulty.size).toBeGreaterThanOrEqual(0.9);
    // Settlement faults are injected per merchant, not per terminal: their root causes are real, not false alarms.
    const merchantSide = new Set(['merchant_account', 'merchant_risk']);
    const healthy = report.terminals.filter((t) => !faulty.has(t.terminalId));
    const falseAlarms = healthy.filter((t) => t.rootCauses.some((r) => !merchantSide.has(r.cause)));
    expect(falseAlarms.length / healthy.length).toBeLessThanOrEqual(0.03);
  });

  it('says so instead of guessing when a terminal has too few attempts', () => {
    for (const t of report.terminals.filter((x) => x.attempts < report.attribution.minAttempts)) {
      expect(t.assessment).toBe('insufficient_data');
      expect(t.rootCauses).toEqual([]);
    }
  });
});
