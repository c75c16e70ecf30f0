import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { generate } from '../src/generate.js';
import type { Finding, Report } from '../src/model.js';
import { benjaminiHochberg, fisherExactGreater, wilson } from '../src/stats.js';

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
  it('recomputes every number of every root cause from findings.ndjson and the attempts in report.json', () => {
    const counted = findings.filter((f) => f.cause !== 'unknown' && f.incident === null);
    const fleetAttempts = report.terminals.reduce((s, t) => s + t.attempts, 0);
    const byCause = new Map<string, number>();
    for (const f of counted) byCause.set(f.cause, (byCause.get(f.cause) ?? 0) + 1);

    // Every (terminal, cause) pair the analyzer tested: terminals with enough attempts, causes seen there.
    const pairs: { terminalId: string; cause: string; k: number; n: number; p: number }[] = [];
    for (const t of report.terminals) {
      if (t.attempts < report.attribution.minAttempts) continue;
      const here = new Map<string, number>();
      for (const f of counted) if (f.terminalId === t.terminalId) here.set(f.cause, (here.get(f.cause) ?? 0) + 1);
      for (const [cause, k] of here) {
        const restK = byCause.get(cause)! - k;
        const restN = fleetAttempts - t.attempts;
        pairs.push({ terminalId: t.terminalId, cause, k, n: t.attempts, p: fisherExactGreater(k, Math.max(0, t.attempts - k), restK, Math.max(0, restN - restK)) });
      }
    }
    expect(report.attribution.tests).toBe(pairs.length);
    const q = benjaminiHochberg(pairs.map((x) => x.p));

    let checked = 0;
    for (const t of report.terminals) {
      for (const rc of t.rootCauses) {
        const i = pairs.findIndex((x) => x.terminalId === t.terminalId && x.cause === rc.cause);
        const pair = pairs[i];
        const restRate = (byCause.get(rc.cause)! - pair.k) / (fleetAttempts - t.attempts);
        expect(rc.findings).toBe(pair.k);
        expect(rc.attempts).toBe(t.attempts);
        expect(rc.rate).toBeCloseTo(pair.k / t.attempts, 6);
        expect(rc.fleetRate).toBeCloseTo(restRate, 6);
        expect(rc.rateInterval).toEqual({ low: wilson(pair.k, t.attempts).low, high: wilson(pair.k, t.attempts).high });
        expect(rc.pValue).toBe(pair.p);
        expect(rc.qValue).toBe(q[i]);
        expect(rc.qValue).toBeLessThanOrEqual(report.attribution.alpha);
        if (rc.ratio !== null) expect(rc.ratio).toBeCloseTo(pair.k / t.attempts / restRate, 2);
        expect(rc.excess).toBeCloseTo(pair.k - t.attempts * restRate, 1);
        const mine = counted.filter((f) => f.terminalId === t.terminalId && f.cause === rc.cause);
        for (const s of rc.signals) {
          const behind = mine.filter((f) => f.evidence.some((e) => e.source === s.source && e.code === s.code));
          // Codes count the findings that carry them; events count themselves (one event can explain many findings).
          const events = new Set(behind.flatMap((f) => f.evidence.filter((e) => e.source === 'event' && e.code === s.code).map((e) => `${f.terminalId}|${e.at}`)));
          expect(s.count).toBe(s.source === 'event' ? events.size : behind.length);
        }
        if (rc.window) {
          const inside = mine.filter((f) => f.timestamp! >= rc.window!.start && f.timestamp! <= rc.window!.end).length;
          expect(inside).toBeGreaterThanOrEqual(rc.window.findings);
          expect(rc.window.share).toBeCloseTo(rc.window.findings / mine.length, 3);
        }
        checked++;
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
