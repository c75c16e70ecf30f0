import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { analyze } from '../analyze.js';
import { TxlogError } from '../errors.js';
import { evaluate, pruneExpected, updateExpected, type ExpectationResult } from './evaluate.js';
import { loadExpected } from './expected.js';

export interface CaseResult {
  /** Case directory as given (relative when under the working directory). */
  dir: string;
  name: string;
  expectedPath: string;
  status: 'passed' | 'failed' | 'error';
  results: ExpectationResult[];
  /** Why the case could not run (status `error`). */
  error?: string;
  durationMs: number;
  updated?: boolean;
  /**
   * After `--update`: expectations the analysis no longer supports (still failing once rewritten), kept in
   * expected.json (`kept`) or, with `--prune`, removed from it (`pruned`).
   */
  kept?: ExpectationResult[];
  pruned?: ExpectationResult[];
}

export interface RunOptions {
  update?: boolean;
  /** With `update`: remove the expectations that still fail after the rewrite instead of keeping them. */
  prune?: boolean;
}

/** Case directories under the given roots: a directory holding expected.json is a case; others are searched. */
export function findCases(roots: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (dir: string, depth: number) => {
    if (existsSync(join(dir, 'expected.json'))) {
      out.push(dir);
      return;
    }
    if (depth > 4) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') visit(join(dir, entry.name), depth + 1);
    }
  };
  for (const root of roots) {
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      throw new TxlogError('CASE_NOT_FOUND', `${root}: not a directory; give fixture case directories (each with an expected.json) or a folder of them`);
    }
    const before = out.length;
    visit(root, 0);
    if (out.length === before) throw new TxlogError('CASE_NOT_FOUND', `${root}: no expected.json found in it or below it`);
  }
  return out;
}

/** A fixed generation time: check compares analyses, never clocks. */
const CHECK_TIME = '1970-01-01T00:00:00.000Z';

export async function runCase(dir: string, options: RunOptions = {}): Promise<CaseResult> {
  const started = performance.now();
  const expectedPath = join(dir, 'expected.json');
  const base = { dir, name: caseName(dir), expectedPath };
  try {
    const expected = loadExpected(expectedPath);
    const o = expected.options ?? {};
    const inputs = expected.inputs ? expected.inputs.map((f) => join(dir, f)) : [dir];
    for (const input of inputs) {
      if (!existsSync(input)) throw new TxlogError('CASE_INPUT_MISSING', `${expectedPath}: input ${relative(dir, input)} does not exist in ${dir}`);
    }
    const result = await analyze({
      inputs,
      out: null,
      // Cases run in parallel already, one per core.
      jobs: 1,
      tz: o.tz,
      currency: o.currency,
      profile: o.profile,
      rulesFile: o.rules ? resolve(dir, o.rules) : undefined,
      mapping: o.mapping && /[/\\.]/.test(o.mapping) ? resolve(dir, o.mapping) : o.mapping,
      encoding: o.encoding,
      settlementGraceDays: o.settlementGrace,
      amountTolerance: o.amountTolerance,
      generatedAt: CHECK_TIME,
    });
    let results = evaluate(expected, result);
    let updated = false;
    let kept: ExpectationResult[] | undefined;
    let pruned: ExpectationResult[] | undefined;
    if (options.update && results.some((r) => !r.passed)) {
      let next = updateExpected(expected, result);
      results = evaluate(next, result);
      // What the rewrite could not make true (a transaction with no finding, a terminal that is gone, a
      // hand-written bound now crossed) is never dropped silently: kept and named, or pruned on request.
      const stale = results.filter((r) => !r.passed);
      if (stale.length > 0 && options.prune) {
        next = pruneExpected(next, stale);
        results = evaluate(next, result);
        pruned = stale;
      } else if (stale.length > 0) kept = stale;
      writeAtomic(expectedPath, JSON.stringify(next, null, 2) + '\n');
      updated = true;
    }
    const status = results.every((r) => r.passed) ? 'passed' : 'failed';
    return { ...base, status, results, durationMs: performance.now() - started, updated, kept, pruned };
  } catch (err) {
    if (!(err instanceof TxlogError)) throw err;
    return { ...base, status: 'error', results: [], error: err.message, durationMs: performance.now() - started };
  }
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function caseName(dir: string): string {
  const rel = relative(process.cwd(), resolve(dir));
  return rel && !rel.startsWith('..') ? rel.split('\\').join('/') : basename(dir);
}

/** The 1-based line of an expectation's key in expected.json, for CI annotations. */
export function lineOf(expectedPath: string, id: string): number {
  let text: string;
  try {
    text = readFileSync(expectedPath, 'utf8');
  } catch {
    return 1;
  }
  const keys = id.replace(/\[\d+\]/g, '').split('.');
  let from = 0;
  // Walk the keys in order, so `transactions.t1.cause` lands on t1's own "cause".
  for (const key of keys) {
    const at = text.indexOf(`"${key}"`, from);
    if (at >= 0) from = at;
  }
  return text.slice(0, from).split('\n').length;
}
