import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { TxlogError } from '../src/errors.js';
import { CAUSES, CauseId } from './causes.js';
import { CodeCause, CodeEntry, CodeRange, CodeTable, KeywordEntry, Tables } from './types.js';
import type { KeywordHit, RuleContext } from './types.js';
import iso from './codes/iso.json' with { type: 'json' };
import iso1993 from './codes/iso1993.json' with { type: 'json' };
import unionpay from './codes/unionpay.json' with { type: 'json' };
import jpos from './codes/jpos.json' with { type: 'json' };
import terminalErrors from './codes/terminal-errors.json' with { type: 'json' };
import events from './codes/events.json' with { type: 'json' };
import settlementReasons from './codes/settlement-reasons.json' with { type: 'json' };
import phrases from './codes/phrases.json' with { type: 'json' };
import { PhraseGroup, PhrasesFile } from './vocabulary.js';
import { makeReaders, type Readers } from './signals.js';
import type { TokenModel } from './lib/tokens.js';

/** The part of RuleContext that reads tables. */
export type Lookups = Pick<RuleContext, 'responseCode' | 'terminalError' | 'event' | 'settlementReason' | 'keyword' | 'read'>;

/** What `--rules FILE` may hold: any part of Tables. */
export type TablesPatch = Partial<Tables>;

export const DEFAULT_PROFILE = 'iso';

// Each data file is its table plus a "$comment" naming its sources.
const withComment = <T extends z.ZodRawShape>(shape: T) => z.object({ $comment: z.string().optional(), ...shape }).strict();
const CodesFile = withComment({ codes: CodeTable });
const TerminalErrorsFile = withComment({ codes: CodeTable, errorCodeRanges: z.array(CodeRange) });
const EventsFile = withComment({ events: CodeTable });
const ReasonsFile = withComment({ reasons: CodeTable });

function builtin<T>(name: string, schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  // A broken shipped table is a bug in txlog, not a user error.
  throw new Error(`built-in table rules/codes/${name}: ${formatPath(issue.path)}: ${issue.message}`);
}

let builtinCache: Tables | undefined;

/** The tables shipped in rules/codes/, validated once. */
export function builtinTables(): Tables {
  if (builtinCache) return builtinCache;
  const te = builtin('terminal-errors.json', TerminalErrorsFile, terminalErrors);
  builtinCache = {
    responseCodes: {
      // Two-character ISO 8583:1987 codes and the three-digit 1993 action codes share the profile (keys never collide).
      iso: { ...builtin('iso.json', CodesFile, iso).codes, ...builtin('iso1993.json', CodesFile, iso1993).codes },
      unionpay: builtin('unionpay.json', CodesFile, unionpay).codes,
      jpos: builtin('jpos.json', CodesFile, jpos).codes,
    },
    errorCodes: te.codes,
    errorCodeRanges: te.errorCodeRanges,
    events: builtin('events.json', EventsFile, events).events,
    settlementReasons: builtin('settlement-reasons.json', ReasonsFile, settlementReasons).reasons,
    // Free text is read through phrases.json; keywords are the user's own, from --rules.
    keywords: [],
    phrases: builtin('phrases.json', PhrasesFile, phrases).phrases,
  };
  for (const r of builtinCache.errorCodeRanges) if (r.from > r.to) throw new Error(`built-in table rules/codes/terminal-errors.json: range ${r.from}..${r.to} has from > to`);
  return builtinCache;
}

// ---------------------------------------------------------------- user rules file

const CAUSE_LIST = CAUSES.map((c) => c.id).join(', ');

/** User code entries may omit `en`, or be just a cause id: `"51": "limits"`. */
const UserCodeEntry = z.preprocess(
  (v) => (typeof v === 'string' ? { cause: v } : v),
  z.object({ cause: CodeCause, en: z.string().optional(), zh: z.string().optional(), source: z.string().optional() }).strict(),
);
const UserCodeTable = z.record(z.string(), UserCodeEntry);
const UserRange = z
  .object({ from: z.number().int(), to: z.number().int(), entry: UserCodeEntry })
  .strict()
  .refine((r) => r.from <= r.to, { message: 'from must be <= to', path: ['from'] });
const UserKeyword = KeywordEntry.strict();

