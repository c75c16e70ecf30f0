#!/usr/bin/env node
// Self-check of a generated directory: files parse, ids are unique, no full PAN is written, and the
// truth agrees with the records (every failed attempt has one truth row, every approved money-moving
// transaction is either settled on time, for its amount, once, or has a truth row saying why not).
//
//   node scripts/fleet2/check.mjs DIR        exit 0 when consistent, 1 with a list of problems

import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { CAUSES } from './lib/catalog.mjs';

export function parseCsvLine(line) {
  const out = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"') { if (line[i + 1] === '"') { cur += '"'; i++; } else q = false; }
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out;
}

export async function* readRecords(file) {
  if (file.endsWith('.json')) {
    for (const r of JSON.parse(fs.readFileSync(file, 'utf8'))) yield r;
    return;
  }
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let header = null;
  const csv = file.endsWith('.csv');
  for await (const line of rl) {
    if (!line) continue;
    if (!csv) { yield JSON.parse(line); continue; }
    const cells = parseCsvLine(line);
    if (!header) { header = cells; continue; }
    const o = {};
    header.forEach((h, i) => { if (cells[i] !== '' && cells[i] !== undefined) o[h] = cells[i]; });
    yield o;
  }
}

const MONEY = new Set(['sale', 'refund', 'completion']);
const STATUSES = new Set(['approved', 'declined', 'failed', 'timeout', 'terminated', 'reversed']);
const ISO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})?$/;
const CARD_REF = /^(\d{6}\*+\d{4}|[\d* ]{15,23}|tok_[0-9a-f]{16}|CT[0-9A-F]{16})$/;

