#!/usr/bin/env node
// CPU time of reading one input through parser and normalizer into a sink that keeps nothing: the read
// path alone, measured in CPU seconds so a busy machine disturbs it less than wall time.
//   node scripts/bench/ingest-cpu.mjs FILE [terminal|events|settlement] [--repeat N]
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const { ingest, planInput } = await load('src/ingest.js');
const { Zone } = await load('src/time.js');
const { CardKeys } = await load('src/pan.js');
const [file, kind] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const at = process.argv.indexOf('--repeat');
const repeat = at > 0 ? Number(process.argv[at + 1]) : 1;
let n = 0;
const sink = { txn: () => n++, event: () => n++, settlement: () => n++, reject: () => {} };
for (let r = 0; r < repeat; r++) {
  n = 0;
  const planned = await planInput(file, kind, {});
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const account = await ingest(planned, { zone: new Zone('UTC'), currency: 'CNY', cards: new CardKeys() }, sink, {});
  const cpu = process.cpuUsage(c0);
  console.log(JSON.stringify({ records: n, rejected: account.rejected, cpu: +((cpu.user + cpu.system) / 1e6).toFixed(2), wall: +((performance.now() - t0) / 1000).toFixed(2), usPerRecord: +((cpu.user + cpu.system) / n).toFixed(2) }));
}
