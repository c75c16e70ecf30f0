// Mapping profiles: how a merchant export's columns become the canonical fields of formats.md, and the
// row mapper both profiles and the built-in header aliases compile to.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { TxlogError } from '../src/errors.js';
import {
  CANONICAL_FIELDS,
  type CanonicalField,
  type HeaderMatch,
  type RecordKind,
  REQUIRED,
  headerCurrency,
  normalizeHeader,
} from './headers.js';
import { BUILTIN_PROFILES } from './profiles/index.js';
import { parse as parseDate } from 'date-fns';

/** Why a date-fns pattern cannot be used, with the fix, or undefined. */
export function dateFormatProblem(pattern: string): string | undefined {
  // date-fns refuses D/DD (day of year) and Y/YYYY (week-numbering year) and warns on the console first:
  // the usual mistake for dd and yyyy, caught here before date-fns sees it.
  const unquoted = pattern.replace(/'[^']*'/g, '');
  const wrong = unquoted.match(/D+|Y+/g);
  if (wrong) {
    // The whole pattern respelled, quoted text kept, so the message is the fix to paste.
    const fix = pattern.replace(/'[^']*'|[DY]/g, (t) => (t === 'D' ? 'd' : t === 'Y' ? 'y' : t));
    const what = [...new Set(wrong)].map((w) => `${w} (${w[0] === 'D' ? 'day of the year' : 'week-numbering year'})`).join(' and ');
    return `"${pattern}" is Moment-style; date-fns reads ${what}: write "${fix}" instead (date-fns tokens: dd day, MM month, yyyy year, HH hour, mm minute, ss second)`;
  }
  try {
    parseDate('2000-01-01', pattern, new Date(0));
    return undefined;
  } catch (err) {
    return `"${pattern}" is not a date-fns pattern (${(err as Error).message.split(';')[0]}); see https://date-fns.org/docs/parse, e.g. dd.MM.yyyy HH:mm`;
  }
}

const Field = z.enum(CANONICAL_FIELDS);

const COLUMN_SPEC_HELP =
  'expected a header name, a list of header names, or {"join": [...], "with": " "}, {"template": "{A}-{B}"}, ' +
  '{"first": [...]}, {"const": "value"}, {"lineNumber": true, "prefix": "L"}';

/** Where a field's value comes from. Header names are matched like aliases (case, spaces, punctuation ignored). */
export const ColumnSpec = z.union(
  [
    // One column.
    z.string().min(1),
    // Several columns joined with a space, e.g. ["交易日期", "交易时间"]; empty cells are left out.
    z.array(z.string().min(1)).min(1),
    // Several columns joined with `with` (default a space); empty cells are left out.
    z.strictObject({ join: z.array(z.string().min(1)).min(1), with: z.string().default(' ') }),
    // Cells substituted into a pattern by header name: "{Year}-{Month}-{Day} {Time}".
    z.strictObject({ template: z.string().regex(/\{[^{}]+\}/, 'a template names at least one column as {Header}') }),
    // The first non-empty of these columns; headers absent from the file are allowed as long as one is present
    // (export variants that renamed a column).
    z.strictObject({ first: z.array(z.string().min(1)).min(1) }),
    // The same value on every row.
    z.strictObject({ const: z.string() }),
    // The row's 1-based physical line number, e.g. a txnId for exports that have none: "L2", "L3", ...
    z.strictObject({ lineNumber: z.literal(true), prefix: z.string().default('') }),
  ],
  { error: COLUMN_SPEC_HELP },
);
export type ColumnSpec = z.infer<typeof ColumnSpec>;

