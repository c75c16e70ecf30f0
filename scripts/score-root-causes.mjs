#!/usr/bin/env node
// Scores a report's per-terminal root causes and fleet incidents against a generated fleet's truth.json.
//
//   node scripts/score-root-causes.mjs <truth.json> <report.json> [--json]
//
// - top-1 accuracy on faulty terminals: the report's rootCauses[0].cause equals the truth's rootCause.
//   A faulty terminal the report calls insufficient_data is a miss, and is counted apart too. Accuracy is
//   given over every faulty terminal and over the ones whose fault is detectable in principle (truth
//   `detectable`: at least 5 fault failures, improbable under the healthy fleet's rate).
// - false root causes on healthy terminals: any root cause on a terminal with no injected fault, except a
//   settlement fault of its merchant (truth `merchantFaults`), which is real.
// - incidents: the injected outage window overlapped by a report incident whose causes include
//   issuer_platform; and whether any terminal has issuer_platform as a root cause (it must not).
// Exit 0 always (this is a measurement, not a gate); 2 when an input cannot be read.

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const [truthPath, reportPath] = args.filter((a) => !a.startsWith('--'));
if (!truthPath || !reportPath) {
  console.error('usage: node scripts/score-root-causes.mjs <truth.json> <report.json> [--json]');
  process.exit(2);
}
const load = (p) => {
  try {
    return JSON.parse(readFileSync(p, 'utf8'));
  } catch (err) {
    console.error(`${p}: ${err.message}`);
    process.exit(2);
  }
};
const truth = load(truthPath);
const report = load(reportPath);
if (!Array.isArray(truth.terminals)) {
  console.error(`${truthPath}: no terminals[]: generate it again with a txlog that writes per-terminal truth`);
  process.exit(2);
}

const reported = new Map((report.terminals ?? []).map((t) => [t.terminalId, t]));
const pct = (a, b) => (b === 0 ? null : Math.round((a / b) * 10000) / 10000);
const fmt = (x) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

const faulty = [];
const healthy = [];
const confusion = new Map();
for (const t of truth.terminals) {
  const r = reported.get(t.terminalId);
  const causes = (r?.rootCauses ?? []).map((c) => c.cause);
  const merchantCauses = new Set((t.merchantFaults ?? []).map((m) => m.cause));
  const row = {
    terminalId: t.terminalId,
    truth: t.rootCause,
    found: causes[0] ?? null,
    all: causes,
    assessment: r?.assessment ?? 'absent',
    attempts: t.attempts,
    injected: t.injected,
    detectable: t.detectable ?? null,
    fault: t.faults?.[0] ?? null,
  };
  if (t.rootCause) {
    row.correct = row.found === t.rootCause;
    row.inList = causes.includes(t.rootCause);
    faulty.push(row);
    if (!row.correct) {
      const key = `${t.rootCause} -> ${row.assessment === 'insufficient_data' ? 'insufficient_data' : row.found ?? 'none'}`;
      confusion.set(key, (confusion.get(key) ?? 0) + 1);
    }
  } else {
    row.false = causes.filter((c) => !merchantCauses.has(c));
    row.merchantExplained = causes.filter((c) => merchantCauses.has(c));
    healthy.push(row);
  }
}

const detectable = faulty.filter((r) => r.detectable !== false);
const byCause = {};
for (const r of faulty) {
  const key = r.truth + (r.fault?.variant ? `/${r.fault.variant}` : '');
  const c = (byCause[key] ??= { terminals: 0, correct: 0, detectable: 0, detectableCorrect: 0 });
  c.terminals++;
  if (r.correct) c.correct++;
  if (r.detectable !== false) {
    c.detectable++;
    if (r.correct) c.detectableCorrect++;
  }
}

// The injected outage(s): truth incidents; a report incident overlapping it with issuer_platform among its causes.
const incidents = report.incidents ?? [];
const outages = (truth.incidents ?? []).map((o) => {
  const s = Date.parse(o.start);
  const e = Date.parse(o.end);
  const hits = incidents.filter((i) => Date.parse(i.start) < e && Date.parse(i.end) > s);
  const platform = hits.filter((i) => (i.causes ?? []).includes('issuer_platform'));
  return { kind: o.kind, start: o.start, end: o.end, detected: platform.length > 0, incidents: platform.map((i) => ({ id: i.id, start: i.start, end: i.end, causes: i.causes, terminals: i.terminals?.length ?? null })) };
});
const outageWindows = outages.map((o) => [Date.parse(o.start), Date.parse(o.end)]);
// The nightly cutover is a real fleet-wide event (every terminal gets 90 for a few minutes): expected, not spurious.
const cutoverWindows = (truth.cutovers ?? []).map((c) => [Date.parse(c.start), Date.parse(c.end)]);
const overlaps = (i, windows) => windows.some(([s, e]) => Date.parse(i.start) < e && Date.parse(i.end) > s);
const cutoverIncidents = incidents.filter((i) => !overlaps(i, outageWindows) && overlaps(i, cutoverWindows) && (i.causes ?? []).every((c) => c === 'cutoff'));
const spurious = incidents.filter((i) => !overlaps(i, outageWindows) && !cutoverIncidents.includes(i));
const platformRootCause = [...reported.values()].filter((t) => (t.rootCauses ?? []).some((c) => c.cause === 'issuer_platform')).map((t) => t.terminalId);

