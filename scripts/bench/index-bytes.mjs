#!/usr/bin/env node
// Bytes per settlement entry: the memory the settlement index takes (heap and typed arrays), over its lines. Reads the settlement CSV
// through txlog's own normalizer and index (nothing else kept), with gc before and after.
//   node --expose-gc scripts/bench/index-bytes.mjs SETTLEMENT.csv
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const { planInput, ingest, expectedRows } = await load('src/ingest.js');
const { SettlementIndex } = await load('src/reconcile.js');
const { CardKeys } = await load('src/pan.js');
const { Zone } = await load('src/time.js');

const path = process.argv[2];
globalThis.gc();
const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
const before = used();
const index = new SettlementIndex();
const planned = await planInput(path, 'settlement', {});
// Sized from the file as analyze sizes it.
index.expected = expectedRows(planned);
await ingest(planned, { zone: new Zone('UTC'), currency: 'CNY', cards: new CardKeys() }, {
  txn() {}, event() {}, reject() {}, settlement: (rec) => index.add(rec),
}, {});
globalThis.gc();
const after = used();
console.log(JSON.stringify({ entries: index.size, bytesPerEntry: Math.round((after - before) / Math.max(1, index.size)) }));
