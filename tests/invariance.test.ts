// Metamorphic tests: the same meaning in another shape gives the same causes and root causes. Each
// transformation below changes how a generated fleet is written, never what happened; the analysis of the
// transformed fleet must agree with the original, finding by finding and terminal by terminal.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { generate } from '../src/generate.js';
import { builtinTables, makeLookups } from '../rules/tables.js';
import { Zone } from '../src/time.js';

type Rec = Record<string, unknown>;
const root = mkdtempSync(join(tmpdir(), 'txlog-invariance-'));
const TZ = 'Asia/Shanghai';
const AT = '2026-11-22T00:00:00Z';
const lookups = makeLookups(builtinTables());


interface Outcome {
  causes: Map<string, string>;
  rootCauses: Map<string, string[]>;
}

const readNdjson = (p: string) => readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rec);
const ndjson = (rows: Rec[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

async function runIn(name: string, files: Record<string, string>, key: (f: { txnId: string | null; rrn: string | null; outcome: string }) => string = defaultKey, tz = TZ): Promise<Outcome> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  const r = await analyze({ inputs: [dir], out: null, tz, generatedAt: AT });
  const causes = new Map<string, string>();
  for (const f of r.findings) causes.set(key(f), f.cause);
  const rootCauses = new Map<string, string[]>();
  for (const t of r.report.terminals) rootCauses.set(t.terminalId, t.rootCauses.map((rc) => rc.cause));
  return { causes, rootCauses };
}

function defaultKey(f: { txnId: string | null; rrn: string | null; outcome: string }): string {
  return `${f.txnId ?? f.rrn}|${f.outcome}`;
}

/** Every finding keeps its cause and every terminal its root causes (ids translated back where they changed). */
function expectSameAs(baseline: Outcome, got: Outcome, ids: (id: string) => string = (x) => x): void {
  expect(got.causes.size).toBe(baseline.causes.size);
  const differ: string[] = [];
  for (const [k, cause] of baseline.causes) {
    const [id, outcome] = k.split('|');
    const other = got.causes.get(`${ids(id)}|${outcome}`);
    if (other !== cause) differ.push(`${k}: ${cause} -> ${other}`);
  }
  expect(differ.slice(0, 10)).toEqual([]);
  for (const [t, list] of baseline.rootCauses) expect(got.rootCauses.get(ids(t)), `terminal ${t}`).toEqual(list);
}

function csvOf(rows: Rec[]): string {
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((h) => h !== 'kind');
  const cell = (v: unknown) => {
    const s = v === undefined || v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header.join(','), ...rows.map((r) => header.map((h) => cell(r[h])).join(','))].join('\n') + '\n';
}

function suite(family: string, make: (dir: string) => Promise<void>): void {
let terminal: Rec[] = [];
let events: Rec[] = [];
let settlementCsv = '';
let baseline: Outcome;
const run = (name: string, f: Record<string, string>, key?: Parameters<typeof runIn>[2], tz?: string) => runIn(`${family}-${name}`, f, key, tz);
const expectSame = (got: Outcome, ids?: (id: string) => string) => expectSameAs(baseline, got, ids);

beforeAll(async () => {
  const gen = join(root, `${family}-gen`);
  await make(gen);
  terminal = readNdjson(join(gen, 'terminal.ndjson'));
  events = readNdjson(join(gen, 'events.ndjson'));
  settlementCsv = readFileSync(join(gen, 'settlement.csv'), 'utf8');
  baseline = await run('baseline', { 'terminal.ndjson': ndjson(terminal), 'events.ndjson': ndjson(events), 'settlement.csv': settlementCsv });
  expect(baseline.causes.size).toBeGreaterThan(500);
  expect([...baseline.rootCauses.values()].filter((l) => l.length > 0).length).toBeGreaterThan(5);
}, 120_000);

const files = (t: Rec[], extra: Record<string, string> = {}) => ({ 'terminal.ndjson': ndjson(t), 'events.ndjson': ndjson(events), 'settlement.csv': settlementCsv, ...extra });


describe(`${family}: the same meaning in another shape gives the same causes and root causes`, () => {
  it('ids rewritten into other shapes (dashes, long digit runs, letters)', async () => {
    const shapes = [(s: string) => `POS-${s}-X`, (s: string) => `9${s.replace(/\D/g, '').padStart(17, '0')}`, (s: string) => `T${s.replace(/\d/g, (d) => 'ABCDEFGHIJ'[+d])}`];
    const map = new Map<string, string>();
    const re = (field: string, v: unknown) => {
      if (typeof v !== 'string') return v;
      const k = `${field}|${v}`;
      if (!map.has(k)) map.set(k, shapes[map.size % shapes.length](v) + (field === 'terminalId' ? '' : ''));
      return map.get(k);
    };
    // Ids of the transaction a void or reversal names are ids too.
    const TXN = new Set(['txnId', 'rrn', 'originalTxnId', 'originalRrn', 'origTxnId', 'origRrn']);
    const id = (r: Rec) => ({ ...r, ...Object.fromEntries(Object.keys(r).filter((f) => TXN.has(f) || f === 'terminalId' || f === 'merchantId').map((f) => [f, re(TXN.has(f) ? 'txnId' : f, r[f])])) });
    const t2 = terminal.map(id);
    const e2 = events.map((e) => ({ ...e, terminalId: re('terminalId', e.terminalId) }));
    const [head, ...lines] = settlementCsv.trim().split('\n');
    const cols = head.split(',');
    const s2 = [head, ...lines.map((l) => l.split(',').map((v, i) => (v && ['txnId', 'rrn', 'terminalId', 'merchantId'].includes(cols[i]) ? re(cols[i] === 'rrn' ? 'txnId' : cols[i], v) : v)).join(','))].join('\n') + '\n';
    const got = await run('ids', { 'terminal.ndjson': ndjson(t2), 'events.ndjson': ndjson(e2), 'settlement.csv': s2 });
    expectSame(got, (x) => (map.get(`txnId|${x}`) ?? map.get(`terminalId|${x}`) ?? x) as string);
  }, 60_000);

  it('codes removed, so only the message text remains (English for half the terminals, Chinese for the rest)', async () => {
    let n = 0;
    const t2 = terminal.map((r) => {
      const code = r.responseCode as string | undefined;
      if (!code || r.status === 'approved') return r;
      const entry = lookups.responseCode(code, (r.codeProfile as string) ?? 'iso');
      if (!entry || entry.cause === 'approved') return r;
      const { responseCode: _c, ...rest } = r;
      n++;
      return { ...rest, message: Number(String(r.terminalId).replace(/\D/g, '')) % 2 ? entry.en : entry.zh ?? entry.en };
    });
    expect(n).toBeGreaterThan(200);
    expectSame(await run('text-only', files(t2)));
  }, 60_000);

  it('messages swapped between English and Chinese', async () => {
    const t2 = terminal.map((r) => {
      const code = r.responseCode as string | undefined;
      if (!code || !r.message) return r;
      const entry = lookups.responseCode(code, (r.codeProfile as string) ?? 'iso');
      return entry?.zh ? { ...r, message: /[\u4e00-\u9fff]/.test(String(r.message)) ? entry.en : entry.zh } : r;
    });
    expectSame(await run('language', files(t2)));
  }, 60_000);

  it('the same meaning through ISO or UnionPay codes', async () => {
    const t2 = terminal.map((r) => {
      const code = r.responseCode as string | undefined;
      if (!code) return r;
      const iso = lookups.responseCode(code, 'iso');
      const cup = lookups.responseCode(code, 'unionpay');
      const same = iso && cup && (iso.reason ?? iso.cause) === (cup.reason ?? cup.cause) && iso.cause === cup.cause;
      return same ? { ...r, codeProfile: r.codeProfile === 'unionpay' ? 'iso' : 'unionpay' } : r;
    });
    expectSame(await run('profile', files(t2)));
  }, 60_000);

  it('NDJSON, CSV or a JSON array', async () => {
    expectSame(await run('csv', { 'terminal.csv': csvOf(terminal), 'events.ndjson': ndjson(events), 'settlement.csv': settlementCsv }));
    expectSame(await run('json', { 'terminal.json': JSON.stringify(terminal, null, 1), 'events.ndjson': ndjson(events), 'settlement.csv': settlementCsv }));
  }, 60_000);

  it('offsets or naive local times read with --tz', async () => {
    // The wall-clock time in the fleet's zone, whatever offset the record was written with.
    const zone = new Zone(TZ);
    const naive = (r: Rec) => ({ ...r, timestamp: zone.format(Date.parse(String(r.timestamp))).replace(/([+-]\d{2}:\d{2})$/, '').replace('T', ' ') });
    expectSame(await run('naive', { 'terminal.ndjson': ndjson(terminal.map(naive)), 'events.ndjson': ndjson(events.map(naive)), 'settlement.csv': settlementCsv }));
  }, 60_000);

  it('records shuffled, and one file split in two', async () => {
    let seed = 5;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const shuffled = [...terminal];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    expectSame(await run('shuffled', files(shuffled)));
    const half = Math.floor(shuffled.length / 2);
    expectSame(await run('split', { 'terminal-a.ndjson': ndjson(shuffled.slice(0, half)), 'terminal-b.ndjson': ndjson(shuffled.slice(half)), 'events.ndjson': ndjson(events), 'settlement.csv': settlementCsv }));
  }, 60_000);
});
}

suite('txlog-generate', async (dir) => {
  await generate({ out: dir, terminals: 60, days: 2, seed: 23, start: '2026-11-16', tz: TZ, generatedAt: AT });
});

// The second, independent family: message-only terminals in both languages, ISO and UnionPay mixed.
suite('fleet2', async (dir) => {
  const r = spawnSync(process.execPath, ['scripts/fleet2/generate.mjs', '--out', dir, '--seed', '3', '--terminals', '80', '--days', '2'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
});
