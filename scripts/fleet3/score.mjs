#!/usr/bin/env node
// fleet3 scorer: compare an analyzer's report.json + findings.ndjson with fleet3's truth.
// usage: node score.mjs DATA_DIR REPORT_DIR [--json]
import fs from 'node:fs';
import path from 'node:path';
import { readNdjson, parseArgs } from './lib.mjs';

const MIN = 60000;
const pct = (a, b) => (b ? (100 * a) / b : NaN);
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');

function bump(obj, k, n = 1) { obj[k] = (obj[k] || 0) + n; }

export function score(dataDir, reportDir) {
  const truthRows = readNdjson(path.join(dataDir, 'truth', 'truth.ndjson'));
  const truth = JSON.parse(fs.readFileSync(path.join(dataDir, 'truth', 'truth.json'), 'utf8'));
  const aux = readNdjson(path.join(dataDir, 'truth', 'nonfindings.ndjson'));
  const report = JSON.parse(fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8'));
  const findings = readNdjson(path.join(reportDir, 'findings.ndjson'));

  // ---- per transaction ----
  const byTxn = new Map(), byRrn = new Map();
  findings.forEach((f, i) => {
    if (f.txnId) { if (!byTxn.has(f.txnId)) byTxn.set(f.txnId, []); byTxn.get(f.txnId).push(i); }
    if (f.rrn) { if (!byRrn.has(f.rrn)) byRrn.set(f.rrn, []); byRrn.get(f.rrn).push(i); }
  });
  const used = new Set();
  const confusion = {}; // truth cause -> predicted -> n
  const byFault = {}; // fault label -> {n, correct, predicted{}}
  const outcomeConf = {};
  let matched = 0, correct = 0, unknown = 0, outcomeSame = 0;
  const missingByCause = {};
  const samples = {}; // "truth->pred" -> a few examples
  for (const t of truthRows) {
    let cands = (t.txnId && byTxn.get(t.txnId)) || [];
    if (!cands.length && t.rrn) cands = byRrn.get(t.rrn) || [];
    let pick = cands.find((i) => !used.has(i) && findings[i].outcome === t.outcome);
    if (pick === undefined) pick = cands.find((i) => !used.has(i));
    if (pick === undefined && cands.length) pick = cands[0];
    const fk = t.fault === 'bg' ? `bg:${t.reason}` : t.fault;
    const bf = (byFault[fk] ||= { n: 0, correct: 0, cause: t.cause, predicted: {} });
    bf.n++;
    confusion[t.cause] ||= {};
    if (pick === undefined) {
      bump(confusion[t.cause], 'MISSING'); bump(bf.predicted, 'MISSING'); bump(missingByCause, t.cause);
      const key = `${t.cause} -> MISSING`;
      (samples[key] ||= []).length < 3 && samples[key].push({ txnId: t.txnId, rrn: t.rrn, terminalId: t.terminalId, outcome: t.outcome, fault: t.fault, reason: t.reason });
      continue;
    }
    used.add(pick);
    const f = findings[pick];
    matched++;
    const pred = f.cause || 'NONE';
    bump(confusion[t.cause], pred); bump(bf.predicted, pred);
    if (pred === t.cause) { correct++; bf.correct++; }
    else {
      const key = `${t.cause} -> ${pred}`;
      (samples[key] ||= []).length < 3 && samples[key].push({ txnId: t.txnId, terminalId: t.terminalId, outcome: t.outcome, fault: t.fault, reason: t.reason, ruleId: f.ruleId, code: f.responseCode ?? f.errorCode ?? null, message: f.message ?? null });
    }
    if (pred === 'unknown') unknown++;
    if (f.outcome === t.outcome) outcomeSame++;
    bump((outcomeConf[t.outcome] ||= {}), f.outcome);
  }
  // extra findings, sorted by what the record was
  const auxCat = new Map();
  for (const a of aux) { if (a.txnId) auxCat.set(`t:${a.txnId}`, a.category); if (a.rrn) auxCat.set(`r:${a.rrn}`, a.category); }
  const extra = { n: 0, byCategory: {}, byCause: {}, byOutcome: {}, samples: [] };
  findings.forEach((f, i) => {
    if (used.has(i)) return;
    extra.n++;
    const cat = auxCat.get(`t:${f.txnId}`) || auxCat.get(`r:${f.rrn}`) || 'other';
    bump(extra.byCategory, cat); bump(extra.byCause, f.cause); bump(extra.byOutcome, f.outcome);
    if (extra.samples.length < 6) extra.samples.push({ txnId: f.txnId, rrn: f.rrn, terminalId: f.terminalId, outcome: f.outcome, cause: f.cause, category: cat, type: f.type });
  });
  const confList = [];
  for (const [tc, m] of Object.entries(confusion)) for (const [pc, n] of Object.entries(m)) if (pc !== tc) confList.push({ truth: tc, predicted: pc, n, samples: samples[`${tc} -> ${pc}`] || [] });
  confList.sort((a, b) => b.n - a.n);
  // per-cause recall and precision
  const perCause = {};
  const predTotals = {};
  for (const m of Object.values(confusion)) for (const [pc, n] of Object.entries(m)) bump(predTotals, pc, n);
  for (const [tc, m] of Object.entries(confusion)) {
    const n = Object.values(m).reduce((a, b) => a + b, 0);
    perCause[tc] = { n, recall: pct(m[tc] || 0, n), precision: pct(m[tc] || 0, (predTotals[tc] || 0) + (extra.byCause[tc] || 0)) };
  }

  // ---- per terminal ----
  const rep = new Map((report.terminals || []).map((t) => [t.terminalId, t]));
  const faulty = truth.terminals.filter((t) => t.faulty);
  const term = { faulty: faulty.length, strong: 0, top1: 0, any: 0, top1All: 0, anyAll: 0, misses: [], byFault: {}, extraCauses: {} };
  for (const t of faulty) {
    const causes = new Set(t.rootCauses.map((r) => r.cause));
    const strong = t.rootCauses.some((r) => !r.weak);
    const got = (rep.get(t.terminalId)?.rootCauses || []).map((r) => r.cause);
    const top1 = got.length > 0 && causes.has(got[0]);
    const any = got.some((c) => causes.has(c));
    if (top1) term.top1All++;
    if (any) term.anyAll++;
    for (const c of got) if (!causes.has(c)) bump(term.extraCauses, c);
    const fk = t.rootCauses.map((r) => r.fault).join('+');
    const bf = (term.byFault[fk] ||= { n: 0, top1: 0, any: 0, got: {} });
    bf.n++; if (top1) bf.top1++; if (any) bf.any++; bump(bf.got, got.join('>') || '(none)');
    if (!strong) continue;
    term.strong++;
    if (top1) term.top1++;
    if (any) term.any++;
    if (!top1) term.misses.push({ terminalId: t.terminalId, truth: t.rootCauses.map((r) => `${r.cause}(${r.fault},${r.findings})`).join(' '), reported: got.join(' > ') || '(none)' });
  }
  const healthy = truth.terminals.filter((t) => !t.faulty);
  const fa = { healthy: healthy.length, alarms: 0, alarmsNonDecoy: 0, nonDecoy: 0, byCause: {}, byDecoy: {}, samples: [] };
  for (const t of healthy) {
    const decoy = t.decoys.filter((d) => d !== 'cutover_24h' || true);
    const nonDecoy = !t.decoys.some((d) => ['same_card_retries', 'low_volume', 'high_ticket', 'stolen_card_tour', 'cutover_24h'].includes(d));
    if (nonDecoy) fa.nonDecoy++;
    const got = (rep.get(t.terminalId)?.rootCauses || []).map((r) => r.cause);
    if (!got.length) continue;
    fa.alarms++;
    if (nonDecoy) fa.alarmsNonDecoy++;
    for (const c of got) bump(fa.byCause, c);
    for (const d of decoy.length ? decoy : ['(no decoy)']) bump(fa.byDecoy, d);
    if (fa.samples.length < 8) fa.samples.push({ terminalId: t.terminalId, reported: got.join(' > '), decoys: t.decoys.join(',') || '-', merchantType: t.merchantType });
  }

  // ---- incidents ----
  const incidents = report.incidents || [];
  const used2 = new Set();
  const inc = { truth: truth.incidents.length, detected: 0, causeOk: 0, terminalRecall: null, startErrMin: null, blamed: 0, blamedTerminals: [], spurious: [] };
  for (const ti of truth.incidents) {
    const s = Date.parse(ti.start) - 15 * MIN, e = Date.parse(ti.end) + 15 * MIN;
    const over = incidents.map((x, i) => [x, i]).filter(([x]) => Date.parse(x.start) <= e && Date.parse(x.end) >= s);
    if (over.length) {
      inc.detected++;
      over.forEach(([, i]) => used2.add(i));
      if (over.some(([x]) => (x.causes || []).includes(ti.cause))) inc.causeOk++;
      const reported = new Set(over.flatMap(([x]) => x.terminals || []));
      inc.terminalRecall = pct(ti.terminals.filter((x) => reported.has(x)).length, ti.terminals.length);
      inc.startErrMin = Math.round(Math.min(...over.map(([x]) => Math.abs(Date.parse(x.start) - Date.parse(ti.start)))) / MIN);
      inc.reportedCauses = [...new Set(over.flatMap(([x]) => x.causes || []))];
    }
    // the outage must not become a terminal's root cause: a healthy terminal it touched that gets any root
    // cause, or a faulty one that gets the outage's cause on top of its own
    const faultyIds = new Map(faulty.map((t) => [t.terminalId, new Set(t.rootCauses.map((r) => r.cause))]));
    for (const id of ti.terminals) {
      const got = (rep.get(id)?.rootCauses || []).map((r) => r.cause);
      const own = faultyIds.get(id);
      const blamed = own ? got.includes(ti.cause) && !own.has(ti.cause) : got.length > 0;
      if (blamed) { inc.blamed++; if (inc.blamedTerminals.length < 8) inc.blamedTerminals.push(`${id}:${got.join('>')}`); }
    }
  }
  incidents.forEach((x, i) => { if (!used2.has(i)) inc.spurious.push({ start: x.start, end: x.end, causes: x.causes, terminals: (x.terminals || []).length, failures: x.failures }); });

  return {
    scenario: truth.scenario, seed: truth.seed,
    txn: {
      truth: truthRows.length, findings: findings.length, matched, missing: truthRows.length - matched, extra: extra.n, correct,
      accuracy: pct(correct, truthRows.length), accuracyMatched: pct(correct, matched), unknownShare: pct(unknown, matched),
      outcomeAgreement: pct(outcomeSame, matched), missingByCause, outcomeConfusion: outcomeConf,
    },
    confusions: confList, perCause, byFault, extra,
    terminals: term, falseAlarms: fa, incidents: inc,
  };
}

export function printScore(s) {
  const out = [];
  const t = s.txn;
  out.push(`== ${s.scenario} seed ${s.seed}`);
  out.push(`transactions: truth ${t.truth}, findings ${t.findings}, matched ${t.matched}, missing ${t.missing}, extra ${t.extra}`);
  out.push(`cause accuracy ${f1(t.accuracy)}% of truth (${f1(t.accuracyMatched)}% of matched), unknown ${f1(t.unknownShare)}%, outcome agreement ${f1(t.outcomeAgreement)}%`);
  out.push('top confusions (truth -> predicted):');
  for (const c of s.confusions.slice(0, 10)) out.push(`  ${String(c.n).padStart(5)}  ${c.truth} -> ${c.predicted}   e.g. ${JSON.stringify(c.samples[0] || {})}`);
  out.push('per fault (accuracy, most frequent wrong):');
  for (const [k, v] of Object.entries(s.byFault).sort((a, b) => b[1].n - a[1].n)) {
    const wrong = Object.entries(v.predicted).filter(([c]) => c !== v.cause).sort((a, b) => b[1] - a[1])[0];
    out.push(`  ${k.padEnd(26)} ${String(v.n).padStart(5)}  ${f1(pct(v.correct, v.n)).padStart(5)}%  truth ${v.cause}${wrong ? `; else ${wrong[0]} ${wrong[1]}` : ''}`);
  }
  if (t.extra) out.push(`extra findings by category: ${JSON.stringify(s.extra.byCategory)} causes ${JSON.stringify(s.extra.byCause)}`);
  const tm = s.terminals;
  out.push(`faulty terminals: ${tm.faulty} (${tm.strong} with >=5 findings): top-1 ${tm.top1}/${tm.strong}, any-rank ${tm.any}/${tm.strong}; all faulty top-1 ${tm.top1All}/${tm.faulty}`);
  for (const [k, v] of Object.entries(tm.byFault)) out.push(`  ${k.padEnd(26)} ${v.top1}/${v.n} top-1, ${v.any}/${v.n} any; reported ${JSON.stringify(v.got)}`);
  const fa = s.falseAlarms;
  out.push(`healthy terminals: ${fa.healthy}; with a root cause: ${fa.alarms} (non-decoy ${fa.alarmsNonDecoy}/${fa.nonDecoy}) causes ${JSON.stringify(fa.byCause)} decoys ${JSON.stringify(fa.byDecoy)}`);
  for (const x of fa.samples) out.push(`  ${x.terminalId} ${x.merchantType} decoys=${x.decoys}: ${x.reported}`);
  const inc = s.incidents;
  if (inc.truth) out.push(`outage: detected ${inc.detected}/${inc.truth}, cause ok ${inc.causeOk}, reported causes ${JSON.stringify(inc.reportedCauses || [])}, terminal recall ${f1(inc.terminalRecall)}%, start error ${inc.startErrMin ?? '-'} min, blamed on ${inc.blamed} terminals ${JSON.stringify(inc.blamedTerminals)}`);
  if (inc.spurious.length) out.push(`other incidents reported: ${JSON.stringify(inc.spurious.slice(0, 5))}`);
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const a = parseArgs(process.argv.slice(2), { bool: ['json'] });
  if (a._.length < 2) { console.error('usage: score.mjs DATA_DIR REPORT_DIR [--json]'); process.exit(2); }
  const s = score(a._[0], a._[1]);
  console.log(a.json ? JSON.stringify(s, null, 2) : printScore(s));
}