export const RulesFile = z
  .object({
    $comment: z.string().optional(),
    $schema: z.string().optional(),
    responseCodes: z.record(z.string(), UserCodeTable).optional(),
    errorCodes: UserCodeTable.optional(),
    errorCodeRanges: z.array(UserRange).optional(),
    events: UserCodeTable.optional(),
    settlementReasons: UserCodeTable.optional(),
    keywords: z.array(UserKeyword).optional(),
    /** Phrases that name a reason in messages: [{"reason": "insufficient_funds", "en": ["no money"], "zh": ["没钱"]}]. */
    phrases: z.array(PhraseGroup).optional(),
    /** Background rates per attempt, for terminals of a fleet too small to compare with: {"network": 0.01}. */
    backgroundRates: z.partialRecord(CauseId.exclude(['unknown']), z.number().min(0).max(1)).optional(),
  })
  .strict();

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(p))) out += (out ? '.' : '') + String(p);
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out || '(top level)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p as string];
  }
  return v;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const path = issue.path;
  const where = formatPath(path);
  const last = path[path.length - 1];
  let given = valueAt(data, path);
  // A shorthand entry ("51": "x") was read as {cause: "x"}: what the user wrote is the string.
  if (given === undefined && last === 'cause') given = valueAt(data, path.slice(0, -1));
  const got = given === undefined ? 'nothing' : JSON.stringify(given);
  if (issue.code === 'unrecognized_keys') {
    const allowed = path.length === 0
      ? 'responseCodes, errorCodes, errorCodeRanges, events, settlementReasons, keywords, phrases, backgroundRates'
      : path[0] === 'keywords' ? 'pattern, regex, cause, lang, note'
      : path[0] === 'errorCodeRanges' && path.length === 2 ? 'from, to, entry' : 'cause, en, zh, source';
    return `${where}: unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; allowed: ${allowed}. Fix: remove or rename them.`;
  }
  if (last === 'cause') {
    const codeLike = path[0] !== 'keywords';
    return `${where}: ${got} is not a cause; allowed: ${CAUSE_LIST}${codeLike ? ' (or "approved" for a success code)' : ''}. Fix: use one of these ids.`;
  }
  if (issue.code === 'invalid_type') {
    return `${where}: expected ${issue.expected}, got ${got}. Fix: give a ${issue.expected} here.`;
  }
  return `${where}: ${issue.message}, got ${got}. Fix: correct this entry.`;
}

function jsonErrorPosition(message: string, text: string): string {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return `line ${lc[1]}:${lc[2]}`;
  const pos = /position (\d+)/.exec(message);
  if (!pos) return '';
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  const col = Number(pos[1]) - before.lastIndexOf('\n');
  return `line ${line}:${col}`;
}

const fill = (t: Record<string, { cause: CodeCause; en?: string; zh?: string; source?: string }>): CodeTable => {
  const out: CodeTable = {};
  for (const [k, e] of Object.entries(t)) out[k] = { ...e, en: e.en ?? k, source: e.source ?? 'user' };
  return out;
};

