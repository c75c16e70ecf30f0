#!/usr/bin/env node
// Scores analyzer findings against a generator's truth file.
//   node scripts/score.mjs <truth.ndjson> <findings.ndjson> [--limit N] [--json]
// Each truth case is joined to a finding by txnId, else rrn, else key. Accuracy = cases whose finding
// names the same cause / all truth cases (a case with no finding counts as wrong).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

export async function readNdjson(path, onRow) {
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text.trim() === '') continue;
    try {
      onRow(JSON.parse(text));
    } catch (err) {
      throw new Error(`${path}:${line}: not JSON (${err.message})`);
    }
  }
}

function push(map, key, value) {
  if (key === undefined || key === null || key === '') return;
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export async function score(truthPath, findingsPath) {
  const byTxnId = new Map();
  const byRrn = new Map();
  const byKey = new Map();
  const findings = [];
  await readNdjson(findingsPath, (f) => {
    const i = findings.length;
    findings.push(f);
    push(byTxnId, f.txnId, i);
    push(byRrn, f.rrn, i);
    push(byKey, f.key, i);
  });
  const used = new Uint8Array(findings.length);
  const perCause = new Map();
  const confusion = new Map();
  const missing = [];
  let total = 0;
  let correct = 0;
  await readNdjson(truthPath, (t) => {
    total++;
    const candidates = (t.txnId && byTxnId.get(t.txnId)) || (t.rrn && byRrn.get(t.rrn)) || (t.key && byKey.get(t.key)) || null;
    let found = null;
    if (candidates) {
      // Prefer the finding about the same outcome (a duplicate and its original share a txnId).
      const idx = candidates.find((i) => !used[i] && findings[i].outcome === t.outcome) ?? candidates.find((i) => !used[i]) ?? candidates[0];
      used[idx] = 1;
      found = findings[idx];
    }
    const c = perCause.get(t.cause) ?? { cases: 0, correct: 0, noFinding: 0 };
    perCause.set(t.cause, c);
    c.cases++;
    if (!found) {
      c.noFinding++;
      missing.push(t);
      const k = `${t.cause} -> (no finding)`;
      confusion.set(k, (confusion.get(k) ?? 0) + 1);
      return;
    }
    if (found.cause === t.cause) {
      correct++;
      c.correct++;
    }
    const k = `${t.cause} -> ${found.cause}${found.cause === t.cause ? '' : ` (${found.ruleId ?? '?'})`}`;
    confusion.set(k, (confusion.get(k) ?? 0) + 1);
  });
  const extra = new Map();
  let extraTotal = 0;
  for (let i = 0; i < findings.length; i++) {
    if (used[i]) continue;
    extraTotal++;
    const k = `${findings[i].cause} / ${findings[i].outcome}`;
    extra.set(k, (extra.get(k) ?? 0) + 1);
  }
  return {
    total,
    correct,
    accuracy: total === 0 ? 1 : correct / total,
    findings: findings.length,
    perCause: [...perCause].sort((a, b) => b[1].cases - a[1].cases).map(([cause, v]) => ({ cause, ...v, accuracy: v.correct / v.cases })),
    confusion: [...confusion].sort((a, b) => b[1] - a[1]).map(([pair, count]) => ({ pair, count })),
    missing,
    extra: { total: extraTotal, byCause: [...extra].sort((a, b) => b[1] - a[1]).map(([key, count]) => ({ key, count })) },
  };
}

function pct(x) {
  return `${(x * 100).toFixed(2)}%`;
}

async function main(argv) {
  const args = argv.filter((a) => !a.startsWith('--'));
  const json = argv.includes('--json');
  const li = argv.indexOf('--limit');
  const limit = li >= 0 ? Number(argv[li + 1]) : 20;
  if (li >= 0) args.splice(args.indexOf(argv[li + 1]), 1);
  if (args.length !== 2) {
    console.error('usage: node scripts/score.mjs <truth.ndjson> <findings.ndjson> [--limit N] [--json]');
    return 2;
  }
  const r = await score(args[0], args[1]);
  if (json) {
    console.log(JSON.stringify({ ...r, missing: r.missing.slice(0, limit), missingTotal: r.missing.length }, null, 2));
    return 0;
  }
  console.log(`accuracy ${pct(r.accuracy)}  (${r.correct} / ${r.total} injected cases; ${r.findings} findings)`);
  console.log('\nper cause');
  for (const c of r.perCause) {
    console.log(`  ${c.cause.padEnd(20)} ${String(c.correct).padStart(7)} / ${String(c.cases).padEnd(7)} ${pct(c.accuracy).padStart(8)}  no finding: ${c.noFinding}`);
  }
  console.log('\nconfusion (truth -> found)');
  for (const c of r.confusion) console.log(`  ${String(c.count).padStart(7)}  ${c.pair}`);
  console.log(`\ncases with no finding: ${r.missing.length}`);
  for (const m of r.missing.slice(0, limit)) console.log(`  ${JSON.stringify(m)}`);
  console.log(`\nfindings not in truth: ${r.extra.total}`);
  for (const e of r.extra.byCause.slice(0, limit)) console.log(`  ${String(e.count).padStart(7)}  ${e.key}`);
  return 0;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err.message);
      process.exitCode = 2;
    },
  );
}