function validRegex(pattern: string, ctx: z.RefinementCtx): void {
  try {
    new RegExp(pattern);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(pattern)} is not a valid regular expression (${(err as Error).message}); fix: escape it, or give the exact value or a list of values` });
  }
}

/** A cell test for `when`: one exact value, any of several, or a regular expression. */
const Condition = z.union(
  [z.string(), z.array(z.string()).min(1), z.strictObject({ matches: z.string().superRefine(validRegex) })],
  { error: 'expected a value, a list of values, or {"matches": "regex"}' },
);

export const Profile = z
  .strictObject({
    /** Where an editor finds this file's JSON Schema (docs/mapping.schema.json); ignored by txlog. */
    $schema: z.string().optional(),
    /**
     * Identifier shown in report.json `inputs[].profile` and accepted by `--mapping NAME`. Required with
     * `columns`; a mapping without `columns` only says how values are read (dateFormat, decimal, timeZone,
     * encoding, delimiter) and the header is mapped by the built-in aliases and profiles.
     */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes').optional(),
    /** One sentence for people: which export this reads. */
    description: z.string().optional(),
    /** Record kind the rows become (default terminal transactions). */
    kind: z.enum(['terminal', 'events', 'settlement']).default('terminal'),
    /** Header signature for auto-detection: the profile applies to a header line holding all these columns. */
    match: z.strictObject({ headers: z.array(z.string().min(1)).min(1) }).optional(),
    /** Text encoding of the file (`utf-8`, `gb18030`, ...); read by the decoder when the profile is forced. */
    encoding: z.string().optional(),
    /** Field delimiter; auto-detected from the header line when absent. */
    delimiter: z.enum([',', '\t', ';', '|']).optional(),
    /** Lines before the header row. When absent the header is searched for in the first 200 lines. */
    skipLines: z.number().int().min(0).optional(),
    /** Canonical field -> where its value comes from. Unreferenced columns go to `extra`. */
    columns: z.partialRecord(Field, ColumnSpec).optional(),
    /** Canonical field -> {export's value: canonical value}. Case-insensitive; unlisted values pass through. */
    values: z.partialRecord(Field, z.record(z.string(), z.string())).default({}),
    /**
     * Status read from whether a column is empty (TabFormer's `Errors?`). `values.status` is consulted first
     * with the cell's text, then `empty` / `nonEmpty`. Only used when `columns.status` is absent.
     */
    statusFrom: z.strictObject({ column: z.string().min(1), empty: z.string(), nonEmpty: z.string() }).optional(),
    /**
     * Per-row overrides, applied in order: when every cell test in `if` holds (header -> value), `columns`
     * replaces where fields come from and `set` fixes canonical values (e.g. a refund row's type and amount).
     */
    when: z
      .array(
        z.strictObject({
          if: z.record(z.string(), Condition),
          columns: z.partialRecord(Field, ColumnSpec).optional(),
          set: z.partialRecord(Field, z.string()).optional(),
          /** The rule names a column some variants of the export lack: there it does not apply (instead of the profile not fitting). */
          optional: z.boolean().optional(),
        }),
      )
      .default([]),
    /** Cell values that mean "nothing here" (`/`, `-`, `N/A`); they are dropped before defaults apply. */
    nullValues: z.array(z.string()).default([]),
    /** Canonical field -> value used when the row has none (currency, a pseudo terminal for rows without one). */
    defaults: z.partialRecord(Field, z.string()).default({}),
    /**
     * date-fns `parse` pattern (https://date-fns.org/docs/parse) of the timestamp as mapped (after
     * join/template), e.g. `dd.MM.yyyy HH:mm:ss`, `M/d/yyyy h:mm a`. Absent: inferred from the column's
     * values (ISO, day-first or month-first as the data decides, month names, CJK, epoch). Moment-style
     * `DD`/`YYYY` are refused with the date-fns spelling.
     */
    dateFormat: z
      .string()
      .superRefine((pattern, ctx) => {
        // date-fns refuses some tokens outright (DD, YYYY); say so when the profile loads, not on every row.
        const problem = dateFormatProblem(pattern);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    /**
     * Decimal mark of amounts: `,` for 149,00 and 1.234,56, `.` for 12.30 and 1,234.56. Absent: inferred
     * from the column's values (a value with one or two digits after the mark decides).
     */
    decimal: z.enum(['.', ',']).optional(),
    /** IANA zone the export's offset-less times are in (WeChat/Alipay: Asia/Shanghai). Passed on as `info.timeZone`. */
    timeZone: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'not an IANA time zone (e.g. Asia/Shanghai)')
      .optional(),
  })
  .superRefine((p, ctx) => {
    if (p.columns === undefined) {
      // A reading overlay: nothing that needs named columns.
      for (const key of ['match', 'values', 'statusFrom', 'when', 'defaults', 'skipLines'] as const) {
        const v = p[key];
        if (v !== undefined && !(Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `${key} needs "columns" (a mapping without columns only sets dateFormat, decimal, timeZone, encoding, delimiter)` });
        }
      }
      return;
    }
    if (p.name === undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: 'a mapping with columns needs a name (lower-case letters, digits and dashes)' });
    if (p.columns.status !== undefined && p.statusFrom !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['statusFrom'], message: 'give either columns.status or statusFrom, not both' });
    }
    // A terminal export without a transaction id gets one from the line number (see compileProfile).
    const provided = new Set<string>([...Object.keys(p.columns), ...Object.keys(p.defaults)]);
    if (p.kind === 'terminal') provided.add('txnId');
    if (p.statusFrom) provided.add('status');
    for (const w of p.when) for (const f of Object.keys(w.set ?? {})) provided.add(f);
    const missing = REQUIRED[p.kind].filter((f) => !f.split('|').some((one) => provided.has(one)));
    if (missing.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message: `a ${p.kind} profile must map ${missing.join(', ')}` });
    }
  });
export type Profile = z.output<typeof Profile>;

/** Whether a mapping names its columns (a profile) or only says how values are read (an overlay). */
export function hasColumns(p: Profile): p is Profile & { columns: NonNullable<Profile['columns']>; name: string } {
  return p.columns !== undefined;
}

const TOP_KEYS = Object.keys(Profile.def.shape ?? {});

/** One issue in words; unknown keys list the valid ones (a typo should not need the docs). */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const valid = issue.path.length === 0 ? TOP_KEYS : validKeysAt(issue.path);
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}${valid.length ? `; valid keys: ${valid.join(', ')}` : ''}`;
  }
  if (issue.code === 'invalid_key' && issue.path.length === 1) {
    return `unknown field; valid fields: ${CANONICAL_FIELDS.join(', ')}`;
  }
  return issue.message;
}

