import { parentPort } from 'node:worker_threads';
import { runCase } from './run.js';

parentPort!.on('message', async (m: { dir: string; update: boolean; prune: boolean }) => {
  try {
    parentPort!.postMessage({ result: await runCase(m.dir, { update: m.update, prune: m.prune }) });
  } catch (err) {
    parentPort!.postMessage({ error: (err as Error).stack ?? String(err) });
  }
});
