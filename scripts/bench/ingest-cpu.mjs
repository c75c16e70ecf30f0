#!/usr/bin/env node
// CPU time of reading one input through parser and normalizer into a sink that keeps nothing: the read
// path alone, measured in CPU seconds so a busy machine disturbs it less than wall time.
//   node scripts/bench/ingest-cpu.mjs FILE [terminal|events|settlement] [--repeat N] [--share K/N]
// --share K/N reads as worker K of N does (parsers/share.ts): its own rows parsed, the others' dropped.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const { ingest, ingestShare, planInput } = await load('src/ingest.js');
const { RowShare } = await load('parsers/share.js');
const { Zone } = await load('src/time.js');
const { CardKeys } = await load('src/pan.js');
const flag = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const [file, kind] = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !['--repeat', '--share'].includes(all[i - 1]));
const repeat = Number(flag('--repeat') ?? 1);
const share = flag('--share')?.split('/').map(Number);
let n = 0;
const sink = { txn: () => n++, event: () => n++, settlement: () => n++, reject: () => {} };
for (let r = 0; r < repeat; r++) {
  n = 0;
  const planned = await planInput(file, kind, {});
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const options = { zone: new Zone('UTC'), currency: 'CNY', cards: new CardKeys() };
  const account = share ? (await ingestShare(planned, options, sink, {}, new RowShare(share[0], share[1]))).account : await ingest(planned, options, sink, {});
  const cpu = process.cpuUsage(c0);
  console.log(JSON.stringify({ records: n, rejected: account.rejected, cpu: +((cpu.user + cpu.system) / 1e6).toFixed(2), wall: +((performance.now() - t0) / 1000).toFixed(2), usPerRecord: +((cpu.user + cpu.system) / n).toFixed(2) }));
}
