// Both cores: a large run is read by worker threads, each parsing only the rows of its share of the
// terminals (parsers/share.ts), and their states are merged as the passes of --memory-limit are. The
// decisions only the whole run can make (the as-of day, the period the terminal log covers, whether there is
// settlement at all) wait until every worker has read, so the report is the one a single reader writes.
import { closeSync, createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { accountWarnings, classifyRead, collectOptionsOf, heldBytes, memoryLimitOf, readInputs, unusable, type AnalyzeOptions, type Collected, type Plan } from './analyze.js';
import { TxlogError } from './errors.js';
import { mergeAccounts, ShareUnsafe, type SharedAccount } from './ingest.js';
import type { CardKeys } from './pan.js';
import { Progress } from './progress.js';
import { wholeRun, type RunFacts } from './reconcile.js';
import { mergeCollected, passPart, type CollectedPart } from './shard.js';
import { openUnlinked } from './spill.js';

export interface ToWorker {
  options: Omit<AnalyzeOptions, 'progress'>;
  share: { k: number; n: number };
  rejectPath: string | null;
  cardKey: Uint8Array;
  keyed: boolean;
  progress: boolean;
  /** Where its findings go past the heap: opened here, since a worker's own files close when it ends. */
  findingsFile: number;
}

export type FromWorker =
  | { type: 'progress'; records: number; bytes: number[] }
  | { type: 'read'; facts: RunFacts; shared: SharedAccount[] }
  | { type: 'done'; part: CollectedPart }
  | ({ type: 'error' } & WorkerFailure);

/** Why a worker stopped: `unsafe` when its share could not be read apart (the run then reads the input whole). */
interface WorkerFailure {
  unsafe?: boolean;
  code?: string;
  exitCode?: 1 | 2;
  message: string;
}

/** Below this much input a second thread costs more than it saves. */
const WORTH_BYTES = 48 << 20;
const MAX_JOBS = 8;
const SHARED_FORMATS: ReadonlySet<string> = new Set(['ndjson', 'csv', 'tsv']);
/** Peak memory of a run read by two workers, per byte heldBytes estimates (measured: 1M records, 580 MB for 144 MB estimated). */
const WORKERS_HOLD = 4.2;

/**
 * Threads for the run: --jobs when given; else one per core (up to 8) for inputs large enough to gain, and
 * one when the run is a shard, in passes, or reads an input that cannot be read twice (stdin). Workers
 * hold some three times what one reader holds (each its own heap and its copy of the findings until the
 * merge), so by default they are used only where that stays within --memory-limit (an estimate,
 * with room to spare).
 */
export function jobsFor(p: Pick<Plan, 'order'>, options: Pick<AnalyzeOptions, 'jobs' | 'shard' | 'memoryLimit'>, passes: number): number {
  if (options.shard || passes > 1) return 1;
  let bytes = 0;
  for (const { p: input } of p.order) {
    const total = input.source.progress.total;
    if (total === null) return 1;
    // Only formats whose lines a share can tell apart gain: a JSON array, an XML log or a workbook would be
    // read whole by every worker.
    if (SHARED_FORMATS.has(input.format) && !input.source.excel) bytes += input.source.compressed ? total * 8 : total;
  }
  if (options.jobs !== undefined) return options.jobs;
  if (bytes < WORTH_BYTES || (heldBytes(p) ?? Infinity) * WORKERS_HOLD > memoryLimitOf(options)) return 1;
  return Math.min(MAX_JOBS, availableParallelism());
}

/**
 * The collected state of the run read in `jobs` shares, or null when a share found the input cannot be read
 * apart (then read it whole, from a new plan: this one's inputs have been read). This thread reads share 0
 * itself, and `jobs - 1` workers the others: one fewer thread to start, one fewer state to copy back.
 */
export async function collectShared(p: Plan, options: AnalyzeOptions, rejectPath: string | null, cards: CardKeys, jobs: number): Promise<Collected | null> {
  const { progress: out, ...rest } = options;
  const partPaths = [...Array(jobs).keys()].map((k) => (rejectPath === null ? null : `${rejectPath}.${k}`));
  const findingFiles = partPaths.slice(1).map(() => openUnlinked());
  const handedBack = new Set<number>();
  const workers = partPaths.slice(1).map(
    (path, i) =>
      new Worker(new URL('./worker.js', import.meta.url), {
        workerData: { options: { ...rest, generatedAt: p.generatedAt }, share: { k: i + 1, n: jobs }, rejectPath: path, cardKey: cards.keyBytes, keyed: cards.keyed, progress: out !== undefined, findingsFile: findingFiles[i] } satisfies ToWorker,
      }),
  );
  // Share 0 is this thread's: its bytes and records are read off its own sources and counter.
  const own = p.order.map(({ p: input }) => input.source.progress);
  let ownCounter = { records: 0 };
  const counts = [{ records: 0, bytes: [] as number[] }, ...workers.map(() => ({ records: 0, bytes: p.order.map(() => 0) }))];
  const countOf = (k: number, i: number) => (k === 0 ? own[i].bytesRead : counts[k].bytes[i]);
  // Every share reads every byte; the slowest one's share of each input is how far the run is.
  const sources = p.order.map(({ p: input }, i) => ({ progress: { get bytesRead() { return Math.min(...counts.map((_, k) => countOf(k, i))); }, total: input.source.progress.total } }));
  const progress = out ? new Progress(sources, out) : null;
  const recordsNow = () => ownCounter.records + counts.reduce((n, c, k) => (k === 0 ? n : n + c.records), 0);
  const reads: Promise<{ facts: RunFacts; shared: SharedAccount[] }>[] = [];
  const dones: Promise<CollectedPart>[] = [];
  let failure: WorkerFailure | null = null;
  const finished = workers.map(() => false);
  const failed = new Promise<never>((_, reject) => {
    workers.forEach((w, i) => {
      const k = i + 1;
      let onRead: (v: { facts: RunFacts; shared: SharedAccount[] }) => void;
      let onDone: (v: CollectedPart) => void;
      reads.push(new Promise((r) => (onRead = r)));
      dones.push(new Promise((r) => (onDone = r)));
      w.on('message', (m: FromWorker) => {
        if (m.type === 'progress') {
          counts[k].bytes = m.bytes;
          counts[k].records = m.records;
          if (progress) progress.records = recordsNow();
        } else if (m.type === 'read') onRead(m);
        else if (m.type === 'done') {
          finished[i] = true;
          onDone(m.part);
          // Its state is copied here; the worker's own copy goes with it.
          void w.terminate();
        }
        else {
          failure ??= m;
          reject(m);
        }
      });
      w.on('error', (err) => {
        failure ??= { message: err.stack ?? err.message };
        reject(err);
      });
      w.on('exit', (code) => {
        if (code !== 0 && !finished[i]) {
          failure ??= { message: `worker ${k} stopped with exit code ${code}` };
          reject(failure);
        }
      });
    });
  });
  failed.catch(() => {});
  const o = collectOptionsOf(p, rest, partPaths[0], cards);
  progress?.start();
  const ticker = progress ? setInterval(() => (progress.records = recordsNow()), 250) : null;
  ticker?.unref();
  try {
    const mine = readInputs({ ...o, progress: undefined, onRecords: (c) => (ownCounter = c) }, { k: 0, n: jobs });
    const [read, ...others] = await Promise.race([Promise.all([mine, ...reads]), failed]);
    if (ticker) clearInterval(ticker);
    progress?.stop();
    const all = [{ facts: read.reconciler.facts(), shared: read.shared }, ...others];
    const inputs = p.order.map((_, i) => mergeAccounts(all.map((r) => r.shared[i])));
    unusable(inputs);
    const facts = wholeRun(all.map((r) => r.facts));
    for (const w of workers) w.postMessage({ facts });
    const ownPart = passPart(classifyRead(read, o, facts));
    const parts = [ownPart, ...(await Promise.race([Promise.all(dones), failed]))];
    parts[0] = { ...parts[0], accounts: inputs, warnings: [...p.warnings, ...accountWarnings(inputs)] };
    if (rejectPath !== null) await mergeRejects(partPaths as string[], rejectPath, p.order.map(({ p: input }) => input.name));
    // The files of findings that came back belong to the merged table, which closes them when it is done with.
    for (const part of parts) if ('fd' in part.local.cold) handedBack.add(part.local.cold.fd);
    const merged = mergeCollected(parts, p.settings, options.holdInMemory);
    p.phase(`read, reconcile and classify in ${jobs} threads`);
    return merged;
  } catch (err) {
    if (err instanceof ShareUnsafe) return null;
    // Set by the workers' handlers, which the compiler does not follow.
    const f = failure as WorkerFailure | null;
    if (f?.unsafe) return null;
    if (f?.code) throw new TxlogError(f.code, f.message, f.exitCode);
    if (f) throw new Error(f.message);
    throw err;
  } finally {
    if (ticker) clearInterval(ticker);
    progress?.stop();
    await Promise.all(workers.map((w) => w.terminate()));
    for (const fd of findingFiles) if (!handedBack.has(fd)) closeSync(fd);
    await Promise.all(partPaths.map((path) => (path === null ? undefined : rm(path, { force: true }))));
  }
}

/** The workers' rejects as one reader writes them: by input, then by line. */
async function mergeRejects(paths: readonly string[], out: string, inputs: readonly string[]): Promise<void> {
  const order = new Map(inputs.map((name, i) => [name, i]));
  const streams = paths.map((path) => createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })[Symbol.asyncIterator]());
  const key = (line: string): [number, number] => {
    const r = JSON.parse(line) as { file: string; line: number };
    return [order.get(r.file) ?? 0, r.line];
  };
  const heads: ({ text: string; key: [number, number] } | null)[] = [];
  for (const s of streams) {
    const next = await s.next();
    heads.push(next.done ? null : { text: next.value, key: key(next.value) });
  }
  const w = createWriteStream(out);
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && (best < 0 || h.key[0] < heads[best]!.key[0] || (h.key[0] === heads[best]!.key[0] && h.key[1] < heads[best]!.key[1]))) best = i;
    }
    if (best < 0) break;
    if (!w.write(heads[best]!.text + '\n')) await new Promise<void>((r) => w.once('drain', () => r()));
    const next = await streams[best].next();
    heads[best] = next.done ? null : { text: next.value, key: key(next.value) };
  }
  await new Promise<void>((resolve, reject) => w.end((err?: Error | null) => (err ? reject(err) : resolve())));
}
