#!/usr/bin/env node
// What a second core can give on this machine for the work of reading a terminal log, whatever txlog does:
// every thread JSON.parses its share of the lines, either reading the whole file and skipping the others'
// lines (as txlog's workers share terminals today), or reading only its own byte range. Prints one JSON
// line: {threads, whole: {one, all, speedup}, range: {one, all, speedup}} with wall seconds.
//   node scripts/bench/ceiling.mjs TERMINAL.ndjson [THREADS]
import { createReadStream, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** Parses the lines of share k of n: every n-th line of the whole file, or the lines of the k-th byte range. */
async function work(file, k, n, mode) {
  const size = statSync(file).size;
  const range = mode === 'range' ? { start: Math.floor((size * k) / n), end: Math.max(0, Math.floor((size * (k + 1)) / n) - 1) } : {};
  let rest = '';
  let line = 0;
  let parsed = 0;
  // A range starting inside a line leaves that line to the range before it (which reads on to its end).
  let first = mode === 'range' && k > 0;
  const each = (text) => {
    if (first) return void (first = false);
    if (mode === 'range' || line++ % n === k) {
      try {
        JSON.parse(text);
        parsed++;
      } catch {}
    }
  };
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20, ...range })) {
    const text = rest + chunk;
    let s = 0;
    let nl;
    while ((nl = text.indexOf('\n', s)) >= 0) {
      each(text.slice(s, nl));
      s = nl + 1;
    }
    rest = text.slice(s);
  }
  if (rest) each(rest);
  return parsed;
}

async function timed(file, n, mode) {
  const t0 = performance.now();
  const others = [];
  for (let k = 1; k < n; k++) {
    others.push(
      new Promise((resolve, reject) => {
        const w = new Worker(new URL(import.meta.url), { workerData: { file, k, n, mode } });
        w.once('message', resolve);
        w.once('error', reject);
      }),
    );
  }
  await work(file, 0, n, mode);
  await Promise.all(others);
  return (performance.now() - t0) / 1000;
}

if (isMainThread) {
  const [file, threads] = process.argv.slice(2);
  const n = Number(threads ?? availableParallelism());
  const out = { threads: n };
  for (const mode of ['whole', 'range']) {
    const one = await timed(file, 1, mode);
    const all = await timed(file, n, mode);
    out[mode] = { one, all, speedup: one / all };
  }
  console.log(JSON.stringify(out));
} else {
  const { file, k, n, mode } = workerData;
  parentPort.postMessage(await work(file, k, n, mode));
}
