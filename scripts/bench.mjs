#!/usr/bin/env node
// Generates a 1,000,000-transaction fleet into .bench/data (once per parameter set), then runs the
// analyzer in-process and prints records/second, wall time, peak RSS and peak heap.
//   npm run bench -- [--terminals 500] [--days 4] [--transactions 1000000] [--seed 42] [--force]
// Run after `npm run build`; uses dist/src/generate.js and dist/src/analyze.js.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), '..');
const benchDir = join(root, '.bench');
const dataDir = join(benchDir, 'data');
const reportDir = join(benchDir, 'report');

function option(argv, name, fallback) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
}

const argv = process.argv.slice(2);
const params = {
  terminals: Number(option(argv, 'terminals', 500)),
  days: Number(option(argv, 'days', 4)),
  transactions: Number(option(argv, 'transactions', 1_000_000)),
  seed: Number(option(argv, 'seed', 42)),
  start: option(argv, 'start', '2026-11-20'),
  tz: option(argv, 'tz', 'Asia/Shanghai'),
};
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;

async function generateData() {
  const { generate } = await import(pathToFileURL(join(root, 'dist/src/generate.js')).href);
  rmSync(dataDir, { recursive: true, force: true });
  const t0 = performance.now();
  const s = await generate({ ...params, out: dataDir, generatedAt: '2026-01-01T00:00:00Z' });
  const secs = (performance.now() - t0) / 1000;
  writeFileSync(join(dataDir, 'params.json'), `${JSON.stringify(params)}\n`);
  console.log(
    `generated ${s.transactions} transactions, ${s.events} events, ${s.settlementRows} settlement rows, ${s.truthCases} truth cases ` +
      `in ${secs.toFixed(2)} s (${Math.round(s.transactions / secs)} txns/s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB)`,
  );
}

async function main() {
  if (argv.includes('--generate-only')) return generateData();

  const paramsFile = join(dataDir, 'params.json');
  const fresh = existsSync(paramsFile) && readFileSync(paramsFile, 'utf8').trim() === JSON.stringify(params);
  if (!fresh || argv.includes('--force')) {
    // A child process, so generation does not count toward the analyzer's peak RSS.
    const r = spawnSync(process.execPath, [here, '--generate-only', ...argv.filter((a) => a !== '--force')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('generation failed');
  } else {
    console.log(`reusing ${dataDir} (${JSON.stringify(params)})`);
  }

  const { analyze } = await import(pathToFileURL(join(root, 'dist/src/analyze.js')).href);
  const inputs = ['terminal.ndjson', 'events.ndjson', 'settlement.csv'].map((f) => join(dataDir, f));
  mkdirSync(reportDir, { recursive: true });
  globalThis.gc?.();

  let peakHeap = process.memoryUsage().heapUsed;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
    if (m.rss > peakRss) peakRss = m.rss;
  }, 100);
  const t0 = performance.now();
  let result;
  try {
    result = await analyze({ inputs, out: reportDir, tz: params.tz, generatedAt: '2026-01-01T00:00:00Z', quiet: true });
  } finally {
    clearInterval(sampler);
  }
  const wall = (performance.now() - t0) / 1000;
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);

  const report = result.report ?? {};
  let records = report.totals?.read;
  if (typeof records !== 'number' && Array.isArray(report.inputs)) records = report.inputs.reduce((a, i) => a + (i.read ?? 0), 0);
  if (typeof records !== 'number' || records === 0) {
    const truth = JSON.parse(readFileSync(join(dataDir, 'truth.json'), 'utf8'));
    records = truth.counts.transactions + truth.counts.events + truth.counts.settlementRows;
  }
  const out = {
    params,
    records,
    wallSeconds: Number(wall.toFixed(3)),
    recordsPerSecond: Math.round(records / wall),
    peakRssMB: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
    peakHeapMB: Number((peakHeap / 1048576).toFixed(1)),
    exitCode: result.exitCode,
    node: process.version,
  };
  console.log(`records read     ${records}`);
  console.log(`wall time        ${wall.toFixed(2)} s`);
  console.log(`records/second   ${out.recordsPerSecond}`);
  console.log(`peak RSS         ${out.peakRssMB} MB (sampled ${mb(peakRss)})`);
  console.log(`peak heap        ${out.peakHeapMB} MB`);
  console.log(`exit code        ${result.exitCode}`);

  const findings = join(reportDir, 'findings.ndjson');
  if (existsSync(findings) && !argv.includes('--no-score')) {
    const { score } = await import(pathToFileURL(join(root, 'scripts/score.mjs')).href);
    const s = await score(join(dataDir, 'truth.ndjson'), findings);
    out.accuracy = Number(s.accuracy.toFixed(4));
    console.log(`accuracy         ${(s.accuracy * 100).toFixed(2)}% (${s.correct}/${s.total}; node scripts/score.mjs .bench/data/truth.ndjson .bench/report/findings.ndjson for details)`);
  }
  writeFileSync(join(benchDir, 'result.json'), `${JSON.stringify(out, null, 2)}\n`);
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exitCode = 1;
});
