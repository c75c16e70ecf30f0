import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { z } from 'zod';
import { Aggregator, type AggregatorState } from './aggregate.js';
import type { Collected, Settings } from './analyze.js';
import { TxlogError } from './errors.js';
import { EventIndex } from './events.js';
import { INCIDENT_BUCKET_MINUTES } from './incidents.js';
import { Finding, InputAccount } from './model.js';
import { FindingTable, type FindingTableState, type FullObserved } from './finding-table.js';
import { Zone } from './time.js';
import { VERSION } from './version.js';
import { shardOf } from '../parsers/share.js';

/** Shard K of N (0 ≤ K < N), as Kubernetes' JOB_COMPLETION_INDEX numbers them. */
export const Shard = z.object({ k: z.number().int().min(0), n: z.number().int().min(1).max(4096) });
export type Shard = z.infer<typeof Shard>;

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const shard = m ? { k: Number(m[1]), n: Number(m[2]) } : null;
  if (!shard || shard.n < 1 || shard.n > 4096 || shard.k >= shard.n) {
    throw new TxlogError('SHARD_INVALID', `--shard must be K/N with 0 <= K < N <= 4096 (e.g. 0/3 for the first of three), got "${text}"`);
  }
  return shard;
}

// The worker shares of one run and the shards of a run split across hosts hash terminals alike.
export { shardOf };

export function shardFilter(shard: Shard): (terminalId: string) => boolean {
  return (terminalId) => shardOf(terminalId, shard.n) === shard.k;
}

export const PARTIAL_FILE = 'partial.json';
const OBSERVED_FILE = 'findings.ndjson';
const FORMAT = 'txlog-partial';

const PartialHead = z.object({
  format: z.literal(FORMAT),
  version: z.string(),
  shard: Shard,
  settings: z.object({
    tz: z.string(), currency: z.string(), graceDays: z.number(), toleranceMinor: z.number(), profile: z.string(),
    lang: z.enum(['en', 'zh']), rulesFile: z.string().nullable(), bucketMinutes: z.number(),
  }),
});

// What the merge reads of a partial, checked before it is used: a damaged file is the user's to redo, not a crash.
const num = z.number();
const entries = <T extends z.ZodType>(v: T) => z.array(z.tuple([z.string(), v]));
const Seen = z.unknown();
const PartialBody = PartialHead.extend({
  accounts: z.array(InputAccount).min(1),
  warnings: z.array(z.string()),
  aggregator: z.object({
    terminals: z.array(z.object({
      terminalId: z.string(), attempts: num, approved: num, failures: num, first: num.nullable(), last: num.nullable(), idDamaged: z.boolean(),
      merchants: entries(num), failedMinor: entries(num), events: entries(num),
      softwareVersion: entries(Seen), model: entries(Seen), connection: entries(Seen),
      hourAttempts: z.array(num).length(24), hourFailures: z.array(num).length(24),
    })),
    buckets: z.array(z.tuple([num, z.object({ attempts: num, failures: num })])),
    currencies: entries(num),
    fineAttempts: z.array(z.tuple([num, num])),
    terminalFine: entries(z.array(z.tuple([num, num]))),
    approvedFine: entries(z.array(z.tuple([num, num]))),
    groups: z.array(z.tuple([z.string(), entries(z.object({ attempts: num, failures: num }))])),
  }),
  events: z.object({ byTerminal: entries(z.array(z.object({ terminalId: z.string(), ts: num, event: z.string() }).loose())), counts: entries(num) }),
  hits: entries(num),
  settlement: z.object({ observed: num, records: num, matched: num, notYetDue: num, outOfPeriod: num, looseKeys: num, maxDay: num.nullable() }),
  /** Lines of findings.ndjson: a file cut short at a line's end still shows. */
  findings: z.number().int().nonnegative(),
  /** What the shards of one run share: the card key (its check value) and the rules file's content (sha-256). */
  run: z.object({ cardKey: z.string(), rules: z.string().nullable() }),
});
const ObservedLine = z.object({ finding: Finding, ts: num.optional(), minor: num, cardKey: z.string().optional(), damaged: z.array(z.string()).optional() });

