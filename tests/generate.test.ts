import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CauseId } from '../rules/causes.js';
import { generate, type GenerateOptions } from '../src/generate.js';

const FILES = ['terminal.ndjson', 'events.ndjson', 'settlement.csv', 'truth.ndjson', 'truth.json'];
const OUTCOMES = ['declined', 'failed', 'timeout', 'terminated', 'unsettled', 'settlement_failed', 'amount_mismatch', 'orphan_settlement', 'duplicate'];
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

const root = mkdtempSync(join(tmpdir(), 'txlog-gen-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');
const ndjson = (dir: string, file: string): Record<string, unknown>[] =>
  read(dir, file).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

/** Offset of `tz` at an instant, as `+HH:MM`, computed independently of the generator. */
function offsetOf(instant: number, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const minutes = Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

describe('generate', () => {
  const fleet: GenerateOptions = { out: join(root, 'fleet'), terminals: 40, days: 2, seed: 7, start: '2026-11-20', tz: 'Asia/Shanghai' };

  beforeAll(async () => {
    await generate(fleet);
  });

  it('is deterministic: the same options give byte-identical files', async () => {
    const small = { terminals: 8, days: 2, seed: 123, start: '2026-11-20', tz: 'Asia/Shanghai', transactions: 3000, generatedAt: '2026-11-22T00:00:00Z' };
    const a = join(root, 'a');
    const b = join(root, 'b');
    await generate({ ...small, out: a });
    await generate({ ...small, out: b });
    for (const f of FILES) expect(read(a, f), f).toBe(read(b, f));
    const c = join(root, 'c');
    await generate({ ...small, seed: 124, out: c });
    expect(read(c, 'terminal.ndjson')).not.toBe(read(a, 'terminal.ndjson'));
  });

  it('writes exactly the requested number of transactions', async () => {
    const dir = join(root, 'count');
    const summary = await generate({ out: dir, terminals: 5, days: 3, seed: 1, start: '2026-11-20', tz: 'UTC', transactions: 1234 });
    expect(summary.transactions).toBe(1234);
    expect(ndjson(dir, 'terminal.ndjson')).toHaveLength(1234);
    expect(read(fleet.out, 'terminal.ndjson').split('\n').filter(Boolean)).toHaveLength(40 * 2 * 120);
  });

  it('injects every cause except unknown, with valid outcomes', () => {
    const truth = ndjson(fleet.out, 'truth.ndjson');
    const causes = new Set(truth.map((t) => t.cause));
    const expected = CauseId.options.filter((c) => c !== 'unknown');
    for (const c of expected) expect(causes, c).toContain(c);
    for (const t of truth) {
      expect(expected).toContain(t.cause);
      expect(OUTCOMES).toContain(t.outcome);
      expect(typeof t.terminalId).toBe('string');
      expect(Boolean(t.txnId) || Boolean(t.rrn)).toBe(true);
    }
    const summary = JSON.parse(read(fleet.out, 'truth.json')) as { counts: { truthCases: number; byCause: Record<string, number> } };
    expect(summary.counts.truthCases).toBe(truth.length);
    expect(Object.values(summary.counts.byCause).reduce((a, b) => a + b, 0)).toBe(truth.length);
  });

  it('never writes a full PAN', () => {
    // The analyzer masks 13-19 digit runs (spaces or dashes between digits allowed): no id may look like one.
    for (const f of FILES) expect(read(fleet.out, f), f).not.toMatch(/(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/);
    for (const t of ndjson(fleet.out, 'terminal.ndjson')) expect(t.cardRef).toMatch(/^\d{6}\*{6}\d{4}$/);
  });

  it('writes ISO 8601 timestamps with the zone offset', () => {
    const rows = [...ndjson(fleet.out, 'terminal.ndjson'), ...ndjson(fleet.out, 'events.ndjson')];
    for (const r of rows) {
      const ts = r.timestamp as string;
      expect(ts).toMatch(ISO_WITH_OFFSET);
      expect(Number.isNaN(Date.parse(ts))).toBe(false);
      expect(ts.endsWith('+08:00')).toBe(true);
    }
  });

  it('follows a DST change in the given zone', async () => {
    const dir = join(root, 'dst');
    const tz = 'America/New_York';
    await generate({ out: dir, terminals: 6, days: 3, seed: 5, start: '2026-10-31', tz, transactions: 1500 });
    const offsets = new Set<string>();
    for (const r of [...ndjson(dir, 'terminal.ndjson'), ...ndjson(dir, 'events.ndjson')]) {
      const ts = r.timestamp as string;
      expect(ts).toMatch(ISO_WITH_OFFSET);
      const off = ts.slice(-6);
      expect(off).toBe(offsetOf(Date.parse(ts), tz));
      offsets.add(off);
    }
    expect([...offsets].sort()).toEqual(['-04:00', '-05:00']);
  });

  it('settles approved money-moving transactions and records every failure in truth', () => {
    const txns = ndjson(fleet.out, 'terminal.ndjson');
    const truth = ndjson(fleet.out, 'truth.ndjson');
    const truthIds = new Set(truth.map((t) => t.txnId).filter(Boolean));
    const orphanRrns = new Set(truth.filter((t) => t.outcome === 'orphan_settlement').map((t) => t.rrn));
    const rrns = new Set<string>();
    for (const t of txns) {
      if (typeof t.rrn === 'string') {
        expect(t.rrn).toMatch(/^\d{12}$/);
        expect(rrns.has(t.rrn)).toBe(false);
        rrns.add(t.rrn);
      }
      if (t.status !== 'approved') expect(truthIds.has(t.txnId), String(t.txnId)).toBe(true);
    }
    const [header, ...rows] = read(fleet.out, 'settlement.csv').split('\n').filter(Boolean);
    expect(header).toBe('txnId,rrn,terminalId,merchantId,settlementDate,batchId,amount,currency,status,reasonCode,message');
    const settled = new Set<string>();
    for (const line of rows) {
      const cells = line.split(',');
      expect(cells).toHaveLength(11);
      const rrn = cells[1];
      expect(rrns.has(rrn) || orphanRrns.has(rrn), rrn).toBe(true);
      expect(['settled', 'failed', 'rejected', 'held', 'pending']).toContain(cells[8]);
      expect(cells[4]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (cells[8] === 'settled') settled.add(rrn);
    }
    const voided = new Set(txns.filter((t) => t.type === 'void').map((t) => t.origTxnId));
    for (const t of txns) {
      const moneyMoving = t.status === 'approved' && ['sale', 'refund', 'completion'].includes(t.type as string) && !voided.has(t.txnId);
      if (moneyMoving && !settled.has(t.rrn as string)) expect(truthIds.has(t.txnId), String(t.txnId)).toBe(true);
    }
    for (const o of orphanRrns) expect(rrns.has(o as string)).toBe(false);
  });

  interface TruthTerminal {
    terminalId: string;
    merchantId: string;
    rootCause: string | null;
    faults: { cause: string; fromDay: number; toDay: number; fromTime?: string; toTime?: string; variant?: string; sinceNight?: number }[];
    merchantFaults: { cause: string; day: number }[];
    attempts: number;
    injected?: number;
    detectable?: boolean;
  }
  interface TruthSummary {
    night: number;
    newFaults: string[];
    terminals: TruthTerminal[];
    merchants: { merchantId: string; cause: string; day: number }[];
    faultyTerminals: { terminalId: string; fault: string }[];
    incidents: { start: string; end: string }[];
    cutovers: { start: string; end: string }[];
    options: { nightStart: string };
  }
  const summaryOf = (dir: string): TruthSummary => JSON.parse(read(dir, 'truth.json')) as TruthSummary;
  // A PIN pad that garbles PINs is the terminal's hardware, so seven fault profiles give six causes.
  const TERMINAL_CAUSES = ['network', 'terminal_hardware', 'terminal_software', 'configuration', 'environment', 'cutoff'];

  it('records per-terminal ground truth for every terminal, a quarter of them faulty', () => {
    const truth = summaryOf(fleet.out);
    const txns = ndjson(fleet.out, 'terminal.ndjson');
    const ids = [...new Set(txns.map((t) => t.terminalId as string))].sort();
    expect(truth.terminals.map((t) => t.terminalId).sort()).toEqual(ids);
    const attempts = new Map<string, number>();
    for (const t of txns) attempts.set(t.terminalId as string, (attempts.get(t.terminalId as string) ?? 0) + 1);
    const merchantOf = new Map(txns.map((t) => [t.terminalId as string, t.merchantId as string]));
    const faulty = truth.terminals.filter((t) => t.rootCause !== null);
    expect(faulty).toHaveLength(Math.ceil(40 / 4));
    expect(new Set(faulty.map((t) => t.rootCause))).toEqual(new Set(TERMINAL_CAUSES));
    expect(faulty.map((t) => t.terminalId).sort()).toEqual(truth.faultyTerminals.map((t) => t.terminalId).sort());
    for (const t of truth.terminals) {
      expect(t.merchantId).toBe(merchantOf.get(t.terminalId));
      expect(t.attempts).toBe(attempts.get(t.terminalId));
      if (t.rootCause === null) {
        expect(t.faults).toEqual([]);
        expect(t.injected).toBeUndefined();
      } else {
        expect(t.faults).toHaveLength(1);
        expect(t.faults[0].cause).toBe(t.rootCause);
        expect(t.faults[0].fromDay).toBeLessThanOrEqual(t.faults[0].toDay);
        expect(typeof t.detectable).toBe('boolean');
        expect(t.injected).toBeGreaterThanOrEqual(0);
      }
    }
    // Some faults are active only part of a day, within trading hours.
    const partial = faulty.filter((t) => t.faults[0].fromTime !== undefined);
    expect(partial.length).toBeGreaterThan(0);
    for (const t of partial) {
      const f = t.faults[0];
      expect(f.fromTime).toMatch(/^\d{2}:\d{2}$/);
      expect(f.toTime! > f.fromTime!).toBe(true);
      expect(f.fromDay).toBe(f.toDay);
    }
    expect(truth.night).toBe(1);
    expect(truth.newFaults).toEqual([]);
    expect(truth.incidents).toHaveLength(1);
    expect(truth.cutovers).toHaveLength(2);
  });

  it('injects each fault as failures of its cause at its terminal, inside its active hours', () => {
    const truth = summaryOf(fleet.out);
    const cases = ndjson(fleet.out, 'truth.ndjson');
    const when = new Map(ndjson(fleet.out, 'terminal.ndjson').map((t) => [t.txnId as string, t.timestamp as string]));
    const dates = [...new Set([...when.values()].map((ts) => ts.slice(0, 10)))].sort();
    for (const t of truth.terminals.filter((x) => x.rootCause !== null)) {
      const own = cases.filter((c) => c.terminalId === t.terminalId && c.cause === t.rootCause);
      expect(own.length, t.terminalId).toBeGreaterThanOrEqual(t.injected!);
      const f = t.faults[0];
      if (f.fromTime === undefined || t.injected! < 3) continue;
      // Most of the cause's failures fall inside the fault's hours on its day (the rest is background).
      const inside = own.filter((c) => {
        const ts = when.get(c.txnId as string);
        if (!ts) return false;
        const hm = ts.slice(11, 16);
        return ts.slice(0, 10) === dates[f.fromDay] && hm >= f.fromTime! && hm <= f.toTime!;
      });
      expect(inside.length, t.terminalId).toBeGreaterThanOrEqual(t.injected! * 0.8);
    }
  });

  it('makes the PIN-garbling terminal decline about every third PIN entry as a wrong PIN', () => {
    const truth = summaryOf(fleet.out);
    const pinpad = truth.terminals.find((t) => t.faults[0]?.variant === 'pinpad-garbles')!;
    const f = pinpad.faults[0];
    const txns = ndjson(fleet.out, 'terminal.ndjson');
    const dates = [...new Set(txns.map((t) => (t.timestamp as string).slice(0, 10)))].sort();
    const active = (t: Record<string, unknown>) => {
      const ts = t.timestamp as string;
      const day = dates.indexOf(ts.slice(0, 10));
      const hm = ts.slice(11, 16);
      return day >= f.fromDay && day <= f.toDay && (f.fromTime === undefined || (hm >= f.fromTime && hm < f.toTime!));
    };
    const pinEntries = txns.filter((t) => t.terminalId === pinpad.terminalId && active(t) && (t.entryMode === 'chip' || t.entryMode === 'swipe'));
    const wrong = pinEntries.filter((t) => t.responseCode === '55' || t.responseCode === '75');
    expect(pinEntries.length).toBeGreaterThan(10);
    expect(wrong.length / pinEntries.length).toBeGreaterThan(0.15);
    const elsewhere = txns.filter((t) => t.terminalId !== pinpad.terminalId);
    expect(elsewhere.filter((t) => t.responseCode === '55').length / elsewhere.length).toBeLessThan(0.02);
  });

  it('records merchant settlement faults and lists them on the merchant\'s terminals', () => {
    const truth = summaryOf(fleet.out);
    expect(truth.merchants.length).toBeGreaterThan(0);
    const cases = ndjson(fleet.out, 'truth.ndjson');
    for (const m of truth.merchants) {
      expect(['merchant_account', 'merchant_risk']).toContain(m.cause);
      const terms = truth.terminals.filter((t) => t.merchantId === m.merchantId);
      expect(terms.length).toBeGreaterThan(0);
      for (const t of terms) {
        expect(t.merchantFaults).toContainEqual({ cause: m.cause, day: m.day });
        // Kept apart from terminal faults: one answer per terminal.
        expect(t.rootCause).toBeNull();
      }
      expect(cases.some((c) => c.cause === m.cause && terms.some((t) => t.terminalId === c.terminalId))).toBe(true);
    }
  });

  it('generates consecutive nights of one fleet, with a fault that begins on night two', async () => {
    const base = { terminals: 24, days: 1, seed: 9, start: '2026-11-20', tz: 'Asia/Shanghai', generatedAt: '2026-11-22T00:00:00Z' };
    const n1 = join(root, 'night1');
    const n2 = join(root, 'night2');
    await generate({ ...base, out: n1 });
    await generate({ ...base, out: n2, night: 2 });
    const t1 = summaryOf(n1);
    const t2 = summaryOf(n2);
    expect(t1.options.nightStart).toBe('2026-11-20');
    expect(t2.options.nightStart).toBe('2026-11-21');
    expect(t2.night).toBe(2);
    // Same fleet: terminals, merchants, models.
    const fleetOf = (dir: string) => {
      const m = new Map<string, string>();
      for (const t of ndjson(dir, 'terminal.ndjson')) m.set(t.terminalId as string, `${t.merchantId as string} ${t.model as string}`);
      return [...m].sort();
    };
    expect(fleetOf(n2)).toEqual(fleetOf(n1));
    for (const t of ndjson(n2, 'terminal.ndjson')) expect((t.timestamp as string).startsWith('2026-11-21')).toBe(true);
    expect(read(n2, 'terminal.ndjson')).not.toBe(read(n1, 'terminal.ndjson'));
    // Same faults, plus exactly one that is new tonight on a terminal that was healthy last night.
    expect(t2.newFaults).toHaveLength(1);
    const id = t2.newFaults[0];
    const before = new Map(t1.terminals.map((t) => [t.terminalId, t]));
    expect(before.get(id)!.rootCause).toBeNull();
    const now = t2.terminals.find((t) => t.terminalId === id)!;
    expect(TERMINAL_CAUSES).toContain(now.rootCause);
    expect(now.faults[0]).toMatchObject({ fromDay: 0, toDay: 0, sinceNight: 2 });
    expect(now.injected).toBeGreaterThan(0);
    for (const t of t2.terminals) {
      if (t.terminalId === id) continue;
      const { attempts: _a, injected: _i, detectable: _d, ...rest } = t;
      const { attempts: _a1, injected: _i1, detectable: _d1, ...was } = before.get(t.terminalId)!;
      expect(rest).toEqual(was);
    }
    expect(t1.merchants).toEqual(t2.merchants);
    // Night 3 keeps night 2's new fault and adds another.
    const n3 = join(root, 'night3');
    await generate({ ...base, out: n3, night: 3 });
    const t3 = summaryOf(n3);
    expect(t3.newFaults).toHaveLength(1);
    expect(t3.newFaults[0]).not.toBe(id);
    expect(t3.terminals.find((t) => t.terminalId === id)!.faults[0].sinceNight).toBe(2);
  });

  it('rejects an unknown time zone and a bad start date', async () => {
    await expect(generate({ ...fleet, out: join(root, 'bad'), tz: 'Mars/Olympus' })).rejects.toThrow(/time zone/);
    await expect(generate({ ...fleet, out: join(root, 'bad'), start: '2026-02-30' })).rejects.toThrow(/--start/);
    await expect(generate({ ...fleet, out: join(root, 'bad'), night: 0 })).rejects.toThrow(/--night/);
  });
});
