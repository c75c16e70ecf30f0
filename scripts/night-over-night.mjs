#!/usr/bin/env node
// Night over night: generates two consecutive nights of one fleet, analyzes night 1, then night 2 with
// --baseline night 1's report.json, and checks that `changes` names the terminal whose fault began on
// night two (truth.json `newFaults`) and little else.
//
//   npm run build && node scripts/night-over-night.mjs [--seed 7] [--terminals 240] [--days 1] [--out DIR] [--json]
//
// The same check by hand, once the CLI has the flag (`txlog generate --night N`):
//   txlog generate --out n1 --terminals 240 --days 1 --seed 7 --night 1 -q
//   txlog generate --out n2 --terminals 240 --days 1 --seed 7 --night 2 -q
//   txlog analyze n1/terminal.ndjson n1/events.ndjson n1/settlement.csv --out n1/out --tz Asia/Shanghai -q
//   txlog analyze n2/terminal.ndjson n2/events.ndjson n2/settlement.csv --out n2/out --tz Asia/Shanghai -q --baseline n1/out/report.json
//   jq '.newFaults' n2/truth.json; jq '.changes | {rose: [.rose[].terminalId], newRootCauses}' n2/out/report.json
// Exit 0 when the new fault is reported (in changes.rose or changes.newRootCauses with its cause), 1 when not,
// 2 when something could not run.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const seed = Number(opt('seed', '7'));
const terminals = Number(opt('terminals', '240'));
const days = Number(opt('days', '1'));
const tz = opt('tz', 'Asia/Shanghai');
const out = resolve(opt('out', mkdtempSync(join(tmpdir(), 'txlog-non-'))));
const json = args.includes('--json');

let generate;
try {
  ({ generate } = await import(join(root, 'dist/src/generate.js')));
} catch (err) {
  console.error(`cannot load dist/src/generate.js (${err.message}): run npm run build first`);
  process.exit(2);
}
const cli = join(root, 'dist/src/cli.js');
const run = (cliArgs) => {
  try {
    execFileSync(process.execPath, [cli, ...cliArgs], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (err) {
    // Exit 1 is "done, threshold crossed": the outputs are there.
    if (err.status !== 1) {
      console.error(`txlog ${cliArgs.join(' ')}: exit ${err.status}`);
      process.exit(2);
    }
  }
};

const nights = [1, 2].map((night) => ({ night, dir: join(out, `night${night}`) }));
for (const n of nights) {
  await generate({ out: n.dir, terminals, days, seed, night: n.night, start: '2026-11-16', tz, generatedAt: '2026-11-22T00:00:00Z' });
  const files = ['terminal.ndjson', 'events.ndjson', 'settlement.csv'].map((f) => join(n.dir, f));
  const baseline = n.night === 2 ? ['--baseline', join(nights[0].dir, 'out', 'report.json')] : [];
  run(['analyze', ...files, '--out', join(n.dir, 'out'), '--tz', tz, '-q', '--generated-at', `2026-11-22T0${n.night}:00:00Z`, ...baseline]);
}

const truth2 = JSON.parse(readFileSync(join(nights[1].dir, 'truth.json'), 'utf8'));
const report2 = JSON.parse(readFileSync(join(nights[1].dir, 'out', 'report.json'), 'utf8'));
const changes = report2.changes;
if (!changes) {
  console.error('night 2 report has no changes: does this analyzer support --baseline?');
  process.exit(2);
}
const truthById = new Map(truth2.terminals.map((t) => [t.terminalId, t]));
const newFaults = truth2.newFaults.map((id) => {
  const t = truthById.get(id);
  const rose = changes.rose.find((r) => r.terminalId === id) ?? null;
  const newCauses = changes.newRootCauses.filter((r) => r.terminalId === id).map((r) => r.cause);
  return {
    terminalId: id,
    cause: t.rootCause,
    attempts: t.attempts,
    injected: t.injected,
    rose: rose ? { before: rose.before, after: rose.after, qValue: rose.qValue } : null,
    newRootCauses: newCauses,
    reported: rose !== null || newCauses.includes(t.rootCause),
    causeRight: newCauses.includes(t.rootCause),
  };
});
const isNew = new Set(truth2.newFaults);
// Everything else changes names: the same faults on both nights, so these are noise (or a merchant's settlement fault).
const otherRose = changes.rose.filter((r) => !isNew.has(r.terminalId)).map((r) => ({ terminalId: r.terminalId, before: r.before, after: r.after, truth: truthById.get(r.terminalId)?.rootCause ?? null }));
const otherNew = changes.newRootCauses.filter((r) => !isNew.has(r.terminalId)).map((r) => ({ ...r, truth: truthById.get(r.terminalId)?.rootCause ?? null }));
const result = {
  out,
  seed,
  terminals,
  days,
  newFaults,
  otherRose,
  otherNewRootCauses: otherNew,
  resolvedRootCauses: changes.resolvedRootCauses,
  ok: newFaults.length > 0 && newFaults.every((n) => n.reported),
};
if (json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`${out}: seed ${seed}, ${terminals} terminals, ${days} day(s) per night`);
  for (const n of newFaults) {
    console.log(`new on night 2: ${n.terminalId} ${n.cause} (${n.injected} fault failures / ${n.attempts} attempts): ${n.reported ? 'REPORTED' : 'NOT reported'}` +
      `${n.rose ? `; rose ${(n.rose.before * 100).toFixed(1)}% -> ${(n.rose.after * 100).toFixed(1)}% (q ${n.rose.qValue.toExponential(1)})` : '; not in rose'}` +
      `; new root causes [${n.newRootCauses.join(', ')}]`);
  }
  console.log(`other terminals in rose: ${otherRose.length ? otherRose.map((r) => `${r.terminalId} (${r.truth ?? 'healthy'})`).join(', ') : 'none'}`);
  console.log(`other new root causes: ${otherNew.length ? otherNew.map((r) => `${r.terminalId} ${r.cause} (truth ${r.truth ?? 'healthy'})`).join(', ') : 'none'}`);
  console.log(`resolved root causes: ${changes.resolvedRootCauses.length ? changes.resolvedRootCauses.map((r) => `${r.terminalId} ${r.cause}`).join(', ') : 'none'}`);
}
process.exit(result.ok ? 0 : 1);
