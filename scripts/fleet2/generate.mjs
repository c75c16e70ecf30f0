#!/usr/bin/env node
// Independent scenario generator for txlog (see README.md in this directory). Writes a fleet's terminal
// log, device events and settlement file with injected faults, plus the truth an analyst would give.
//
//   node scripts/fleet2/generate.mjs --out DIR [--seed N] [--scenario NAME] [--terminals N] [--days N]
//     [--start YYYY-MM-DD] [--tz ZONE] [--format ndjson|csv|json] [--naive-times]
//     [--message-lang en|zh|mixed] [--fault-share F] [--outage|--no-outage]

import fs from 'node:fs';
import path from 'node:path';
import { Rng } from './lib/rng.mjs';
import { Zone, DAY, isoOffset, parseDate, dateOf } from './lib/time.mjs';
import { makeCardPool, RrnSource } from './lib/ids.mjs';
import { planFleet, SCENARIOS } from './lib/fleet.mjs';
import { runTerminal } from './lib/terminal.mjs';
import { Heap } from './lib/heap.mjs';
import { NdjsonWriter, CsvWriter, SETTLEMENT_COLUMNS, terminalWriter } from './lib/writers.mjs';

const USAGE = `usage: node scripts/fleet2/generate.mjs --out DIR [--seed N] [--scenario ${Object.keys(SCENARIOS).join('|')}]
  [--terminals N] [--days N] [--start YYYY-MM-DD] [--tz ZONE] [--format ndjson|csv|json] [--naive-times]
  [--message-lang en|zh|mixed] [--fault-share F] [--outage|--no-outage]`;

function parseArgs(argv) {
  const o = { seed: 1, scenario: 'fleet', start: '2026-11-16', tz: 'Asia/Shanghai', format: 'ndjson', naiveTimes: false, messageLang: 'mixed' };
  const need = (i) => { if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`); return argv[i + 1]; };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--out': o.out = need(i); i++; break;
      case '--seed': o.seed = Number(need(i)); i++; break;
      case '--scenario': o.scenario = need(i); i++; break;
      case '--terminals': o.terminals = Number(need(i)); i++; break;
      case '--days': o.days = Number(need(i)); i++; break;
      case '--start': o.start = need(i); i++; break;
      case '--tz': o.tz = need(i); i++; break;
      case '--format': o.format = need(i); i++; break;
      case '--message-lang': o.messageLang = need(i); i++; break;
      case '--fault-share': o.faultShare = Number(need(i)); i++; break;
      case '--naive-times': o.naiveTimes = true; break;
      case '--outage': o.outage = true; break;
      case '--no-outage': o.outage = false; break;
      case '-h': case '--help': o.help = true; break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  if (o.help) return o;
  if (!o.out) throw new Error('--out DIR is required');
  const sc = SCENARIOS[o.scenario];
  if (!sc) throw new Error(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}, got ${o.scenario}`);
  if (!['ndjson', 'csv', 'json'].includes(o.format)) throw new Error(`--format must be ndjson, csv or json, got ${o.format}`);
  if (!['en', 'zh', 'mixed'].includes(o.messageLang)) throw new Error(`--message-lang must be en, zh or mixed, got ${o.messageLang}`);
  if (!Number.isInteger(o.seed)) throw new Error('--seed must be an integer');
  o.terminals ??= sc.terminals;
  o.days ??= sc.days;
  o.faultShare ??= sc.faultShare;
  o.outage ??= sc.outage;
  if (o.scenario === 'merchant-1') o.terminals = 1;
  if (o.scenario === 'merchant-3') o.terminals = 3;
  if (!(o.terminals >= 1 && o.terminals <= 99999)) throw new Error('--terminals must be 1..99999');
  if (!(o.days >= 1 && o.days <= 60)) throw new Error('--days must be 1..60');
  o.startWall = parseDate(o.start);
  return o;
}

