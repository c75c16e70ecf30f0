import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CauseId } from '../../rules/causes.js';
import { TxlogError } from '../errors.js';
import { Outcome } from '../model.js';

/** A number to equal, a bound written as text ("<= 0.05", ">= 3", "== 0", "!= 0", "< 1", "> 2") or an inclusive range ("78..82"). */
export const Comparison = z.union([
  z.number(),
  z.string().regex(/^\s*(?:(<=|>=|==|!=|<|>)\s*-?\d+(\.\d+)?|-?\d+(\.\d+)?\s*\.\.\s*-?\d+(\.\d+)?)\s*$/, 'a bound looks like "<= 0.05" (operators <=, >=, ==, !=, <, >) or a range like "78..82"'),
]);
export type Comparison = z.infer<typeof Comparison>;

export const ExpectedTransaction = z
  .object({ cause: CauseId.optional(), outcome: Outcome.optional(), ruleId: z.string().optional() })
  .strict();
export type ExpectedTransaction = z.infer<typeof ExpectedTransaction>;

export const ExpectedTerminal = z
  .object({
    /** Root causes, most likely first; `[]` asserts the terminal is healthy. */
    rootCauses: z.array(CauseId).optional(),
    byCause: z.partialRecord(CauseId, Comparison).optional(),
    attempts: Comparison.optional(),
    failures: Comparison.optional(),
    failureRate: Comparison.optional(),
    unsettled: Comparison.optional(),
  })
  .strict();
export type ExpectedTerminal = z.infer<typeof ExpectedTerminal>;

export const ExpectedIncident = z
  .object({ causes: z.array(CauseId).optional(), minTerminals: z.number().int().nonnegative().optional() })
  .strict();
export type ExpectedIncident = z.infer<typeof ExpectedIncident>;

/** The options a case pins, with the names of `txlog analyze`'s flags. */
export const CaseOptions = z
  .object({
    tz: z.string().optional(),
    currency: z.string().optional(),
    profile: z.string().optional(),
    rules: z.string().optional(),
    mapping: z.string().optional(),
    encoding: z.string().optional(),
    settlementGrace: z.number().int().nonnegative().optional(),
    amountTolerance: z.string().optional(),
  })
  .strict();
export type CaseOptions = z.infer<typeof CaseOptions>;

/** `expected.json` of a fixture case: every section optional, any granularity the author wants. */
export const Expected = z
  .object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    /** Input files relative to the case directory; default: every data file in it. */
    inputs: z.array(z.string()).min(1).optional(),
    options: CaseOptions.optional(),
    /** By txnId (or rrn for lines without one). */
    transactions: z.record(z.string(), ExpectedTransaction).optional(),
    terminals: z.record(z.string(), ExpectedTerminal).optional(),
    counts: z
      .object({ byCause: z.partialRecord(CauseId, Comparison).optional(), byOutcome: z.partialRecord(Outcome, Comparison).optional() })
      .strict()
      .optional(),
    /** Metric -> bound; metrics are listed in METRICS (check.ts). */
    bounds: z.record(z.string(), Comparison).optional(),
    incidents: z.array(ExpectedIncident).optional(),
  })
  .strict();
export type Expected = z.infer<typeof Expected>;

/** Reads and validates an expected.json; any problem is one line with the file and the JSON path (exit 2). */
export function loadExpected(path: string): Expected {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new TxlogError('EXPECTED_UNREADABLE', `${path}: cannot read expected.json (${e.code === 'ENOENT' ? 'no such file' : e.message}); every case directory needs one`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TxlogError('EXPECTED_INVALID', `${path}: not valid JSON: ${(err as Error).message}`);
  }
  const parsed = Expected.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TxlogError('EXPECTED_INVALID', `${path}: at ${jsonPath(issue.path)}: ${describeIssue(issue)}`);
  }
  return parsed.data;
}

export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(String(p)) ? `.${String(p)}` : `[${JSON.stringify(String(p))}]`;
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_value') return `${issue.message}`;
  return issue.message;
}