/** Reads and validates a `--rules FILE`; any problem is one TxlogError('RULES_INVALID') line. */
export function loadRulesFile(path: string): TablesPatch {
  const fail = (what: string): never => {
    throw new TxlogError('RULES_INVALID', `rules file ${path}: ${what}`);
  };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return fail(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Fix: check the path given to --rules.`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const at = jsonErrorPosition((err as Error).message, text);
    return fail(`is not valid JSON${at ? ` at ${at}` : ''} (${(err as Error).message}). Fix: correct the JSON syntax.`);
  }
  const parsed = RulesFile.safeParse(data);
  if (!parsed.success) return fail(describeIssue(parsed.error.issues[0], data));
  const d = parsed.data;
  const patch: TablesPatch = {};
  if (d.responseCodes) {
    patch.responseCodes = {};
    for (const [profile, t] of Object.entries(d.responseCodes)) patch.responseCodes[profile.trim().toLowerCase()] = fill(t);
  }
  if (d.errorCodes) patch.errorCodes = fill(d.errorCodes);
  if (d.errorCodeRanges) {
    patch.errorCodeRanges = d.errorCodeRanges.map((r) => ({ from: r.from, to: r.to, entry: fill({ [`${r.from}..${r.to}`]: r.entry })[`${r.from}..${r.to}`] }));
  }
  if (d.events) patch.events = fill(d.events);
  if (d.settlementReasons) patch.settlementReasons = fill(d.settlementReasons);
  if (d.keywords) {
    d.keywords.forEach((k, i) => {
      if (!k.regex) return;
      try {
        new RegExp(k.pattern, 'iu');
      } catch (err) {
        fail(`keywords[${i}].pattern: ${JSON.stringify(k.pattern)} is not a valid regular expression (${(err as Error).message}). Fix: escape it or drop "regex": true.`);
      }
      if (nestedQuantifier(k.pattern)) {
        fail(`keywords[${i}].pattern: ${JSON.stringify(k.pattern)} repeats a group that itself repeats (like (a+)+): on a long message such a pattern can run for minutes. Fix: repeat once, e.g. a+ instead of (a+)+.`);
      }
    });
    patch.keywords = d.keywords;
  }
  if (d.phrases) patch.phrases = d.phrases.map((g) => ({ ...g, source: g.source ?? 'user' }));
  if (d.backgroundRates) patch.backgroundRates = d.backgroundRates as Record<string, number>;
  return patch;
}

/**
 * Whether a pattern repeats a group whose content repeats without bound ((a+)+, (\w*)*, (x+y){2,}): the
 * shape that backtracks exponentially on a message that almost matches.
 */
export function nestedQuantifier(pattern: string): boolean {
  const repeats: boolean[] = [false];
  const unbounded = (i: number) => pattern[i] === '*' || pattern[i] === '+' || (pattern[i] === '{' && /^\{\d+,\}/.test(pattern.slice(i)));
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
    } else if (c === '(') repeats.push(false);
    else if (c === ')' && repeats.length > 1) {
      const inner = repeats.pop()!;
      const quantified = unbounded(i + 1) || (pattern[i + 1] === '{' && /^\{\d+,\d*\}/.test(pattern.slice(i + 1)));
      if (inner && quantified) return true;
      if (inner || quantified) repeats[repeats.length - 1] = true;
    } else if (unbounded(i)) repeats[repeats.length - 1] = true;
  }
  return false;
}

/** User entries override or add; user keywords and ranges are tried before the built-in ones. */
export function mergeTables(base: Tables, user: TablesPatch): Tables {
  const responseCodes: Tables['responseCodes'] = {};
  for (const [p, t] of Object.entries(base.responseCodes)) responseCodes[p] = { ...t };
  for (const [p, t] of Object.entries(user.responseCodes ?? {})) responseCodes[p] = { ...(responseCodes[p] ?? {}), ...t };
  return {
    responseCodes,
    errorCodes: { ...base.errorCodes, ...user.errorCodes },
    errorCodeRanges: [...(user.errorCodeRanges ?? []), ...base.errorCodeRanges],
    events: { ...base.events, ...user.events },
    settlementReasons: { ...base.settlementReasons, ...user.settlementReasons },
    keywords: [...(user.keywords ?? []), ...base.keywords],
    phrases: [...(user.phrases ?? []), ...base.phrases],
    backgroundRates: user.backgroundRates ?? base.backgroundRates,
  };
}

export function knownProfiles(tables: Tables): string[] {
  return Object.keys(tables.responseCodes).sort();
}

// ---------------------------------------------------------------- lookups

/** Trim and uppercase; CSV/Excel strip a response code's leading zero, so "5" is read as "05". */
export function normalizeResponseCode(code: string): string {
  const c = code.trim().toUpperCase();
  return /^\d$/.test(c) ? `0${c}` : c;
}

/** Names: case-insensitive, spaces and hyphens read as underscores ("comm timeout" = COMM_TIMEOUT). */
export function normalizeName(name: string): string {
  return name.trim().toUpperCase().replace(/[\s-]+/g, '_');
}

const NUMERIC = /^[+-]?\d+$/;

function upperKeys(t: CodeTable, norm: (k: string) => string): Map<string, CodeEntry> {
  const m = new Map<string, CodeEntry>();
  for (const [k, v] of Object.entries(t)) m.set(norm(k), v);
  return m;
}

// Messages repeat a lot (a few dozen distinct texts per export): memoize, bounded.
const KEYWORD_CACHE_MAX = 10_000;

export function makeLookups(tables: Tables, opts: { wordModel?: TokenModel } = {}): Lookups {
  const profiles = new Map<string, Map<string, CodeEntry>>();
  for (const [p, t] of Object.entries(tables.responseCodes)) profiles.set(p.toLowerCase(), upperKeys(t, normalizeResponseCode));
  // A profile whose numeric codes are all longer than two digits (jPOS CMF: "0007", "1005") reads a
  // code written without its leading zeros ("7", CMF's int; CMF.ircString() pads to four) at the shortest width.
  const widths = new Map<string, number>();
  for (const [p, t] of profiles) {
    const lens = [...t.keys()].filter((k) => /^\d+$/.test(k)).map((k) => k.length);
    const w = Math.min(...lens);
    if (lens.length && w > 2) widths.set(p, w);
  }
  const isoTable = profiles.get(DEFAULT_PROFILE) ?? new Map<string, CodeEntry>();

  const errorNames = new Map<string, CodeEntry>();
  const errorNumbers = new Map<number, CodeEntry>();
  for (const [k, v] of Object.entries(tables.errorCodes)) {
    if (NUMERIC.test(k.trim())) errorNumbers.set(Number(k), v);
    else errorNames.set(normalizeName(k), v);
  }
  const ranges = tables.errorCodeRanges;
  const eventTable = upperKeys(tables.events, normalizeName);
  const reasonTable = upperKeys(tables.settlementReasons, (k) => (/^\d+$/.test(k.trim()) ? normalizeResponseCode(k) : normalizeName(k)));

  const compiled = tables.keywords.map((entry) => ({
    entry,
    needle: entry.regex ? undefined : entry.pattern.toLowerCase(),
    re: entry.regex ? new RegExp(entry.pattern, 'iu') : undefined,
  }));
  const cache = new Map<string, KeywordHit | null>();
  // Most failure texts match no keyword: one alternation rejects them in one scan instead of one per entry.
  const plain = compiled.filter((k) => k.needle !== undefined).map((k) => k.needle!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const anyPlain = plain.length ? new RegExp(plain.join('|')) : undefined;

  function keyword(text: string): KeywordHit | undefined {
      if (!text) return undefined;
      const cached = cache.get(text);
      if (cached !== undefined) return cached ?? undefined;
      const lower = text.toLowerCase();
      const mayMatchPlain = anyPlain?.test(lower) ?? false;
      let hit: KeywordHit | null = null;
      for (const k of compiled) {
        if (k.needle !== undefined) {
          if (!mayMatchPlain) continue;
          const i = lower.indexOf(k.needle);
          if (i >= 0) {
            // Lowercasing can change length for a few scripts; then report the lowercased match.
            const src = lower.length === text.length ? text : lower;
            hit = { entry: k.entry, match: src.slice(i, i + k.needle.length) };
            break;
          }
        } else if (k.re) {
          const m = k.re.exec(text);
          if (m) {
            hit = { entry: k.entry, match: m[0] };
            break;
          }
        }
      }
      if (cache.size >= KEYWORD_CACHE_MAX) cache.clear();
      cache.set(text, hit);
      return hit ?? undefined;
    }

  const tableLookups = {
    responseCode(code: string, profile: string) {
      const c = normalizeResponseCode(code);
      if (!c) return undefined;
      const p = profile.trim().toLowerCase();
      const t = profiles.get(p);
      const w = widths.get(p);
      // Two digits stay an ISO code (read through iso.json when the profile lacks them): "05" is not CMF 0005.
      const raw = code.trim();
      const padded = w && /^\d+$/.test(raw) && raw.length < w && raw.length !== 2 ? t?.get(raw.padStart(w, '0')) : undefined;
      return t?.get(c) ?? padded ?? isoTable.get(c);
    },
    terminalError(code: string) {
      const c = code.trim();
      if (!c) return undefined;
      if (!NUMERIC.test(c)) return errorNames.get(normalizeName(c));
      const n = Number(c);
      const exact = errorNumbers.get(n);
      if (exact) return exact;
      for (const r of ranges) if (n >= r.from && n <= r.to) return r.entry;
      return undefined;
    },
    event(name: string) {
      return eventTable.get(normalizeName(name));
    },
    settlementReason(code: string) {
      const c = code.trim();
      if (!c) return undefined;
      return reasonTable.get(/^\d+$/.test(c) ? normalizeResponseCode(c) : normalizeName(c));
    },
  };
  const read: Readers = makeReaders(tables, { ...tableLookups, keyword, wordModel: opts.wordModel });
  return {
    ...tableLookups,
    read,
    keyword,
  };
}

/** Every cause a table can produce (for a table-driven rule's meta.causes). */
export function causesOf(...tables: CodeTable[]): CauseId[] {
  const set = new Set<CauseId>();
  for (const t of tables) for (const e of Object.values(t)) if (e.cause !== 'approved') set.add(e.cause);
  return CAUSES.map((c) => c.id).filter((id) => set.has(id));
}