export function main(argv) {
  let opts;
  try { opts = parseArgs(argv); } catch (e) { process.stderr.write(`${e.message}\n${USAGE}\n`); return 2; }
  if (opts.help) { process.stdout.write(USAGE + '\n'); return 0; }
  const zone = new Zone(opts.tz);
  // truth goes one level down so that `txlog analyze DIR` reads only the inputs
  const truthDir = path.join(opts.out, 'truth');
  fs.mkdirSync(truthDir, { recursive: true });
  opts.cardPoolSize = Math.max(4000, opts.terminals * 40);

  const cards = makeCardPool(new Rng(opts.seed, 'cards'), opts.cardPoolSize);
  const plan = planFleet(opts);
  const { terminals, outage } = plan;

  const wTerm = terminalWriter(opts.out, opts.format);
  const wEv = new NdjsonWriter(path.join(opts.out, 'events.ndjson'));
  const wSet = new CsvWriter(path.join(opts.out, 'settlement.csv'), SETTLEMENT_COLUMNS);
  const wTruth = new NdjsonWriter(path.join(truthDir, 'truth.ndjson'));
  const wNon = new NdjsonWriter(path.join(truthDir, 'nonfindings.ndjson'));

  for (const T of terminals) T.stats = { attempts: 0, findings: 0, byCause: {}, injected: 0, outage: 0 };
  const ctx = {
    zone, seed: opts.seed, cards, rrn: new RrnSource(), outage,
    count(T, cause, origin) {
      T.stats.findings++;
      T.stats.byCause[cause] = (T.stats.byCause[cause] || 0) + 1;
      if (origin === 'fault') T.stats.injected++;
    },
    outageHit(T) { T.stats.outage++; },
    nonfinding(row) { wNon.write(row); },
  };

  // k-way merge of the terminals' time-ordered streams: the files come out in time order
  const heap = new Heap();
  const gens = terminals.map((T) => runTerminal(T, ctx));
  const pull = (gi) => {
    const n = gens[gi].next();
    if (!n.done) heap.push({ t: n.value.t, s: gi, item: n.value });
  };
  for (let gi = 0; gi < gens.length; gi++) pull(gi);
  let truthRows = 0;
  while (heap.size) {
    const { s: gi, item } = heap.pop();
    if (item.k === 'txn') {
      if (item.rec) { wTerm.write(item.rec); terminals[gi].stats.attempts++; }
      if (item.truth) { wTruth.write(item.truth); truthRows++; }
    } else if (item.k === 'ev') wEv.write(item.rec);
    else if (item.k === 'settle') {
      for (const L of item.lines) wSet.write(L);
      for (const tr of item.truth) { wTruth.write(tr); truthRows++; }
    }
    pull(gi);
  }
  for (const w of [wTerm, wEv, wSet, wTruth, wNon]) w.close();
  // a fleet whose terminals log no device events has no events file (an empty input is an error)
  if (!wEv.rows) fs.rmSync(wEv.path);

  const iso = (w) => isoOffset(zone, w);
  const truth = {
    generator: 'fleet2',
    schema: 1,
    scenario: opts.scenario,
    seed: opts.seed,
    params: {
      terminals: opts.terminals, days: opts.days, start: opts.start, tz: opts.tz, format: opts.format,
      naiveTimes: opts.naiveTimes, messageLang: opts.messageLang, faultShare: opts.faultShare, outage: opts.outage,
      settlement: 'next calendar day (D+1); late batches D+2',
    },
    period: { from: iso(opts.startWall), to: iso(opts.startWall + opts.days * DAY), firstDate: opts.start, lastDate: dateOf(opts.startWall + (opts.days - 1) * DAY) },
    files: {
      terminal: path.basename(wTerm.path), events: wEv.rows ? 'events.ndjson' : null, settlement: 'settlement.csv',
      truth: 'truth/truth.ndjson', nonfindings: 'truth/nonfindings.ndjson',
    },
    counts: { attempts: wTerm.rows, events: wEv.rows, settlementLines: wSet.rows, truthRows, nonfindings: wNon.rows },
    terminals: terminals.map((T) => ({
      terminalId: T.terminalId,
      merchantId: T.merchantId,
      faulty: T.faults.length > 0,
      rootCause: T.faults.length ? T.faults[0].cause : null,
      faults: T.faults.map((f) => ({
        cause: f.cause, variant: f.variant, from: iso(f.from), to: iso(f.to),
        merchantLevel: f.terminals.length > 1 || undefined,
        sub: f.sub || f.subs || undefined,
        injected: f.hits[T.idx] || 0,
      })),
      profile: T.profile,
      codeProfileField: T.profileField,
      messageOnly: T.messageOnly,
      lang: T.lang,
      logsEvents: T.logsEvents,
      model: T.model,
      connection: T.connection,
      merchantType: T.type,
      attempts: T.stats.attempts,
      findings: T.stats.findings,
      injected: T.stats.injected,
      outageFailures: T.stats.outage,
      byCause: T.stats.byCause,
    })),
    incidents: outage ? [{
      cause: 'issuer_platform',
      start: iso(outage.start),
      end: iso(outage.end),
      terminals: terminals.filter((T) => T.stats.outage > 0).map((T) => T.terminalId),
      routed: outage.routed.size,
      sparedAcquirer: outage.spared,
      failures: terminals.reduce((n, T) => n + T.stats.outage, 0),
    }] : [],
    merchants: plan.merchants.map((m) => ({ merchantId: m.merchantId, type: m.type, acquirer: m.acquirer, settleKey: m.settleKey, terminals: m.terminals.map((T) => T.terminalId) })),
  };
  if (opts.scenario === 'merchant-1' || opts.scenario === 'merchant-3') {
    truth.focus = { merchantId: terminals[0].merchantId, faultyTerminals: terminals.filter((T) => T.faults.length).map((T) => T.terminalId) };
  }
  fs.writeFileSync(path.join(truthDir, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
  const faulty = terminals.filter((T) => T.faults.length).length;
  process.stderr.write(`fleet2 ${opts.scenario} seed ${opts.seed}: ${terminals.length} terminals (${faulty} faulty), ${wTerm.rows} attempts, ${wEv.rows} events, ${wSet.rows} settlement lines, ${truthRows} truth rows -> ${opts.out}\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('generate.mjs')) {
  process.exitCode = main(process.argv.slice(2));
}
