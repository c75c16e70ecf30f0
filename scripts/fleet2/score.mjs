#!/usr/bin/env node
// Scores a txlog report against a fleet2 truth.
//
//   node scripts/fleet2/score.mjs TRUTH_DIR REPORT_DIR [--json]
//
// TRUTH_DIR is the generator's --out directory (truth files in it or in its truth/ subdirectory).
// REPORT_DIR holds the analyzer's findings.ndjson and report.json. Findings are joined to truth rows
// by txnId, else by rrn (orphan settlement lines may have only one of them); every truth row is either
// matched or counted missing, every finding either matched or counted extra.

import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

function truthPath(dir, name) {
  for (const p of [path.join(dir, name), path.join(dir, 'truth', name)]) if (fs.existsSync(p)) return p;
  throw new Error(`no ${name} in ${dir} or ${dir}/truth`);
}

async function* ndjson(file) {
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) yield JSON.parse(line);
}

const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : '—');
const ratio = (a, b) => (b ? a / b : null);
const inc = (o, k, n = 1) => { o[k] = (o[k] || 0) + n; };
const top = (o, n = 3) => Object.entries(o).sort((a, b) => b[1] - a[1]).slice(0, n);

export async function score(truthDir, reportDir) {
  const truth = JSON.parse(fs.readFileSync(truthPath(truthDir, 'truth.json'), 'utf8'));
  const rows = [];
  const byTxn = new Map();
  const byRrn = new Map();
  for await (const r of ndjson(truthPath(truthDir, 'truth.ndjson'))) {
    const i = rows.length;
    rows.push({ ...r, match: null });
    if (r.txnId) { if (!byTxn.has(r.txnId)) byTxn.set(r.txnId, []); byTxn.get(r.txnId).push(i); }
    if (r.rrn) { if (!byRrn.has(r.rrn)) byRrn.set(r.rrn, []); byRrn.get(r.rrn).push(i); }
  }
  const nonfind = new Map();
  try {
    for await (const r of ndjson(truthPath(truthDir, 'nonfindings.ndjson'))) { if (r.txnId) nonfind.set(r.txnId, r.kind); if (r.rrn) nonfind.set('rrn:' + r.rrn, r.kind); }
  } catch { /* optional */ }

  // ---- per-transaction join ----
  const pick = (cands, f) => {
    let best = -1, bestScore = -1;
    for (const i of cands) {
      const r = rows[i];
      if (r.match) continue;
      const s = (r.terminalId === f.terminalId ? 2 : 0) + (r.outcome === f.outcome ? 1 : 0);
      if (s > bestScore) { best = i; bestScore = s; }
    }
    return best;
  };
  const extras = [];
  let findings = 0, viaTxn = 0, viaRrn = 0, unknownFindings = 0;
  for await (const f of ndjson(path.join(reportDir, 'findings.ndjson'))) {
    findings++;
    if (f.cause === 'unknown') unknownFindings++;
    let i = -1;
    if (f.txnId && byTxn.has(f.txnId)) { i = pick(byTxn.get(f.txnId), f); if (i >= 0) viaTxn++; }
    if (i < 0 && f.rrn && byRrn.has(f.rrn)) { i = pick(byRrn.get(f.rrn), f); if (i >= 0) viaRrn++; }
    if (i < 0) { extras.push({ txnId: f.txnId ?? null, rrn: f.rrn ?? null, terminalId: f.terminalId, outcome: f.outcome, cause: f.cause, kind: nonfind.get(f.txnId) || (f.rrn && nonfind.get('rrn:' + f.rrn)) || null }); continue; }
    rows[i].match = { cause: f.cause, outcome: f.outcome, ruleId: f.ruleId ?? null };
  }

  const perCause = {};
  const perPred = {};
  const perOrigin = {};
  const perVariant = {};
  const perReason = {};
  const missing = {};
  let matched = 0, correct = 0, outcomeOk = 0, matchedUnknown = 0;
  for (const r of rows) {
    const c = (perCause[r.cause] ||= { count: 0, reported: 0, correct: 0, mistakenFor: {} });
    c.count++;
    const o = (perOrigin[r.origin || 'unspecified'] ||= { count: 0, reported: 0, correct: 0 });
    o.count++;
    const vk = r.variant ? `${r.cause}/${r.variant}` : null;
    const v = vk ? (perVariant[vk] ||= { count: 0, reported: 0, correct: 0, mistakenFor: {} }) : null;
    if (v) v.count++;
    const rk = `${r.cause} <- ${r.reason || r.outcome}`;
    const rr = (perReason[rk] ||= { count: 0, correct: 0, mistakenFor: {} });
    rr.count++;
    if (!r.match) {
      inc(rr.mistakenFor, '(not reported)');
      inc(c.mistakenFor, '(not reported)');
      if (v) inc(v.mistakenFor, '(not reported)');
      inc(missing, `${r.outcome} / ${r.cause}${r.variant ? ' / ' + r.variant : ''}`);
      continue;
    }
    matched++; c.reported++; o.reported++; if (v) v.reported++;
    if (r.match.outcome === r.outcome) outcomeOk++;
    if (r.match.cause === 'unknown') matchedUnknown++;
    const p = (perPred[r.match.cause] ||= { predicted: 0, correct: 0, truthWas: {} });
    p.predicted++;
    if (r.match.cause === r.cause) rr.correct++; else inc(rr.mistakenFor, r.match.cause);
    if (r.match.cause === r.cause) { correct++; c.correct++; o.correct++; if (v) v.correct++; p.correct++; }
    else { inc(c.mistakenFor, r.match.cause); if (v) inc(v.mistakenFor, r.match.cause); inc(p.truthWas, r.cause); }
  }
  const extraBy = {};
  const extraKinds = {};
  for (const e of extras) {
    inc(extraBy, `${e.outcome} / ${e.cause}`);
    inc(extraKinds, e.kind || (e.txnId && byTxn.has(e.txnId) ? 'second finding for a truth txn' : 'not in truth'));
    (perPred[e.cause] ||= { predicted: 0, correct: 0, truthWas: {} }).extra = ((perPred[e.cause] || {}).extra || 0) + 1;
  }

  // ---- per-terminal root causes ----
  const report = JSON.parse(fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8'));
  const repTerm = new Map((report.terminals || []).map((t) => [t.terminalId, t]));
  const rc = (id) => (repTerm.get(id)?.rootCauses || []).map((x) => x.cause);
  const faultyStats = { faulty: 0, top1: 0, any: 0, detectable: 0, detTop1: 0, detAny: 0, absent: 0, byCause: {}, wrongTop1: {} };
  const healthyStats = { healthy: 0, withRootCause: 0, named: {} };
  const DETECTABLE = 5;
  for (const t of truth.terminals) {
    const causes = rc(t.terminalId);
    if (!repTerm.has(t.terminalId)) faultyStats.absent += t.faulty ? 1 : 0;
    if (t.faulty) {
      const injected = t.faults.reduce((n, f) => n + (f.injected || 0), 0);
      const det = injected >= DETECTABLE;
      const b = (faultyStats.byCause[t.rootCause] ||= { faulty: 0, top1: 0, any: 0, detectable: 0, detTop1: 0, detAny: 0 });
      faultyStats.faulty++; b.faulty++;
      const hit1 = causes[0] === t.rootCause, hitAny = causes.includes(t.rootCause);
      if (hit1) { faultyStats.top1++; b.top1++; } else inc(faultyStats.wrongTop1, `${t.rootCause} -> ${causes[0] || '(none)'}`);
      if (hitAny) { faultyStats.any++; b.any++; }
      if (det) {
        faultyStats.detectable++; b.detectable++;
        if (hit1) { faultyStats.detTop1++; b.detTop1++; }
        if (hitAny) { faultyStats.detAny++; b.detAny++; }
      }
    } else {
      healthyStats.healthy++;
      if (causes.length) { healthyStats.withRootCause++; for (const c of causes) inc(healthyStats.named, c); }
    }
  }

  // ---- the outage ----
  const ms = (s) => Date.parse(s);
  const outages = (truth.incidents || []).map((inc0) => {
    const s0 = ms(inc0.start), e0 = ms(inc0.end);
    const reported = (report.incidents || []).map((ri) => ({ ri, ov: Math.min(e0, ms(ri.end)) - Math.max(s0, ms(ri.start)) })).filter((x) => x.ov > 0);
    const withCause = reported.filter((x) => (x.ri.causes || []).includes(inc0.cause));
    const best = (withCause.length ? withCause : reported).sort((a, b) => b.ov - a.ov)[0]?.ri || null;
    const truthSet = new Set(inc0.terminals);
    const repSet = new Set(best?.terminals || []);
    let covered = 0;
    for (const id of truthSet) if (repSet.has(id)) covered++;
    const rcTerms = truth.terminals.filter((t) => rc(t.terminalId).includes(inc0.cause)).map((t) => t.terminalId);
    const rcTop1 = truth.terminals.filter((t) => rc(t.terminalId)[0] === inc0.cause).length;
    return {
      truth: { start: inc0.start, end: inc0.end, terminals: truthSet.size, failures: inc0.failures },
      detected: withCause.length > 0,
      overlapping: reported.length,
      reported: best ? { start: best.start, end: best.end, causes: best.causes, terminals: repSet.size, failures: best.failures ?? null } : null,
      terminalCoverage: ratio(covered, truthSet.size),
      reportedNotInTruth: [...repSet].filter((id) => !truthSet.has(id)).length,
      asRootCause: { terminals: rcTerms.length, top1: rcTop1, examples: rcTerms.slice(0, 5) },
    };
  });
  const truthWindows = (truth.incidents || []).map((i) => [ms(i.start), ms(i.end)]);
  const otherIncidents = (report.incidents || []).filter((ri) => !truthWindows.some(([s, e]) => Math.min(e, ms(ri.end)) - Math.max(s, ms(ri.start)) > 0))
    .map((ri) => ({ start: ri.start, end: ri.end, causes: ri.causes, terminals: (ri.terminals || []).length }));

  // ---- merchant focus ----
  let focus = null;
  if (truth.focus) {
    const ts = truth.terminals.filter((t) => t.merchantId === truth.focus.merchantId);
    focus = {
      merchantId: truth.focus.merchantId,
      terminals: ts.map((t) => ({
        terminalId: t.terminalId, faulty: t.faulty, truthRootCause: t.rootCause,
        variants: t.faults.map((f) => f.variant),
        injected: t.faults.reduce((n, f) => n + (f.injected || 0), 0), attempts: t.attempts,
        reportedRootCauses: rc(t.terminalId),
        named: t.faulty ? rc(t.terminalId).includes(t.rootCause) : null,
        top1: t.faulty ? rc(t.terminalId)[0] === t.rootCause : null,
        falseAlarm: !t.faulty ? rc(t.terminalId).length > 0 : null,
        assessment: repTerm.get(t.terminalId)?.assessment ?? null,
        failureRate: repTerm.get(t.terminalId)?.failureRate?.rate ?? null,
      })),
    };
  }

  return {
    scenario: truth.scenario, seed: truth.seed, params: truth.params,
    transactions: {
      truthRows: rows.length, findings, matched, missing: rows.length - matched, extra: extras.length,
      joinedByTxnId: viaTxn, joinedByRrn: viaRrn,
      accuracy: ratio(correct, matched), accuracyOverTruth: ratio(correct, rows.length),
      outcomeAgreement: ratio(outcomeOk, matched),
      unknownShareOfFindings: ratio(unknownFindings, findings), unknownShareOfMatched: ratio(matchedUnknown, matched),
      perCause, perPredicted: perPred, perOrigin, perVariant, perReason,
      missingBy: Object.fromEntries(top(missing, 25)), extraBy: Object.fromEntries(top(extraBy, 25)), extraKinds,
    },
    rootCauses: { faulty: faultyStats, healthy: { ...healthyStats, falseAlarmRate: ratio(healthyStats.withRootCause, healthyStats.healthy) }, detectableMinFindings: DETECTABLE },
    outage: outages, otherIncidents, focus,
  };
}

function printText(s) {
  const T = s.transactions;
  const L = [];
  const p = (x) => L.push(x);
  p(`fleet2 score — scenario ${s.scenario}, seed ${s.seed} (${s.params.terminals} terminals × ${s.params.days} days)`);
  p('');
  p('Per-transaction causes');
  p(`  truth rows ${T.truthRows}, findings ${T.findings}; matched ${T.matched} (by txnId ${T.joinedByTxnId}, by rrn ${T.joinedByRrn}), missing ${T.missing}, extra ${T.extra}`);
  p(`  cause accuracy on matched ${pct(T.accuracy, 1)}; over all truth rows ${pct(T.accuracyOverTruth, 1)}; outcome agreement ${pct(T.outcomeAgreement, 1)}`);
  p(`  unknown: ${pct(T.unknownShareOfFindings, 1)} of findings, ${pct(T.unknownShareOfMatched, 1)} of matched`);
  p('');
  p('  truth cause          count  reported  correct  recall  mistaken for');
  for (const [c, v] of Object.entries(T.perCause).sort((a, b) => b[1].count - a[1].count)) {
    p(`  ${c.padEnd(19)} ${String(v.count).padStart(6)} ${String(v.reported).padStart(9)} ${String(v.correct).padStart(8)} ${pct(v.correct, v.count).padStart(7)}  ${top(v.mistakenFor).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  p('');
  p('  predicted cause   predicted  precision  extra  truth was');
  for (const [c, v] of Object.entries(T.perPredicted).sort((a, b) => b[1].predicted - a[1].predicted)) {
    p(`  ${c.padEnd(19)} ${String(v.predicted).padStart(7)} ${pct(v.correct, v.predicted).padStart(10)} ${String(v.extra || 0).padStart(6)}  ${top(v.truthWas).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  p('');
  p('  by origin: ' + Object.entries(T.perOrigin).map(([k, v]) => `${k} ${v.correct}/${v.count} (${pct(v.correct, v.count)})`).join('; '));
  p('');
  p('  injected fault variants (recall):');
  for (const [k, v] of Object.entries(T.perVariant).sort((a, b) => b[1].count - a[1].count)) {
    p(`    ${k.padEnd(40)} ${String(v.correct).padStart(5)}/${String(v.count).padEnd(5)} ${pct(v.correct, v.count).padStart(6)}  ${top(v.mistakenFor).map(([x, n]) => `${x} ${n}`).join(', ')}`);
  }
  const weak = Object.entries(T.perReason).filter(([, v]) => v.correct < v.count).sort((a, b) => (b[1].count - b[1].correct) - (a[1].count - a[1].correct)).slice(0, 15);
  if (weak.length) {
    p('');
    p('  most missed (truth cause <- what happened): wrong/count, mistaken for');
    for (const [k, v] of weak) p(`    ${k.padEnd(40)} ${String(v.count - v.correct).padStart(5)}/${String(v.count).padEnd(5)}  ${top(v.mistakenFor).map(([x, n]) => `${x} ${n}`).join(', ')}`);
  }
  if (T.missing) {
    p('');
    p('  in truth, not reported (outcome / cause / variant):');
    for (const [k, n] of Object.entries(T.missingBy)) p(`    ${String(n).padStart(6)}  ${k}`);
  }
  if (T.extra) {
    p('');
    p('  reported, not in truth (outcome / cause):');
    for (const [k, n] of Object.entries(T.extraBy)) p(`    ${String(n).padStart(6)}  ${k}`);
    p('  ... of which: ' + Object.entries(T.extraKinds).map(([k, n]) => `${k} ${n}`).join(', '));
  }
  const F = s.rootCauses.faulty, Hh = s.rootCauses.healthy;
  p('');
  p('Per-terminal root causes');
  p(`  faulty terminals ${F.faulty}: top-1 ${F.top1} (${pct(F.top1, F.faulty)}), any rank ${F.any} (${pct(F.any, F.faulty)})`);
  p(`  with >= ${s.rootCauses.detectableMinFindings} injected findings ${F.detectable}: top-1 ${F.detTop1} (${pct(F.detTop1, F.detectable)}), any rank ${F.detAny} (${pct(F.detAny, F.detectable)})`);
  for (const [c, b] of Object.entries(F.byCause).sort((a, b) => b[1].faulty - a[1].faulty)) {
    p(`    ${c.padEnd(19)} ${String(b.faulty).padStart(4)} faulty  top-1 ${pct(b.top1, b.faulty).padStart(6)}  any ${pct(b.any, b.faulty).padStart(6)}   (detectable ${b.detectable}: top-1 ${pct(b.detTop1, b.detectable)}, any ${pct(b.detAny, b.detectable)})`);
  }
  if (Object.keys(F.wrongTop1).length) p('  wrong top-1 (truth -> reported): ' + top(F.wrongTop1, 12).map(([k, n]) => `${k} ${n}`).join('; '));
  p(`  healthy terminals ${Hh.healthy}: ${Hh.withRootCause} with a root cause (false alarm rate ${pct(Hh.falseAlarmRate, 1)})${Hh.withRootCause ? ': ' + top(Hh.named, 8).map(([k, n]) => `${k} ${n}`).join(', ') : ''}`);
  p('');
  p('Issuer/platform outage');
  if (!s.outage.length) p('  (none in this scenario)');
  for (const o of s.outage) {
    p(`  truth ${o.truth.start} – ${o.truth.end}, ${o.truth.terminals} terminals, ${o.truth.failures} failures`);
    p(`  reported as incident with issuer_platform: ${o.detected ? 'YES' : 'NO'}${o.reported ? ` — ${o.reported.start} – ${o.reported.end}, causes [${o.reported.causes.join(', ')}], ${o.reported.terminals} terminals (coverage ${pct(o.terminalCoverage, 1)}, ${o.reportedNotInTruth} not in truth)` : ''}`);
    p(`  issuer_platform as a terminal root cause: ${o.asRootCause.terminals} terminals (top-1 on ${o.asRootCause.top1})`);
  }
  if (s.otherIncidents.length) p(`  other reported incidents: ${s.otherIncidents.map((i) => `${i.start}–${i.end} [${i.causes.join(',')}] ${i.terminals}t`).join('; ')}`);
  if (s.focus) {
    p('');
    p(`Merchant ${s.focus.merchantId}`);
    for (const t of s.focus.terminals) {
      p(`  ${t.terminalId}: ${t.faulty ? `FAULTY ${t.truthRootCause} (${t.variants.join(',')}, ${t.injected} injected of ${t.attempts} attempts)` : 'healthy'}; reported root causes [${t.reportedRootCauses.join(', ')}] assessment ${t.assessment}, failure rate ${t.failureRate == null ? '—' : pct(t.failureRate, 1)} -> ${t.faulty ? (t.top1 ? 'NAMED top-1' : t.named ? 'named (not top-1)' : 'NOT NAMED') : t.falseAlarm ? 'FALSE ALARM' : 'ok'}`);
    }
  }
  return L.join('\n') + '\n';
}

if (process.argv[1]?.endsWith('score.mjs')) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const [truthDir, reportDir] = args.filter((a) => a !== '--json');
  if (!truthDir || !reportDir) {
    process.stderr.write('usage: node scripts/fleet2/score.mjs TRUTH_DIR REPORT_DIR [--json]\n');
    process.exit(2);
  }
  try {
    const s = await score(truthDir, reportDir);
    process.stdout.write(json ? JSON.stringify(s, null, 2) + '\n' : printText(s));
  } catch (e) {
    process.stderr.write(`score: ${e.message}\n`);
    process.exit(2);
  }
}
