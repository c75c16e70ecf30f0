#!/usr/bin/env node
// The join floor: the least work any analyzer of these files must do. Read both files, split lines,
// JSON.parse each terminal line, split settlement cells, index settlement by rrn, count attempts, failures
// and unsettled per terminal. Prints one JSON line: {wall, rss, terminals, attempts, failures, unsettled}.
//   node scripts/bench/floor.mjs TERMINAL.ndjson|.csv SETTLEMENT.csv
import { createReadStream } from 'node:fs';

/** Calls `each` for every line of the file, synchronously within each 1 MiB chunk. */
async function eachLine(path, each) {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + chunk;
    let start = 0;
    let nl;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      each(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest) each(rest);
}

const [terminalPath, settlementPath] = process.argv.slice(2);
const t0 = performance.now();
const settled = new Map();
let header = null;
let rrnCol = -1;
let statusCol = -1;
await eachLine(settlementPath, (line) => {
  const cells = line.split(',');
  if (!header) {
    header = cells;
    rrnCol = cells.indexOf('rrn');
    statusCol = cells.indexOf('status');
    return;
  }
  settled.set(cells[rrnCol], cells[statusCol]);
});
const perTerminal = new Map();
let csvHeader = null;
const csv = terminalPath.endsWith('.csv');
await eachLine(terminalPath, (line) => {
  if (!line) return;
  let r;
  if (csv) {
    const cells = line.split(',');
    if (!csvHeader) { csvHeader = cells; return; }
    r = {};
    for (let i = 0; i < csvHeader.length; i++) r[csvHeader[i]] = cells[i];
  } else r = JSON.parse(line);
  let t = perTerminal.get(r.terminalId);
  if (!t) perTerminal.set(r.terminalId, (t = { attempts: 0, failures: 0, unsettled: 0 }));
  t.attempts++;
  if (r.status !== 'approved') t.failures++;
  else if (settled.get(r.rrn) !== 'settled') t.unsettled++;
});
let attempts = 0, failures = 0, unsettled = 0;
for (const t of perTerminal.values()) { attempts += t.attempts; failures += t.failures; unsettled += t.unsettled; }
console.log(JSON.stringify({ wall: (performance.now() - t0) / 1000, rss: process.resourceUsage().maxRSS * 1024, terminals: perTerminal.size, attempts, failures, unsettled }));