const result = {
  truth: truthPath,
  report: reportPath,
  seed: truth.seed,
  night: truth.night ?? 1,
  terminals: truth.terminals.length,
  faulty: {
    terminals: faulty.length,
    top1Correct: faulty.filter((r) => r.correct).length,
    top1Accuracy: pct(faulty.filter((r) => r.correct).length, faulty.length),
    inAnyRank: faulty.filter((r) => r.inList).length,
    insufficientData: faulty.filter((r) => r.assessment === 'insufficient_data').length,
    noRootCause: faulty.filter((r) => r.found === null && r.assessment !== 'insufficient_data').length,
    detectable: detectable.length,
    detectableTop1Correct: detectable.filter((r) => r.correct).length,
    detectableTop1Accuracy: pct(detectable.filter((r) => r.correct).length, detectable.length),
    byCause,
  },
  healthy: {
    terminals: healthy.length,
    withFalseRootCause: healthy.filter((r) => r.false.length > 0).length,
    falseRootCauseRate: pct(healthy.filter((r) => r.false.length > 0).length, healthy.length),
    merchantExplained: healthy.filter((r) => r.merchantExplained.length > 0 && r.false.length === 0).length,
    falseCauses: Object.fromEntries(
      [...healthy.flatMap((r) => r.false).reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map())].sort((a, b) => b[1] - a[1]),
    ),
  },
  incidents: {
    outages,
    outageDetected: outages.length > 0 && outages.every((o) => o.detected),
    reported: incidents.length,
    cutovers: { truth: cutoverWindows.length, reported: cutoverIncidents.length },
    elsewhere: spurious.map((i) => ({ id: i.id, start: i.start, end: i.end, causes: i.causes, terminals: i.terminals?.length ?? null })),
    issuerPlatformAsRootCause: platformRootCause,
  },
  newFaults: (truth.newFaults ?? []).map((id) => {
    const r = faulty.find((f) => f.terminalId === id);
    return { terminalId: id, truth: r?.truth ?? null, found: r?.found ?? null };
  }),
  confusion: Object.fromEntries([...confusion].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
  misses: faulty
    .filter((r) => !r.correct)
    .map((r) => ({ terminalId: r.terminalId, truth: r.truth, found: r.found, all: r.all, assessment: r.assessment, attempts: r.attempts, injected: r.injected, detectable: r.detectable, fault: r.fault })),
  falseAlarms: healthy.filter((r) => r.false.length > 0).map((r) => ({ terminalId: r.terminalId, causes: r.false, attempts: r.attempts })),
};

if (json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const f = result.faulty;
  const h = result.healthy;
  console.log(`${truthPath}: seed ${result.seed}, night ${result.night}, ${result.terminals} terminals`);
  console.log(`top-1 root cause on faulty terminals: ${f.top1Correct}/${f.terminals} = ${fmt(f.top1Accuracy)} (in any rank ${f.inAnyRank}; insufficient_data ${f.insufficientData}; no root cause ${f.noRootCause})`);
  console.log(`  detectable faults only:            ${f.detectableTop1Correct}/${f.detectable} = ${fmt(f.detectableTop1Accuracy)}`);
  for (const [c, v] of Object.entries(f.byCause).sort()) console.log(`  ${c.padEnd(28)} ${v.correct}/${v.terminals}   detectable ${v.detectableCorrect}/${v.detectable}`);
  console.log(`false root cause on healthy terminals: ${h.withFalseRootCause}/${h.terminals} = ${fmt(h.falseRootCauseRate)}${h.merchantExplained ? ` (${h.merchantExplained} more name their merchant's settlement fault: not counted)` : ''}`);
  if (Object.keys(h.falseCauses).length) console.log(`  causes: ${Object.entries(h.falseCauses).map(([c, n]) => `${c} ×${n}`).join(', ')}`);
  for (const o of result.incidents.outages) console.log(`outage ${o.start} .. ${o.end}: ${o.detected ? `detected as ${o.incidents.map((i) => `${i.id} ${i.start}..${i.end} [${i.causes.join(',')}]`).join('; ')}` : 'NOT detected'}`);
  console.log(`day-end cutovers reported as cutoff incidents: ${result.incidents.cutovers.reported} (of ${result.incidents.cutovers.truth} cutovers)`);
  console.log(`other incidents: ${result.incidents.elsewhere.length ? result.incidents.elsewhere.map((i) => `${i.id} ${i.start}..${i.end} [${i.causes.join(',')}] ${i.terminals} terminals`).join('; ') : 'none'}`);
  console.log(`issuer_platform as a terminal root cause: ${result.incidents.issuerPlatformAsRootCause.length ? result.incidents.issuerPlatformAsRootCause.join(', ') : 'none'}`);
  for (const n of result.newFaults) console.log(`new fault on this night: ${n.terminalId} ${n.truth} -> found ${n.found ?? 'none'}`);
  if (Object.keys(result.confusion).length) console.log(`confusion (truth -> found top-1): ${Object.entries(result.confusion).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  for (const m of result.misses) {
    const when = m.fault ? `day ${m.fault.fromDay}${m.fault.toDay !== m.fault.fromDay ? `-${m.fault.toDay}` : ''}${m.fault.fromTime ? ` ${m.fault.fromTime}-${m.fault.toTime}` : ''}${m.fault.variant ? ` ${m.fault.variant}` : ''}` : '';
    console.log(`  miss ${m.terminalId} ${m.truth} (${when}; ${m.injected} injected / ${m.attempts} attempts${m.detectable === false ? ', not detectable' : ''}) -> ${m.assessment} [${m.all.join(', ') || '-'}]`);
  }
  for (const a of result.falseAlarms) console.log(`  false ${a.terminalId} (${a.attempts} attempts): ${a.causes.join(', ')}`);
}
