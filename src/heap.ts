import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what a full collection left live before it collects again: 50%.
 * On a machine of 16 GB or more V8 allows up to 4× (a 10M-line run with 0.6 GB live reached 2.4 GB, nearly
 * all of it garbage of parsed rows waiting for the next collection). A run's live data is bounded by
 * --memory-limit (passes, the table of findings); this keeps its garbage bounded by it too.
 */
const GROWING_PERCENT = 50;

let bounded = false;

/**
 * Bounds the heap's growth for the rest of the process (the flag is the isolate's, read at every full
 * collection, and shared by worker threads). A growth factor given on the command line or in NODE_OPTIONS
 * is left as it is.
 */
export function boundHeapGrowth(): void {
  if (bounded) return;
  bounded = true;
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => /heap[-_]growing[-_]percent/.test(a));
  if (!given) setFlagsFromString(`--heap-growing-percent=${GROWING_PERCENT}`);
}
