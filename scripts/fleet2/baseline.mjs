#!/usr/bin/env node
// Generate every scenario for a few seeds, run the analyzer on each, score it, and print one table.
// All output goes under --work (default /tmp/fleet2-baseline), never into the repository.
//
//   node scripts/fleet2/baseline.mjs [--txlog "node dist/src/cli.js"] [--work DIR] [--seeds 1,2,3]
//     [--scenarios fleet,merchant-1,...] [--quick]

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { score } from './score.mjs';
import { check } from './check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const txlog = opt('--txlog', 'node dist/src/cli.js').split(' ');
const work = opt('--work', '/tmp/fleet2-baseline');
const seeds = opt('--seeds', '1,2,3').split(',').map(Number);
const quick = args.includes('--quick');
const scenarios = opt('--scenarios', 'fleet,oneday-of-four,healthy,merchant-1,merchant-3').split(',');

// input shapes vary by seed so that one baseline covers them all
const variants = (sc, seed) => {
  const v = [];
  if (sc === 'fleet' || sc === 'healthy') {
    if (seed % 3 === 2) v.push('--format', 'csv');
    if (seed % 3 === 0) v.push('--format', 'json', '--naive-times');
  }
  if (sc === 'merchant-3' && seed % 2 === 0) v.push('--message-lang', 'zh');
  if (quick && (sc === 'fleet' || sc === 'healthy' || sc === 'oneday-of-four')) v.push('--terminals', '120');
  return v;
};

const rows = [];
for (const sc of scenarios) {
  for (const seed of seeds) {
    const dir = path.join(work, `${sc}-${seed}`);
    const rep = path.join(work, `${sc}-${seed}-report`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(rep, { recursive: true, force: true });
    const v = variants(sc, seed);
    execFileSync('node', [path.join(here, 'generate.mjs'), '--out', dir, '--seed', String(seed), '--scenario', sc, ...v], { stdio: ['ignore', 'ignore', 'inherit'] });
    const c = await check(dir);
    if (c.problems.length) { console.error(`${sc}-${seed}: self-check found ${c.problems.length} problems, e.g. ${c.problems[0]}`); process.exitCode = 1; }
    const truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth', 'truth.json'), 'utf8'));
    try {
      execFileSync(txlog[0], [...txlog.slice(1), 'analyze', dir, '--out', rep, '--tz', truth.params.tz, '--quiet', '--generated-at', '2026-01-01T00:00:00Z'], { stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (e) {
      if (e.status !== 1) { console.error(`${sc}-${seed}: analyzer failed (exit ${e.status})`); continue; }
    }
    const s = await score(dir, rep);
    fs.writeFileSync(path.join(work, `${sc}-${seed}-score.json`), JSON.stringify(s, null, 2));
    const report = JSON.parse(fs.readFileSync(path.join(rep, 'report.json'), 'utf8'));
    const rejected = (report.inputs || []).reduce((n, i) => n + (i.rejected || 0), 0);
    const T = s.transactions, F = s.rootCauses.faulty, H = s.rootCauses.healthy, O = s.outage[0];
    const f = s.focus?.terminals || [];
    rows.push({
      run: `${sc}-${seed}${v.length ? ' ' + v.filter((x) => !x.startsWith('--') || x === '--naive-times').join(' ') : ''}`,
      attempts: truth.counts.attempts, truth: T.truthRows, rejected,
      acc: T.accuracy, accAll: T.accuracyOverTruth, unknown: T.unknownShareOfFindings, missing: T.missing, extra: T.extra,
      top1: F.faulty ? `${F.top1}/${F.faulty}` : '—', any: F.faulty ? `${F.any}/${F.faulty}` : '—',
      falseAlarm: `${H.withRootCause}/${H.healthy}`,
      outage: O ? `${O.detected ? 'yes' : 'NO'} cov ${O.terminalCoverage == null ? '—' : Math.round(100 * O.terminalCoverage) + '%'} rc ${O.asRootCause.terminals}` : '—',
      focus: f.length ? f.map((t) => (t.faulty ? (t.top1 ? 'NAMED' : t.named ? 'named' : 'MISSED') : t.falseAlarm ? 'false-alarm' : 'ok')).join(',') : '',
    });
  }
}

const pc = (x) => (x == null ? '—' : `${(100 * x).toFixed(1)}%`);
const cols = ['run', 'attempts', 'truth', 'rejected', 'acc', 'accAll', 'unknown', 'missing', 'extra', 'top1', 'any', 'falseAlarm', 'outage', 'focus'];
const fmt = (r, c) => (['acc', 'accAll', 'unknown'].includes(c) ? pc(r[c]) : String(r[c]));
const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => fmt(r, c).length)));
console.log(cols.map((c, i) => c.padEnd(widths[i])).join('  '));
for (const r of rows) console.log(cols.map((c, i) => fmt(r, c).padEnd(widths[i])).join('  '));
console.log(`\nper-run details: ${work}/<scenario>-<seed>-score.json; text: node ${path.relative(process.cwd(), path.join(here, 'score.mjs'))} ${work}/<scenario>-<seed> ${work}/<scenario>-<seed>-report`);
