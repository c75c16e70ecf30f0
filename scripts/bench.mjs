#!/usr/bin/env node
// The benchmark: txlog against the join floor and DuckDB, on the same files, in one run.
//   npm run bench -- [--sizes 1m,5m,10m] [--formats ndjson,csv] [--force] [--no-duckdb]
// Fleets are generated once per size into .bench/sizes/<n>/ (txlog generate, seed 42, ~2,000 transactions
// per terminal over 4 days) and the terminal log is also written as CSV. Every measurement is a child
// process of its own (its peak RSS is its own), pinned with taskset for the one-core rows. Ratios are
// speeds: "vs floor" 0.5 means half the floor's records per second.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bench = join(root, '.bench', 'sizes');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const parseSize = (s) => Math.round(Number(s.replace(/m$/i, '')) * (/m$/i.test(s) ? 1e6 : 1));
const sizes = option('sizes', '1m,5m,10m').split(',').map(parseSize);
const formats = option('formats', 'ndjson,csv').split(',');
const withDuck = !argv.includes('--no-duckdb');
const cores = cpus().length;

function run(cmd, args, { pin = false, env = {} } = {}) {
  const full = pin ? ['taskset', ['-c', '0', cmd, ...args]] : [cmd, args];
  const r = spawnSync(full[0], full[1], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const last = r.stdout.trim().split('\n').pop();
  return JSON.parse(last);
}

async function ensureFleet(n) {
  const dir = join(bench, String(n));
  const params = JSON.stringify({ transactions: n, terminals: Math.max(50, Math.round(n / 2000)), days: 4, seed: 42, v: 1 });
  const stamp = join(dir, 'params.json');
  if (!argv.includes('--force') && existsSync(stamp) && readFileSync(stamp, 'utf8') === params) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const p = JSON.parse(params);
  console.error(`bench: generating ${n.toLocaleString('en')} transactions into ${dir} …`);
  const r = spawnSync(process.execPath, [join(root, 'dist/src/cli.js'), 'generate', '-q', '--out', dir, '--transactions', String(n), '--terminals', String(p.terminals), '--days', '4', '--seed', '42', '--generated-at', '2026-01-01T00:00:00Z'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('generation failed');
  await toCsv(join(dir, 'terminal.ndjson'), join(dir, 'terminal.csv'));
  writeFileSync(stamp, params);
  return dir;
}

/** The terminal log as a CSV export: the columns of the first 100k records, RFC 4180 quoting. */
async function toCsv(from, to) {
  const columns = [];
  const seen = new Set();
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(from) })) {
    if (!line) continue;
    for (const k of Object.keys(JSON.parse(line))) if (!seen.has(k)) seen.add(k), columns.push(k);
    if (++n >= 100_000) break;
  }
  const cell = (v) => {
    if (v === undefined || v === null) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const out = createWriteStream(to);
  const write = (s) => (out.write(s) ? undefined : new Promise((r) => out.once('drain', r)));
  await write(columns.join(',') + '\n');
  let batch = [];
  for await (const line of createInterface({ input: createReadStream(from) })) {
    if (!line) continue;
    const r = JSON.parse(line);
    batch.push(columns.map((c) => cell(r[c])).join(','));
    if (batch.length >= 10_000) await write(batch.join('\n') + '\n'), (batch = []);
  }
  if (batch.length) await write(batch.join('\n') + '\n');
  await new Promise((r) => out.end(r));
}

/** Newlines in the file, read in chunks (a 10M fleet's log is past the 2 GiB a single read allows). */
async function countLines(path) {
  let n = 0;
  for await (const buf of createReadStream(path, { highWaterMark: 1 << 22 })) for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

const rows = [];
let headed = false;
for (const n of sizes) {
  const dir = await ensureFleet(n);
  const settlement = join(dir, 'settlement.csv');
  const settlementLines = (await countLines(settlement)) - 1;
  const index = run(process.execPath, ['--expose-gc', join(root, 'scripts/bench/index-bytes.mjs'), settlement]);
  for (const format of formats) {
    const terminal = join(dir, `terminal.${format}`);
    const terminalLines = (await countLines(terminal)) - (format === 'csv' ? 1 : 0);
    const records = terminalLines + settlementLines;
    const bytes = statSync(terminal).size + statSync(settlement).size;
    const out = join(dir, 'report');
    const txlogArgs = [join(root, 'scripts/bench/txlog-run.mjs'), terminal, join(dir, 'events.ndjson'), settlement, '--tz', 'Asia/Shanghai', '--out', out, '--generated-at', '2026-01-01T00:00:00Z'];
    const floor = run(process.execPath, [join(root, 'scripts/bench/floor.mjs'), terminal, settlement], { pin: true });
    const measured = [
      { what: 'join floor', cores: 1, r: floor },
      { what: 'txlog analyze', cores: 1, r: run(process.execPath, txlogArgs, { pin: true }) },
      { what: 'txlog analyze', cores, r: run(process.execPath, txlogArgs) },
    ];
    if (withDuck) {
      measured.push({ what: 'DuckDB', cores: 1, r: run(process.execPath, [join(root, 'scripts/bench/duckdb.mjs'), terminal, settlement, '1'], { pin: true }) });
      measured.push({ what: 'DuckDB', cores, r: run(process.execPath, [join(root, 'scripts/bench/duckdb.mjs'), terminal, settlement, String(cores)]) });
    }
    for (const m of measured) {
      // Both cores against the same tool on one core, in this run.
      const one = measured.find((o) => o.what === m.what && o.cores === 1);
      const vsOneCore = m.cores > 1 && one ? one.r.wall / m.r.wall : null;
      rows.push({ size: n, format, what: m.what, cores: m.cores, wall: m.r.wall, rss: m.r.rss, records, bytes, vsFloor: floor.wall / m.r.wall, vsOneCore, bytesPerEntry: index.bytesPerEntry, exit: m.r.exit });
      printRow(rows[rows.length - 1]);
    }
  }
}
writeFileSync(join(root, '.bench', 'results.json'), JSON.stringify({ machine: machine(), rows }, null, 2) + '\n');

function machine() {
  return `${cpus()[0]?.model ?? 'cpu'}, ${cores} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

function printRow(r) {
  const cols = [
    ['terminal txns', 14, (r) => r.size.toLocaleString('en')], ['format', 7, (r) => r.format], ['what', 14, (r) => r.what],
    ['cores', 6, (r) => String(r.cores)], ['wall', 9, (r) => `${r.wall.toFixed(1)} s`], ['records/s', 11, (r) => Math.round(r.records / r.wall).toLocaleString('en')],
    ['MB/s', 7, (r) => (r.bytes / 1e6 / r.wall).toFixed(1)], ['peak RSS', 10, (r) => `${(r.rss / 2 ** 20).toFixed(0)} MB`],
    ['vs floor', 9, (r) => `${r.vsFloor.toFixed(2)}×`], ['vs 1 core', 10, (r) => (r.vsOneCore === null ? '' : `${r.vsOneCore.toFixed(2)}×`)], ['B/settle', 9, (r) => String(r.bytesPerEntry)],
  ];
  if (!headed) {
    console.log(`machine: ${machine()}; speeds relative to the join floor on the same files (1 core); B/settle = heap bytes per settlement index entry`);
    console.log(cols.map(([h, w]) => h.padEnd(w)).join(' '));
    headed = true;
  }
  console.log(cols.map(([, w, f]) => f(r).padEnd(w)).join(' ') + (r.exit ? `  (exit ${r.exit})` : ''));
}
