#!/usr/bin/env node
// fleet3 runner: generate every scenario for the seeds, run the analyzer as a black box, score, summarize.
// usage: node run.mjs --txlog "node /work/main/dist/src/cli.js" [--seeds 1,2] [--scenarios fleet,healthy] [--root /tmp/fleet3] [--json]
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from './lib.mjs';
import { generate, SCENARIOS } from './generate.mjs';
import { score } from './score.mjs';

const a = parseArgs(process.argv.slice(2), { bool: ['json'] });
const txlog = a.txlog || 'node /work/main/dist/src/cli.js';
const seeds = String(a.seeds || '1,2').split(',').map((s) => Number(s.trim())).filter(Number.isFinite);
const scenarios = a.scenarios ? a.scenarios.split(',') : Object.keys(SCENARIOS);
const root = a.root || '/tmp/fleet3';
fs.mkdirSync(root, { recursive: true });

const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const runs = [];
for (const scenario of scenarios) for (const seed of seeds) {
  const dir = path.join(root, `${scenario}-${seed}`);
  const out = `${dir}-report`;
  const gen = generate({ out: dir, seed, scenario });
  fs.rmSync(out, { recursive: true, force: true });
  const cmd = `${txlog} analyze ${dir} --out ${out} --tz ${gen.cfg.tz} -q`;
  const t0 = Date.now();
  const p = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const secs = (Date.now() - t0) / 1000;
  const run = { scenario, seed, dir, cmd, rc: p.status, secs, counts: gen.counts };
  if (p.status === 2 || !fs.existsSync(path.join(out, 'report.json'))) run.error = (p.stderr || '').trim().slice(0, 400);
  else run.score = score(dir, out);
  runs.push(run);
  if (!a.json) process.stderr.write(`${scenario}-${seed}: rc ${p.status} in ${secs.toFixed(1)}s\n`);
}

const rows = [['run', 'attempts', 'truth', 'miss', 'extra', 'cause%', 'unk%', 'top1', 'any', 'alarms(non-decoy)', 'outage det/cause/recall/blamed', 'rc', 's']];
for (const r of runs) {
  if (!r.score) { rows.push([`${r.scenario}-${r.seed}`, r.counts.attempts, r.counts.truth, '-', '-', 'ERROR', '', '', '', '', r.error?.slice(0, 60) || '', r.rc, r.secs.toFixed(1)]); continue; }
  const s = r.score, t = s.txn, tm = s.terminals, fa = s.falseAlarms, inc = s.incidents;
  rows.push([
    `${r.scenario}-${r.seed}`, r.counts.attempts, t.truth, t.missing, t.extra, f1(t.accuracy), f1(t.unknownShare),
    tm.strong ? `${tm.top1}/${tm.strong}` : '-', tm.strong ? `${tm.any}/${tm.strong}` : '-',
    `${fa.alarms}/${fa.healthy} (${fa.alarmsNonDecoy}/${fa.nonDecoy})`,
    inc.truth ? `${inc.detected}/${inc.causeOk}/${f1(inc.terminalRecall)}%/${inc.blamed}` : '-',
    r.rc, r.secs.toFixed(1),
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
const table = rows.map((row) => row.map((c, i) => String(c).padEnd(widths[i])).join('  ')).join('\n');

// confusions and terminal misses across all runs
const conf = new Map();
const faultAcc = new Map();
const termFault = new Map();
const alarms = new Map();
for (const r of runs) {
  if (!r.score) continue;
  for (const c of r.score.confusions) {
    const k = `${c.truth} -> ${c.predicted}`;
    const e = conf.get(k) || { n: 0, sample: c.samples[0], runs: new Set() };
    e.n += c.n; e.runs.add(`${r.scenario}-${r.seed}`); conf.set(k, e);
  }
  for (const [k, v] of Object.entries(r.score.byFault)) {
    const e = faultAcc.get(k) || { n: 0, correct: 0, cause: v.cause, predicted: {} };
    e.n += v.n; e.correct += v.correct;
    for (const [p, n] of Object.entries(v.predicted)) e.predicted[p] = (e.predicted[p] || 0) + n;
    faultAcc.set(k, e);
  }
  for (const [k, v] of Object.entries(r.score.terminals.byFault)) {
    const e = termFault.get(k) || { n: 0, top1: 0, any: 0, got: {} };
    e.n += v.n; e.top1 += v.top1; e.any += v.any;
    for (const [g, n] of Object.entries(v.got)) e.got[g] = (e.got[g] || 0) + n;
    termFault.set(k, e);
  }
  for (const [c, n] of Object.entries(r.score.falseAlarms.byCause)) alarms.set(c, (alarms.get(c) || 0) + n);
}
const topConf = [...conf.entries()].sort((x, y) => y[1].n - x[1].n).slice(0, 12);

if (a.json) {
  console.log(JSON.stringify({ runs: runs.map(({ score: s, ...r }) => ({ ...r, score: s })), confusions: topConf.map(([k, v]) => ({ k, n: v.n, runs: [...v.runs], sample: v.sample })) }, null, 2));
} else {
  const lines = [];
  lines.push(`fleet3 against: ${txlog}`);
  lines.push(table);
  lines.push('');
  lines.push('cause% = findings whose cause equals the truth, over all truth rows (missing count as wrong); top1/any over faulty terminals with >=5 findings;');
  lines.push('alarms = healthy terminals given any root cause (in brackets: those without a decoy); outage = detected/cause named/terminal recall/terminals blamed');
  lines.push('');
  lines.push('top confusions over all runs (truth -> predicted):');
  for (const [k, v] of topConf) lines.push(`  ${String(v.n).padStart(5)}  ${k.padEnd(42)} e.g. ${JSON.stringify(v.sample || {})}`);
  lines.push('');
  lines.push('transaction accuracy by injected fault (all runs):');
  for (const [k, v] of [...faultAcc.entries()].sort((x, y) => x[1].correct / x[1].n - y[1].correct / y[1].n).slice(0, 14)) {
    const wrong = Object.entries(v.predicted).filter(([c]) => c !== v.cause).sort((x, y) => y[1] - x[1]).slice(0, 2).map(([c, n]) => `${c} ${n}`).join(', ');
    lines.push(`  ${k.padEnd(24)} ${String(v.n).padStart(5)}  ${f1((100 * v.correct) / v.n).padStart(5)}%  (truth ${v.cause}${wrong ? `; else ${wrong}` : ''})`);
  }
  lines.push('');
  lines.push('terminal root cause by fault (all runs): top-1 / any / n; what was reported');
  for (const [k, v] of [...termFault.entries()].sort((x, y) => x[1].top1 / x[1].n - y[1].top1 / y[1].n)) lines.push(`  ${k.padEnd(24)} ${v.top1}/${v.any}/${v.n}  ${JSON.stringify(v.got)}`);
  if (alarms.size) lines.push(`false-alarm causes on healthy terminals: ${JSON.stringify(Object.fromEntries(alarms))}`);
  const text = lines.join('\n');
  console.log(text);
  fs.writeFileSync(path.join(root, 'summary.txt'), text + '\n');
}
fs.writeFileSync(path.join(root, 'summary.json'), JSON.stringify(runs.map(({ score: s, ...r }) => ({ ...r, score: s })), null, 1));
