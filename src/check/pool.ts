import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runCase, type CaseResult, type RunOptions } from './run.js';

/**
 * Runs cases on worker threads (analysis is CPU-bound, so promises alone would not overlap). Results come
 * back in the order of `dirs` whatever order they finish in. Falls back to in-process when running from
 * TypeScript sources (tests) or when one job is asked for.
 */
export async function runCases(dirs: readonly string[], options: RunOptions & { jobs?: number } = {}): Promise<CaseResult[]> {
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), dirs.length));
  const compiled = import.meta.url.endsWith('.js');
  if (jobs === 1 || !compiled) {
    const out: CaseResult[] = [];
    for (const dir of dirs) out.push(await runCase(dir, options));
    return out;
  }
  const results: CaseResult[] = new Array(dirs.length);
  let next = 0;
  const workerUrl = new URL('./worker.js', import.meta.url);
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      const worker = new Worker(workerUrl);
      try {
        while (next < dirs.length) {
          const i = next++;
          results[i] = await new Promise<CaseResult>((resolve, reject) => {
            worker.once('message', (m: { result?: CaseResult; error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m.result!)));
            worker.once('error', reject);
            worker.postMessage({ dir: dirs[i], update: options.update ?? false, prune: options.prune ?? false });
          });
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return results;
}