function validKeysAt(path: readonly PropertyKey[]): string[] {
  const top = String(path[0]);
  const last = String(path[path.length - 1]);
  if (['columns', 'values', 'defaults', 'set'].includes(last)) return [...CANONICAL_FIELDS];
  if (top === 'statusFrom') return ['column', 'empty', 'nonEmpty'];
  if (top === 'match') return ['headers'];
  if (top === 'when' && path.length === 2) return ['if', 'columns', 'set'];
  return [];
}

/** Validates a profile object; `source` names it in the one-line error. */
export function parseProfile(json: unknown, source: string): Profile {
  const r = Profile.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = '$' + issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  throw new TxlogError('MAPPING_INVALID', `invalid mapping profile ${source} at ${path}: ${issueMessage(issue)}`);
}

const builtinCache = new Map<string, Profile>();

/** The built-in profiles, validated (a broken built-in is a bug, reported like a user's profile). */
export function builtinProfiles(): Profile[] {
  return BUILTIN_PROFILES.map((raw) => {
    const name = (raw as { name?: string }).name ?? '?';
    let p = builtinCache.get(name);
    if (!p) {
      p = parseProfile(raw, `built-in:${name}`);
      builtinCache.set(name, p);
    }
    return p;
  });
}

/** `--mapping` value: a built-in profile name or a JSON file. */
export async function loadProfile(ref: string): Promise<Profile> {
  const builtin = builtinProfiles().find((p) => p.name === ref);
  if (builtin) return builtin;
  let text: string;
  try {
    text = await readFile(ref, 'utf8');
  } catch (e) {
    const names = builtinProfiles().map((p) => p.name).join(', ');
    throw new TxlogError(
      'MAPPING_NOT_FOUND',
      `cannot read mapping profile ${ref}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; ` +
        `give a JSON file or a built-in profile (${names})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new TxlogError('MAPPING_INVALID', `invalid mapping profile ${ref} at $: not JSON (${(e as Error).message})`);
  }
  return parseProfile(json, ref);
}

/** What the parser learnt beyond ParseInfo; set on the info object before the first batch is yielded. */
export interface MappedInfo {
  /** Kind the rows were mapped for (a profile's kind, or every kind the header satisfies, best first). */
  kinds: RecordKind[];
  /** Profile's IANA zone for offset-less timestamps; absent: use `--tz`. */
  timeZone?: string;
  /** Profile's date-fns pattern for `timestamp` (and `settlementDate`); absent: auto. */
  dateFormat?: string;
  /** Profile's decimal mark for amounts; absent: inferred from the values. */
  decimal?: '.' | ',';
  /** Header name(s) each canonical field is read from (for inspect and messages). */
  columns?: Partial<Record<string, string>>;
  /** Profile's declared encoding (informational once decoding is done). */
  encoding?: string;
  /** The delimiter in use and the 1-based line of the header row. */
  delimiter: string;
  headerLine: number;
}

type Getter = (cells: string[], line: number) => string | undefined;

/** Turns a row's cleaned cells into canonical fields; built once per file from a profile or the aliases. */
export interface RowMapper {
  profile: string | null;
  kinds: RecordKind[];
  headers: string[];
  /** Where each mapped field comes from, in words: a header, `A + B`, `line number`, `const "X"`. */
  sources: Partial<Record<string, string>>;
  /** Fields whose value is one cell's text, unchanged (what a share reads a line's terminal from). */
  plainColumns?: Partial<Record<string, number>>;
  map(cells: string[], line: number): Record<string, unknown>;
}

function headerLookup(headers: string[]): (name: string) => number {
  const index = new Map<string, number>();
  headers.forEach((h, i) => {
    const k = normalizeHeader(h);
    if (k !== '' && !index.has(k)) index.set(k, i);
  });
  return (name) => index.get(normalizeHeader(name)) ?? -1;
}

function joinCells(cols: number[], sep: string): Getter {
  return (cells) => {
    let out: string | undefined;
    for (const c of cols) {
      const v = cells[c];
      if (v) out = out === undefined ? v : out + sep + v;
    }
    return out;
  };
}

// A cell of the time column that already holds a date (2026-11-05 10:00, 05/11/2026 10:00): it is the timestamp.
const HAS_DATE = /\d{4}[-/.年]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|^\d{8}\s*\d/;

/**
 * A date column and a time column read as one timestamp. A time of digits only that Excel stripped of its
 * leading zero (80301 for 08:03:01, 930 for 09:30) gets it back; a time cell that holds its date is taken alone.
 */
function dateAndTime(dateCol: number, timeCol: number): Getter {
  return (cells) => {
    const date = cells[dateCol];
    let time = cells[timeCol];
    if (time && HAS_DATE.test(time)) return time;
    if (time && (time.length === 5 || time.length === 3) && /^\d+$/.test(time)) time = '0' + time;
    return date && time ? `${date} ${time}` : date || time || undefined;
  };
}

/** Compiles one column spec; returns the headers it needs that the file lacks instead when any are absent. */
function compileSpec(spec: ColumnSpec, find: (h: string) => number, used: Set<number>): Getter | { absent: string[] } {
  const need = (names: string[]): number[] | { absent: string[] } => {
    const cols = names.map(find);
    const absent = names.filter((_, i) => cols[i] < 0);
    if (absent.length > 0) return { absent };
    cols.forEach((c) => used.add(c));
    return cols;
  };
  if (typeof spec === 'string' || Array.isArray(spec)) {
    const cols = need(typeof spec === 'string' ? [spec] : spec);
    if (!Array.isArray(cols)) return cols;
    if (cols.length === 1) {
      const c = cols[0];
      return (cells) => cells[c] || undefined;
    }
    return joinCells(cols, ' ');
  }
  if ('join' in spec) {
    const cols = need(spec.join);
    return Array.isArray(cols) ? joinCells(cols, spec.with) : cols;
  }
  if ('template' in spec) {
    const parts = spec.template.split(/\{([^{}]+)\}/);
    const names = parts.filter((_, i) => i % 2 === 1);
    const cols = need(names);
    if (!Array.isArray(cols)) return cols;
    return (cells) => {
      let out = parts[0];
      let any = false;
      for (let i = 1; i < parts.length; i += 2) {
        const v = cells[cols[(i - 1) / 2]] ?? '';
        if (v) any = true;
        out += v + parts[i + 1];
      }
      return any ? out : undefined;
    };
  }
  if ('first' in spec) {
    const cols = spec.first.map(find).filter((c) => c >= 0);
    if (cols.length === 0) return { absent: [spec.first.join(' | ')] };
    cols.forEach((c) => used.add(c));
    return (cells) => {
      for (const c of cols) if (cells[c]) return cells[c];
      return undefined;
    };
  }
  if ('const' in spec) {
    const v = spec.const;
    return () => v || undefined;
  }
  const prefix = spec.prefix;
  return (_cells, line) => prefix + line;
}

function valueMap(map: Record<string, string>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of Object.entries(map)) m.set(k.trim().toLowerCase(), v);
  return m;
}

function extraKeys(headers: string[]): string[] {
  const seen = new Set<string>();
  return headers.map((h, i) => {
    let key = h === '' ? `column${i + 1}` : h;
    if (seen.has(key)) key = `${key} (${i + 1})`;
    seen.add(key);
    return key;
  });
}

const lineTxnId: Getter = (_cells, line) => 'L' + line;
const LINE_SOURCE = 'line number (the export has no transaction id)';

function describeSpec(spec: ColumnSpec): string {
  if (typeof spec === 'string') return spec;
  if (Array.isArray(spec)) return spec.join(' + ');
  if ('join' in spec) return spec.join.join(` ${JSON.stringify(spec.with)} `);
  if ('template' in spec) return spec.template;
  if ('first' in spec) return spec.first.join(' | ');
  if ('const' in spec) return `const ${JSON.stringify(spec.const)}`;
  return 'line number';
}

/**
 * Compiles a profile against a header row. Returns the headers the profile needs that the row lacks
 * instead of a mapper when it does not fit.
 */
export function compileProfile(profile: Profile, headers: string[]): RowMapper | { absent: string[] } {
  const find = headerLookup(headers);
  const used = new Set<number>();
  const absent: string[] = [];
  const compileAll = (cols: Partial<Record<CanonicalField, ColumnSpec>>): [string, Getter][] => {
    const out: [string, Getter][] = [];
    for (const [field, spec] of Object.entries(cols) as [string, ColumnSpec][]) {
      const g = compileSpec(spec, find, used);
      if (typeof g === 'function') out.push([field, g]);
      else absent.push(...g.absent);
    }
    return out;
  };
  const getters = compileAll(profile.columns ?? {});
  if (profile.kind === 'terminal' && profile.columns?.txnId === undefined) {
    getters.push(['txnId', lineTxnId]);
  }
  let statusFrom: { col: number; empty: string; nonEmpty: string } | undefined;
  if (profile.statusFrom) {
    const col = find(profile.statusFrom.column);
    if (col < 0) absent.push(profile.statusFrom.column);
    else used.add(col);
    statusFrom = { col, empty: profile.statusFrom.empty, nonEmpty: profile.statusFrom.nonEmpty };
  }
  const applicable = profile.when.filter((w) => !w.optional || Object.keys(w.if).every((h) => find(h) >= 0));
  const when = applicable.map((w) => {
    const tests: ((cells: string[]) => boolean)[] = [];
    for (const [header, cond] of Object.entries(w.if)) {
      const col = find(header);
      if (col < 0) {
        absent.push(header);
        continue;
      }
      if (typeof cond === 'string') tests.push((cells) => (cells[col] ?? '') === cond);
      else if (Array.isArray(cond)) {
        const set = new Set(cond);
        tests.push((cells) => set.has(cells[col] ?? ''));
      } else {
        const re = new RegExp(cond.matches);
        tests.push((cells) => re.test(cells[col] ?? ''));
      }
    }
    return { tests, getters: compileAll(w.columns ?? {}), set: Object.entries(w.set ?? {}) as [string, string][] };
  });
  if (absent.length > 0) return { absent: [...new Set(absent)] };

  const maps = (Object.entries(profile.values) as [string, Record<string, string>][]).map(
    ([f, m]) => [f, valueMap(m)] as const,
  );
  const statusMap = valueMap(profile.values.status ?? {});
  const nulls = new Set(profile.nullValues);
  const defaults = Object.entries(profile.defaults) as [string, string][];
  const keys = extraKeys(headers);
  const extraCols = headers.map((_, i) => i).filter((i) => !used.has(i));

  const sources: Partial<Record<string, string>> = {};
  for (const [field, spec] of Object.entries(profile.columns ?? {}) as [string, ColumnSpec][]) sources[field] = describeSpec(spec);
  if (profile.kind === 'terminal' && profile.columns?.txnId === undefined) sources.txnId = LINE_SOURCE;
  if (profile.statusFrom) sources.status = `${profile.statusFrom.column} (empty: ${profile.statusFrom.empty}, else ${profile.statusFrom.nonEmpty})`;
  for (const [field, v] of Object.entries(profile.defaults)) sources[field] ??= `default ${JSON.stringify(v)}`;
  return {
    profile: profile.name ?? null,
    kinds: [profile.kind],
    headers,
    sources,
    map(cells, line) {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < getters.length; i++) {
        const v = getters[i][1](cells, line);
        if (v !== undefined && !nulls.has(v)) out[getters[i][0]] = v;
      }
      let hits: typeof when | undefined;
      for (const w of when) {
        if (!w.tests.every((t) => t(cells))) continue;
        (hits ??= []).push(w);
        for (const [field, g] of w.getters) {
          const v = g(cells, line);
          if (v === undefined || nulls.has(v)) delete out[field];
          else out[field] = v;
        }
      }
      for (let i = 0; i < maps.length; i++) {
        const v = out[maps[i][0]];
        if (typeof v === 'string') {
          const mapped = maps[i][1].get(v.toLowerCase());
          if (mapped !== undefined) out[maps[i][0]] = mapped;
        }
      }
      if (statusFrom && out.status === undefined) {
        const v = cells[statusFrom.col] ?? '';
        out.status = statusMap.get(v.toLowerCase()) ?? (v === '' || nulls.has(v) ? statusFrom.empty : statusFrom.nonEmpty);
      }
      if (hits) for (const w of hits) for (const [field, v] of w.set) out[field] = v;
      for (let i = 0; i < defaults.length; i++) if (out[defaults[i][0]] === undefined) out[defaults[i][0]] = defaults[i][1];
      let extra: Record<string, string> | undefined;
      for (let i = 0; i < extraCols.length; i++) {
        const v = cells[extraCols[i]];
        if (v && !nulls.has(v)) (extra ??= {})[keys[extraCols[i]]] = v;
      }
      if (extra) out.extra = extra;
      return out;
    },
  };
}

/** Compiles the alias mapping of a header row (no profile). */
export function compileAliases(headers: string[], match: HeaderMatch): RowMapper {
  const getters: [string, Getter][] = [];
  const used = new Set<number>();
  // The column each getter reads as it is, -1 for the others.
  const columnOf = new Map<Getter, number>();
  match.fields.forEach((field, col) => {
    if (field === null) return;
    used.add(col);
    const g: Getter = (cells) => cells[col] || undefined;
    columnOf.set(g, col);
    getters.push([field, g]);
  });
  for (const [field, cols] of Object.entries(match.combined) as [string, number[]][]) {
    cols.forEach((c) => used.add(c));
    getters.push([field, field === 'timestamp' && cols.length === 2 ? dateAndTime(cols[0], cols[1]) : joinCells(cols, ' ')]);
  }
  const hasField = (f: string): boolean => getters.some(([g]) => g === f);
  const sources: Partial<Record<string, string>> = {};
  match.fields.forEach((field, col) => {
    if (field !== null) sources[field] = headers[col];
  });
  for (const [field, cols] of Object.entries(match.combined) as [string, number[]][]) sources[field] = cols.map((c) => headers[c]).join(' + ');
  // A currency named only in the amount's header (Amount (EUR)) is every row's currency.
  const amountCol = match.fields.indexOf('amount');
  const unit = amountCol >= 0 && !hasField('currency') ? headerCurrency(headers[amountCol]) : undefined;
  if (unit !== undefined) {
    getters.push(['currency', () => unit]);
    sources.currency = `${headers[amountCol]} (its unit)`;
  }
  if (match.kinds[0] === 'terminal' && !hasField('txnId')) {
    getters.push(['txnId', lineTxnId]);
    sources.txnId = LINE_SOURCE;
  }
  const keys = extraKeys(headers);
  const extraCols = headers.map((_, i) => i).filter((i) => !used.has(i));
  const names = getters.map(([field]) => field);
  const gets = getters.map(([, g]) => g);
  const plainCols = getters.map(([, g]) => columnOf.get(g) ?? -1);
  const fill = fieldsFiller(names, plainCols);
  const plainColumns: Partial<Record<string, number>> = {};
  for (const field of new Set(match.fields)) {
    const cols = match.fields.flatMap((f, col) => (f === field ? [col] : []));
    if (field !== null && cols.length === 1 && !(field in match.combined)) plainColumns[field] = cols[0];
  }
  return {
    profile: null,
    kinds: match.kinds,
    headers,
    sources,
    plainColumns,
    map(cells, line) {
      const out = fill(cells, line, gets);
      let extra: Record<string, string> | undefined;
      for (let k = 0; k < extraCols.length; k++) {
        const i = extraCols[k];
        const v = cells[i];
        if (v) (extra ??= {})[keys[i]] = v;
      }
      if (extra) out.extra = extra;
      return out;
    },
  };
}

/**
 * The fields of a row, in the getters' order, by a function made for this header: each field is stored
 * under its own name (a plain column read in place, the others by their getter), so the rows of one file
 * get the same few object shapes and every read of them stays fast. Names go in as JSON string literals.
 */
function fieldsFiller(names: readonly string[], cols: readonly number[]): (cells: string[], line: number, gets: readonly Getter[]) => Record<string, unknown> {
  let body = 'const out = {};\nlet v;\n';
  names.forEach((name, i) => {
    const read = cols[i] >= 0 ? `cells[${cols[i]}] || undefined` : `gets[${i}](cells, line)`;
    body += `v = ${read};\nif (v !== undefined) out[${JSON.stringify(name)}] = v;\n`;
  });
  body += 'return out;';
  return new Function('cells', 'line', 'gets', body) as (cells: string[], line: number, gets: readonly Getter[]) => Record<string, unknown>;
}

/** Whether a header row carries a profile's signature (`match.headers`). */
export function matchesSignature(profile: Profile, headers: string[]): boolean {
  if (!profile.match) return false;
  const keys = new Set(headers.map(normalizeHeader));
  return profile.match.headers.every((h) => keys.has(normalizeHeader(h)));
}