function damaged(dir: string, what: string): TxlogError {
  return new TxlogError('PARTIAL_CORRUPT', `partial ${dir} is damaged (${what}): run that shard again`);
}

function firstIssue(file: string, error: z.ZodError): string {
  const i = error.issues[0];
  return `${file}: ${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`;
}

/** A partial directory holds one shard's state; made empty (or new) before the shard writes it. */
export async function preparePartialDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const present = (await readdir(dir)).filter((f) => !f.startsWith('.'));
  const ours = new Set([PARTIAL_FILE, OBSERVED_FILE, 'rejects.ndjson']);
  const foreign = present.filter((f) => !ours.has(f));
  if (foreign.length) throw new TxlogError('PARTIAL_DIR_BUSY', `--partial ${dir} holds other files (${foreign.slice(0, 3).join(', ')}): give each shard an empty directory of its own`);
}

/** Writes the state (JSON) and the findings (NDJSON, one Observed a line); the head file last, so a dir without it is incomplete. */
export async function writePartial(dir: string, state: Collected, meta: Settings & { shard: Shard; run: PartialRun }): Promise<void> {
  const { shard, run, ...settings } = meta;
  let lines = 0;
  const out = createWriteStream(join(dir, OBSERVED_FILE));
  for (const line of state.local.observedLines()) {
    lines++;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
  const body = {
    format: FORMAT,
    version: VERSION,
    shard,
    settings,
    accounts: state.accounts,
    warnings: state.warnings,
    aggregator: state.aggregator.state(),
    events: state.events.state(),
    hits: [...state.hits],
    settlement: { ...state.settlement, maxDay: Number.isFinite(state.settlement.maxDay) ? state.settlement.maxDay : null },
    findings: lines,
    run,
  };
  const tmp = join(dir, `.${PARTIAL_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(body));
  await rename(tmp, join(dir, PARTIAL_FILE));
}

export type PartialRun = z.infer<typeof PartialBody>['run'];

/** The sha-256 of a rules file as a shard read it, or null without one. */
export async function rulesDigest(path: string | null): Promise<string | null> {
  return path === null ? null : createHash('sha256').update(await readFile(path)).digest('hex');
}

/**
 * One shard's (or one pass's) collected state in its plain form, as a partial stores it; a pass of this
 * thread keeps its aggregator as it is (`passPart`).
 */
export interface CollectedPart {
  accounts: InputAccount[];
  warnings: string[];
  aggregator: AggregatorState | Aggregator;
  events: Parameters<EventIndex['absorb']>[0];
  local: FindingTableState;
  hits: Iterable<[string, number]>;
  settlement: Collected['settlement'];
}

/** A collected state as its plain parts (what `mergeCollected` takes back). */
export function partOf(state: Collected): CollectedPart {
  return { accounts: state.accounts, warnings: state.warnings, aggregator: state.aggregator.state(), events: state.events.state(), local: state.local.state(), hits: state.hits, settlement: state.settlement };
}

/**
 * A pass's state, held in this thread until the last pass is read: its aggregator as it is, not as plain
 * entries, which took twice the memory of its maps ([bucket, count] arrays) and were held for every pass
 * read before the last (at 10M, ~130 MB a pass). Nothing uses the pass's aggregator but the merge.
 */
export function passPart(state: Collected): CollectedPart {
  return { accounts: state.accounts, warnings: state.warnings, aggregator: state.aggregator, events: state.events.state(), local: state.local.state(), hits: state.hits, settlement: state.settlement };
}

/**
 * The state one run over every terminal would have collected, from the parts of runs over disjoint sets of
 * terminals (shards, or the passes of a run under --memory-limit), in shard order.
 */
export function mergeCollected(parts: readonly CollectedPart[], s: Pick<Settings, 'tz' | 'bucketMinutes'>, holdRows?: number): Collected {
  const zone = new Zone(s.tz);
  const aggregator = new Aggregator(zone, s.bucketMinutes * 60_000, INCIDENT_BUCKET_MINUTES * 60_000);
  const events = new EventIndex();
  const hits = new Map<string, number>();
  const settlement = { observed: 0, records: 0, matched: 0, notYetDue: 0, outOfPeriod: 0, looseKeys: 0, maxDay: -Infinity };
  for (const b of parts) {
    aggregator.absorb(b.aggregator);
    events.absorb(b.events);
    for (const [k, v] of b.hits) hits.set(k, (hits.get(k) ?? 0) + v);
    settlement.records += b.settlement.records;
    settlement.matched += b.settlement.matched;
    settlement.notYetDue += b.settlement.notYetDue;
    settlement.outOfPeriod += b.settlement.outOfPeriod;
    settlement.looseKeys += b.settlement.looseKeys;
  }
  // Facts of the input as a whole are the same in every part (each read every row); the first's stand.
  const first = parts[0];
  settlement.observed = first.settlement.observed;
  settlement.maxDay = first.settlement.maxDay;
  events.seal();
  // The order a single run sorts its findings in (a total order), so the merge's bytes are the same.
  const local = FindingTable.merged(parts.map((b) => b.local), holdRows);
  local.sort();
  return { accounts: first.accounts, warnings: first.warnings, aggregator, events, local, hits, settlement };
}

export interface MergedPartials {
  settings: Settings;
  state: Collected;
  /** Shard 0's rejects (every shard reads every row; only the first writes the rejects). */
  rejectsFile: string | null;
}

/**
 * Reads the partial directories of every shard of one run and merges them into the state a single run
 * would have collected. Refuses sets that are incomplete, repeated, from another version or settings.
 */
export async function mergePartials(dirs: readonly string[]): Promise<MergedPartials> {
  if (dirs.length === 0) throw new TxlogError('MERGE_NOTHING', 'txlog merge needs the --partial directories of every shard');
  const heads: { dir: string; body: Record<string, unknown> & z.infer<typeof PartialHead> }[] = [];
  for (const dir of dirs) {
    let text: string;
    try {
      text = await readFile(join(dir, PARTIAL_FILE), 'utf8');
    } catch {
      throw new TxlogError('PARTIAL_MISSING', `${dir} holds no ${PARTIAL_FILE}: it is not a finished \`txlog analyze --partial\` directory (did that shard fail?)`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw damaged(dir, `${PARTIAL_FILE} is not valid JSON: ${(e as Error).message}`);
    }
    const head = PartialHead.safeParse(raw);
    if (!head.success) throw damaged(dir, `${firstIssue(PARTIAL_FILE, head.error)}; not a txlog partial state`);
    if (head.data.version !== VERSION) throw new TxlogError('PARTIAL_VERSION', `${dir} was written by txlog ${head.data.version}, this is ${VERSION}: run every shard and the merge with one version`);
    // The version first: another version's state may have another shape, and says so better.
    const body = PartialBody.safeParse(raw);
    if (!body.success) throw damaged(dir, firstIssue(PARTIAL_FILE, body.error));
    // The raw object, not zod's copy: the merge keeps every byte as the shard wrote it.
    heads.push({ dir, body: raw as Record<string, unknown> & z.infer<typeof PartialHead> });
  }
  const n = heads[0].body.shard.n;
  const settings = JSON.stringify(heads[0].body.settings);
  const seen = new Map<number, string>();
  for (const { dir, body } of heads) {
    if (body.shard.n !== n) throw new TxlogError('PARTIAL_MISMATCH', `${dir} is shard ${body.shard.k}/${body.shard.n}, ${heads[0].dir} is of ${n} shards`);
    if (JSON.stringify(body.settings) !== settings) throw new TxlogError('PARTIAL_MISMATCH', `${dir} was analyzed with other options than ${heads[0].dir} (${settings}): every shard needs the same --tz, --currency, --profile, --rules, --lang and windows`);
    const other = seen.get(body.shard.k);
    if (other) throw new TxlogError('PARTIAL_MISMATCH', `${dir} and ${other} are both shard ${body.shard.k}/${n}`);
    seen.set(body.shard.k, dir);
  }
  // Every shard reads every row, so shards of one run account for the same inputs alike, with one key and rules.
  const first = heads[0];
  const runOf = (b: typeof first.body) => b as unknown as z.infer<typeof PartialBody>;
  for (const { dir, body } of heads.slice(1)) {
    if (JSON.stringify(runOf(body).accounts) !== JSON.stringify(runOf(first.body).accounts)) {
      throw new TxlogError('PARTIAL_MISMATCH', `${dir} and ${first.dir} read other inputs (their row accounts differ): merge the partials of one run, every shard given the same files`);
    }
    if (runOf(body).run.cardKey !== runOf(first.body).run.cardKey) {
      throw new TxlogError('PARTIAL_MISMATCH', `${dir} and ${first.dir} were run with different TXLOG_CARD_KEY values: cards would not match across them; run every shard with the same key`);
    }
    if (runOf(body).run.rules !== runOf(first.body).run.rules) {
      throw new TxlogError('PARTIAL_MISMATCH', `${dir} and ${first.dir} read different contents of the rules file ${(body.settings as Settings).rulesFile}: run every shard with the same rules`);
    }
  }
  const rulesFile = (first.body.settings as Settings).rulesFile;
  if (rulesFile !== null) {
    const now = await rulesDigest(rulesFile).catch(() => 'unreadable');
    if (now !== runOf(first.body).run.rules) {
      throw new TxlogError('PARTIAL_MISMATCH', `the rules file ${rulesFile} is ${now === 'unreadable' ? 'not readable now' : 'not what the shards read (it changed since)'}: the merge reads it as the shards did; restore it or run the shards again`);
    }
  }
  const missing = [...Array(n).keys()].filter((k) => !seen.has(k));
  if (missing.length) throw new TxlogError('PARTIAL_INCOMPLETE', `shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${n}`).join(', ')} missing: merge needs every shard's --partial directory`);
  heads.sort((a, b) => a.body.shard.k - b.body.shard.k);

  const s = heads[0].body.settings as Settings;
  const parts: (CollectedPart & { aggregator: AggregatorState })[] = [];
  for (const { dir, body } of heads) {
    const b = body as unknown as Omit<CollectedPart, 'local' | 'hits' | 'aggregator'> & { aggregator: AggregatorState; hits: [string, number][]; settlement: CollectedPart['settlement'] & { maxDay: number | null } };
    const local = await readObserved(dir);
    const expected = (body as unknown as { findings: number }).findings;
    if (local.count !== expected) throw damaged(dir, `${OBSERVED_FILE} holds ${local.count} findings, ${PARTIAL_FILE} says ${expected}`);
    parts.push({ ...b, local, hits: b.hits, settlement: { ...b.settlement, maxDay: b.settlement.maxDay ?? -Infinity } });
  }
  // A shard keeps only the terminals that hash to it: one held by two partials means they are not one run's.
  const holder = new Map<string, string>();
  heads.forEach(({ dir }, i) => {
    for (const t of parts[i].aggregator.terminals) {
      const other = holder.get(t.terminalId);
      if (other !== undefined) {
        throw new TxlogError('PARTIAL_MISMATCH', `${other} and ${dir} both hold terminal ${t.terminalId}: they are not shards of one run (other inputs, or another --shard count); merge the partials of one run, each read from the same inputs`);
      }
      holder.set(t.terminalId, dir);
    }
  });
  return {
    settings: s,
    state: mergeCollected(parts, s),
    rejectsFile: join(heads[0].dir, 'rejects.ndjson'),
  };
}

/** One shard's findings, each line checked: a file cut short mid-line is damaged, not a crash. */
async function readObserved(dir: string): Promise<FindingTableState> {
  const local = new FindingTable();
  let n = 0;
  try {
    for await (const line of createInterface({ input: createReadStream(join(dir, OBSERVED_FILE)), crlfDelay: Infinity })) {
      n++;
      if (!line) continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (e) {
        throw damaged(dir, `${OBSERVED_FILE} line ${n} is not valid JSON: ${(e as Error).message}`);
      }
      const o = ObservedLine.safeParse(raw);
      if (!o.success) throw damaged(dir, `${firstIssue(`${OBSERVED_FILE} line ${n}`, o.error)}`);
      local.push(raw as FullObserved);
    }
  } catch (e) {
    if (e instanceof TxlogError) throw e;
    throw damaged(dir, `${OBSERVED_FILE} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return local.state();
}