function luhnOk(s) {
  let sum = 0;
  for (let i = s.length - 1, dbl = false; i >= 0; i--, dbl = !dbl) {
    let d = s.charCodeAt(i) - 48;
    if (dbl) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

function addDays(date, n) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export async function check(dir) {
  const problems = [];
  const bad = (m) => { if (problems.length < 200) problems.push(m); };
  const tdir = fs.existsSync(path.join(dir, 'truth', 'truth.json')) ? path.join(dir, 'truth') : dir;
  const truth = JSON.parse(fs.readFileSync(path.join(tdir, 'truth.json'), 'utf8'));
  const termFile = path.join(dir, truth.files.terminal);
  const termInfo = new Map(truth.terminals.map((t) => [t.terminalId, t]));
  for (const t of truth.terminals) if (t.rootCause && !CAUSES.includes(t.rootCause)) bad(`root cause ${t.rootCause} of ${t.terminalId} is not in causes.md`);
  const naive = truth.params.naiveTimes;

  const truthByTxn = new Map();
  const truthByRrn = new Map();
  let truthRows = 0;
  for await (const r of readRecords(path.join(tdir, 'truth.ndjson'))) {
    truthRows++;
    if (!r.terminalId || !r.outcome || !r.cause) bad(`truth row without terminalId/outcome/cause: ${JSON.stringify(r)}`);
    if (!CAUSES.includes(r.cause)) bad(`truth cause ${r.cause} is not in causes.md`);
    if (r.txnId) { if (truthByTxn.has(r.txnId)) bad(`two truth rows for txnId ${r.txnId}`); truthByTxn.set(r.txnId, r); }
    else if (r.rrn) { if (truthByRrn.has(r.rrn)) bad(`two truth rows for rrn ${r.rrn}`); truthByRrn.set(r.rrn, r); }
    else bad(`truth row with neither txnId nor rrn: ${JSON.stringify(r)}`);
  }

  const txn = new Map(); // txnId -> {status, type, amount, date, rrn, terminalId}
  const rrns = new Map();
  let n = 0;
  for await (const r of readRecords(termFile)) {
    n++;
    if (txn.has(r.txnId)) bad(`duplicate txnId ${r.txnId}`);
    if (!r.txnId || !r.terminalId || !r.timestamp || !r.status) bad(`record missing a required field: ${JSON.stringify(r)}`);
    if (!STATUSES.has(r.status)) bad(`bad status ${r.status}`);
    if (!ISO_TS.test(r.timestamp) || (naive ? /(Z|[+-]\d\d:\d\d)$/.test(r.timestamp) : !/(Z|[+-]\d\d:\d\d)$/.test(r.timestamp))) bad(`timestamp ${r.timestamp} does not fit naiveTimes=${naive}`);
    if (r.rrn) { if (!/^\d{12}$/.test(r.rrn)) bad(`rrn shape ${r.rrn}`); if (rrns.has(r.rrn)) bad(`duplicate rrn ${r.rrn}`); rrns.set(r.rrn, r.txnId); }
    if (r.stan && !/^\d{6}$/.test(r.stan)) bad(`stan shape ${r.stan}`);
    if (r.cardRef && !CARD_REF.test(r.cardRef)) bad(`cardRef shape ${r.cardRef}`);
    for (const [k, v] of Object.entries(r)) {
      const digits = String(v).match(/\d{13,19}/g) || [];
      for (const d of digits) if (luhnOk(d) && /^[3-6]/.test(d)) bad(`${k} of ${r.txnId} contains a Luhn-valid card-like number ${d}`);
    }
    const info = termInfo.get(r.terminalId);
    if (!info) bad(`record for terminal ${r.terminalId} not in truth.json`);
    else if (info.messageOnly && (r.responseCode || r.errorCode)) bad(`message-only terminal ${r.terminalId} logged a code`);
    else if (info.profile === 'unionpay' && !info.messageOnly && r.codeProfile !== 'unionpay') bad(`unionpay terminal ${r.terminalId} record without codeProfile`);
    const type = r.type || 'sale';
    if (MONEY.has(type) && r.amount === undefined) bad(`money record without amount ${r.txnId}`);
    const date = r.timestamp.slice(0, 10); // local date: timestamps carry the local offset, or Z (handled below)
    txn.set(r.txnId, { status: r.status, type, amount: r.amount === undefined ? null : Math.round(Number(r.amount) * 100), date, utc: r.timestamp.endsWith('Z'), ts: r.timestamp, rrn: r.rrn, terminalId: r.terminalId });
    if (r.status !== 'approved') {
      const t = truthByTxn.get(r.txnId);
      if (!t) bad(`failed attempt ${r.txnId} (${r.status}) has no truth row`);
      else if (t.outcome !== r.status) bad(`truth outcome ${t.outcome} != status ${r.status} for ${r.txnId}`);
    }
  }

  const voided = new Set();
  for await (const r of readRecords(path.join(tdir, 'nonfindings.ndjson'))) if (r.kind === 'voided_sale') voided.add(r.txnId);

  const rrnToTxn = rrns;
  const settled = new Map(); // txnId -> [lines]
  let lines = 0;
  for await (const L of readRecords(path.join(dir, 'settlement.csv'))) {
    lines++;
    const id = L.txnId || rrnToTxn.get(L.rrn);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(L.settlementDate)) bad(`settlementDate ${L.settlementDate}`);
    if (!id || !txn.has(id)) {
      const t = (L.txnId && truthByTxn.get(L.txnId)) || (L.rrn && truthByRrn.get(L.rrn));
      if (!t || t.outcome !== 'orphan_settlement') bad(`settlement line without terminal record and no orphan truth: ${JSON.stringify(L)}`);
      continue;
    }
    if (!settled.has(id)) settled.set(id, []);
    settled.get(id).push(L);
  }

  const tz = truth.params.tz;
  const localDate = (rec) => {
    if (!rec.utc) return rec.date;
    const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    return f.format(new Date(rec.ts));
  };
  let approvedMoney = 0, ok = 0;
  for (const [id, rec] of txn) {
    if (rec.status !== 'approved' || !MONEY.has(rec.type)) {
      if (settled.has(id)) bad(`non-money or failed record ${id} has settlement lines`);
      continue;
    }
    approvedMoney++;
    const Ls = settled.get(id) || [];
    const t = truthByTxn.get(id);
    if (voided.has(id)) { if (Ls.length) bad(`voided sale ${id} settled`); if (t) bad(`voided sale ${id} has truth`); continue; }
    const good = Ls.length === 1 && Ls[0].status === 'settled' && Math.round(Number(Ls[0].amount) * 100) === rec.amount && Ls[0].settlementDate <= addDays(localDate(rec), 1);
    if (good) { ok++; if (t) bad(`settled-on-time ${id} has truth row ${t.outcome}`); }
    else if (!t) bad(`approved ${id} not settled cleanly (${Ls.map((l) => l.status + ' ' + l.settlementDate + ' ' + l.amount).join('; ') || 'no line'}) and no truth row`);
  }
  for (const [id, t] of truthByTxn) if (!txn.has(id) && t.outcome !== 'orphan_settlement') bad(`truth row for unknown txnId ${id}`);
  for (const [id, t] of truthByTxn) if (txn.has(id) && t.outcome === 'orphan_settlement') bad(`orphan truth ${id} has a terminal record`);

  let events = 0;
  for await (const e of truth.files.events ? readRecords(path.join(dir, truth.files.events)) : []) {
    events++;
    if (e.kind !== 'event' || !e.terminalId || !e.timestamp || !/^[A-Z_]+$/.test(e.event)) bad(`bad event ${JSON.stringify(e)}`);
    if (!termInfo.has(e.terminalId)) bad(`event for unknown terminal ${e.terminalId}`);
  }
  return { problems, stats: { records: n, truthRows, settlementLines: lines, events, approvedMoney, settledOnTime: ok, voided: voided.size } };
}

if (process.argv[1]?.endsWith('check.mjs')) {
  const dir = process.argv[2];
  if (!dir) { process.stderr.write('usage: node scripts/fleet2/check.mjs DIR\n'); process.exit(2); }
  const { problems, stats } = await check(dir);
  process.stdout.write(JSON.stringify(stats) + '\n');
  for (const p of problems) process.stdout.write(`PROBLEM ${p}\n`);
  process.stdout.write(problems.length ? `${problems.length}${problems.length >= 200 ? '+' : ''} problems\n` : 'ok\n');
  process.exitCode = problems.length ? 1 : 0;
}
