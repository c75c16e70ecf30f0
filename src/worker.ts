// One worker of a run read in shares (src/jobs.ts): reads its share of every input, reports the facts only
// the whole run knows, then reconciles and classifies with the run's facts and hands back its state.
import { parentPort, workerData } from 'node:worker_threads';
import { classifyRead, collectOptionsOf, plan, readInputs, type AnalyzeOptions, type ReadInputs } from './analyze.js';
import { CardKeys } from './pan.js';
import type { RunFacts } from './reconcile.js';
import { partOf } from './shard.js';
import { ShareUnsafe } from './ingest.js';
import { TxlogError } from './errors.js';
import type { ToWorker, FromWorker } from './jobs.js';
import { holdFindingsIn } from './finding-table.js';

const data = workerData as ToWorker;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
holdFindingsIn(data.findingsFile);

async function run(): Promise<void> {
  const p = await plan(data.options as AnalyzeOptions);
  const o = collectOptionsOf(p, data.options as AnalyzeOptions, data.rejectPath, CardKeys.withKey(data.cardKey, data.keyed));
  let counter = { records: 0 };
  const sources = p.order.map(({ p: input }) => input.source.progress);
  const timer = data.progress
    ? setInterval(() => post({ type: 'progress', records: counter.records, bytes: sources.map((s) => s.bytesRead) }), 250)
    : null;
  timer?.unref();
  let read: ReadInputs | undefined;
  try {
    read = await readInputs({ ...o, progress: undefined, onRecords: (c) => (counter = c) }, data.share);
  } finally {
    if (timer) clearInterval(timer);
  }
  post({ type: 'read', facts: read.reconciler.facts(), shared: read.shared });
  const facts = await new Promise<RunFacts>((resolve) => port.once('message', (m: { facts: RunFacts }) => resolve(m.facts)));
  const state = classifyRead(read, o, facts);
  // The index and the held records are done with: let them go before the state is copied out.
  read = undefined;
  post({ type: 'done', part: partOf(state) });
}

run().catch((err: unknown) => {
  if (err instanceof ShareUnsafe) post({ type: 'error', unsafe: true, message: err.message });
  else if (err instanceof TxlogError) post({ type: 'error', code: err.code, exitCode: err.exitCode, message: err.message });
  else post({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
});
