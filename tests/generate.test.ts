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

  it('rejects an unknown time zone and a bad start date', async () => {
    await expect(generate({ ...fleet, out: join(root, 'bad'), tz: 'Mars/Olympus' })).rejects.toThrow(/time zone/);
    await expect(generate({ ...fleet, out: join(root, 'bad'), start: '2026-02-30' })).rejects.toThrow(/--start/);
  });
});
