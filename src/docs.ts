// The generated parts of README.md and docs/*.md: every table that restates code is rendered from the code
// (rules/, the zod schemas, the commander definitions), so the documentation cannot drift from it.
// `npm run docs` rewrites the blocks between the markers; tests/docs.test.ts fails when one is stale.
import type { Command, Option } from 'commander';
import type { z } from 'zod';
import { ALIASES, REQUIRED, type CanonicalField } from '../parsers/headers.js';
import { PARSERS } from '../parsers/index.js';
import { builtinProfiles, Profile } from '../parsers/mapping.js';
import { OUTPUT_FILES } from '../parsers/source.js';
import { CAUSES } from '../rules/causes.js';
import { RULES } from '../rules/index.js';
import { builtinTables, knownProfiles } from '../rules/tables.js';
import { ATTRIBUTION, issuerSide, minFindingsFor } from './attribution.js';
import { buildProgram } from './cli.js';
import { ENCODING_NAMES, ENCODINGS } from './commands/shared.js';
import { EntryMode, Finding, Report, SettlementStatus, TxnStatus, TxnType } from './model.js';
import { camelKey, SettlementRow, TerminalEventRow, TerminalTxnRow } from './normalize.js';

/** The files holding generated blocks, relative to the repository root. */
export const DOC_FILES = ['README.md', 'docs/causes.md', 'docs/inputs.md', 'docs/outputs.md'] as const;

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string) => (s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``);
const table = (head: string[], rows: string[][]) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

// ---------------------------------------------------------------- causes and rules

/** The README's cause table, from the catalogue and each rule's meta (the rules are their own docs). */
export function renderCauseTable(): string {
  const rows = CAUSES.map((c) => {
    const rules = RULES.filter((r) => r.meta.causes.includes(c.id)).map((r) => `\`${r.meta.id}\``);
    return [`[\`${c.id}\`](docs/causes.md#${c.id})`, c.zh, esc(c.en), c.whoActs.join(', ') || '—', c.retryable ?? '—', rules.join(', ')];
  });
  return [table(['cause', '中文', 'English', 'who acts', 'retry', 'decided by rules'], rows), '', renderRuleTable()].join('\n');
}

function renderRuleTable(): string {
  const rows = RULES.map((r, i) => [
    String(i + 1),
    `\`${r.meta.id}\``,
    r.meta.causes.length > 4 ? `${r.meta.causes.length} causes (table)` : r.meta.causes.join(', '),
    String(r.meta.strength),
    r.meta.needs.join(', '),
    esc(r.meta.description),
  ]);
  return [
    'Every rule is asked about every finding; the strongest verdict wins (the strength column, on the scale of',
    '`rules/reasons.ts`), the others are kept as set aside, and this order only breaks ties:',
    '',
    table(['#', 'rule', 'causes', 'strength', 'reads', 'what it does'], rows),
  ].join('\n');
}

/** Codes of the built-in tables that name this cause, per table. */
function codesFor(cause: string): string[] {
  const t = builtinTables();
  const pick = (tbl: Readonly<Record<string, { cause: string }>>) => Object.keys(tbl).filter((k) => tbl[k].cause === cause).sort();
  const lines: string[] = [];
  for (const profile of knownProfiles(t)) {
    const codes = pick(t.responseCodes[profile]);
    if (codes.length) lines.push(`response codes (\`${profile}\`): ${codes.map(code).join(' ')}`);
  }
  const sections: [string, Readonly<Record<string, { cause: string }>>][] = [
    ['terminal error codes', t.errorCodes],
    ['terminal events', t.events],
    ['settlement reasons', t.settlementReasons],
  ];
  for (const [what, tbl] of sections) {
    const codes = pick(tbl);
    if (codes.length) lines.push(`${what}: ${codes.map(code).join(' ')}`);
  }
  return lines;
}

/** When a cause is named a terminal's root cause (src/attribution.ts), in words. */
function rootCauseBar(c: (typeof CAUSES)[number]): string {
  if (c.id === 'unknown') return 'never (unknown findings are counted, not attributed)';
  const issuer = issuerSide(c.id);
  const strict = c.background || issuer;
  const ratio = strict ? ATTRIBUTION.backgroundMinRatio : ATTRIBUTION.minRatio;
  const rare = minFindingsFor(c.id);
  const common = minFindingsFor(c.id, 1);
  const findings = rare === common ? `${rare}` : `${rare} (${common} where its baseline is ${ATTRIBUTION.terminalSideRareRate * 100}% or more)`;
  const why = c.background ? ' (cardholder-side: normal background everywhere)' : issuer ? ' (issuer-side: nothing a terminal causes)' : '';
  return `its rate at least ${ratio} times its baseline and ${findings} findings above it, q ≤ ${ATTRIBUTION.alpha}${why}`;
}

/** docs/causes.md: the whole catalogue, one section per cause. */
export function renderCauseCatalogue(): string {
  const out: string[] = [];
  for (const c of CAUSES) {
    const rules = RULES.filter((r) => r.meta.causes.includes(c.id));
    out.push(`### \`${c.id}\``, '', `**${c.en}** · ${c.zh}`, '');
    out.push(`- Who acts: ${c.whoActs.length ? c.whoActs.join(', ') : '—'}`);
    out.push(`- Retry helps: ${c.retryable ?? '—'}`);
    out.push(`- Root cause of a terminal: ${rootCauseBar(c)}`);
    out.push(`- Fix: ${c.remediation.en}`);
    out.push(`- 处理办法：${c.remediation.zh}`);
    out.push(`- Decided by: ${rules.map((r) => `\`${r.meta.id}\` (${esc(r.meta.title)})`).join('; ') || '—'}`);
    const codes = codesFor(c.id);
    if (codes.length) out.push('- Built-in codes that read as this cause:', ...codes.map((l) => `  - ${l}`));
    out.push('');
  }
  out.push('## Rules', '', renderRuleTable());
  return out.join('\n').trimEnd();
}

// ---------------------------------------------------------------- command line

function optionRow(o: Option): string[] {
  const def = o.defaultValue === undefined || o.negate ? '' : Array.isArray(o.defaultValue) ? o.defaultValue.join(' ') : String(o.defaultValue);
  const choices = o.argChoices ? `; one of ${o.argChoices.map((c) => `\`${c}\``).join(', ')}` : '';
  return [`\`${o.flags}\``, def === '' ? '' : `\`${def}\``, esc(o.description + choices)];
}

function commandSection(cmd: Command): string {
  const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`));
  const argRows = cmd.registeredArguments.map((a) => `\`${a.required ? '<' : '['}${a.name()}${a.variadic ? '...' : ''}${a.required ? '>' : ']'}\`: ${esc(a.description)}${a.defaultValue !== undefined ? ` (default \`${[a.defaultValue].flat().join(' ')}\`)` : ''}`);
  const rows = cmd.options.map(optionRow);
  return [`#### \`txlog ${cmd.name()}${args.length ? ' ' + args.join(' ') : ''}\``, '', esc(cmd.description()) + '.', '', ...argRows.map((a) => `- ${a}`), ...(argRows.length ? [''] : []), table(['option', 'default', 'meaning'], rows)].join('\n');
}

/** The options of every command, as commander defines them (src/commands/*.ts). */
export function renderOptions(): string {
  const program = buildProgram({ stdout: () => {}, stderr: () => {}, color: false });
  const global = table(['option', 'default', 'meaning'], [...program.options.map(optionRow), ['`-h, --help`', '', 'show the help of txlog or of a command']]);
  return ['Global options (before or after the command):', '', global, '', ...program.commands.map((c) => commandSection(c) + '\n')].join('\n').trimEnd();
}

// ---------------------------------------------------------------- inputs

type Shape = Record<string, z.ZodType>;

/** What each input field means (formats.md, kept true to src/normalize.ts). Every schema field needs one. */
const FIELD_MEANINGS: Record<string, string> = {
  txnId: "the terminal's unique id for this attempt (an export without one gets the line number, `L2`, `L3`, …)",
  terminalId: 'terminal id (ISO 8583 field 41)',
  merchantId: 'merchant id (field 42)',
  timestamp: 'ISO 8601; without an offset it is read in the zone of `--tz` (or of the mapping profile), a time the clocks skipped read forward by the gap and a repeated one as its first occurrence; `2016/5/4 2:18` style dates too; other patterns through a mapping profile\'s `dateFormat`',
  type: `${TxnType.options.map((v) => `\`${v}\``).join(', ')} (default \`sale\`; English and Chinese synonyms such as 消费, 退款 are read)`,
  amount: 'decimal in major units (`12.30`, `¥1,234.56`, `(99.00)`), number or string; held as integer minor units of the currency',
  currency: 'ISO 4217 code (default: `--currency`, else `CNY`); `RMB` is read as `CNY`, a code ISO 4217 does not have rejects the row',
  status: `${TxnStatus.options.map((v) => `\`${v}\``).join(', ')} (synonyms such as success, 交易成功, 超时 are read)`,
  responseCode: 'ISO 8583 field 39 as received (`"05"`, `"A0"`, `"Z3"`); a leading zero stripped by Excel is restored',
  codeProfile: `how to read \`responseCode\`: ${knownProfiles(builtinTables()).map((p) => `\`${p}\``).join(', ')} (default \`--profile\`), or a profile from \`--rules\``,
  errorCode: 'terminal-side error or SDK code (`COMM_TIMEOUT`, `-306`, `PRINTER_PAPER_OUT`)',
  message: 'free-text reason as shown or logged, any language',
  entryMode: `${EntryMode.options.map((v) => `\`${v}\``).join(', ')} (synonyms such as icc, nfc, 插卡 are read)`,
  rrn: 'retrieval reference number (field 37); the preferred join key to settlement',
  stan: 'system trace audit number (field 11)',
  authCode: 'approval code (field 38)',
  batchId: 'batch number',
  cardRef: 'a token or masked card number; a full card number is masked on input (first 6, last 4) and grouped by a keyed hash',
  softwareVersion: 'terminal application version',
  model: 'device model',
  connection: 'link: `4g`, `wifi`, `ethernet`, `dialup`, …',
  signalDbm: 'signal strength in dBm',
  latencyMs: 'host round trip in milliseconds',
  event: 'event name in upper snake case (list below); unknown names are kept and counted',
  detail: 'free text about the event',
  settlementDate: 'business date `YYYY-MM-DD`',
  reasonCode: "the acquirer's reason code",
};
const SETTLEMENT_MEANINGS: Record<string, string> = {
  txnId: 'join key to the terminal record (txnId or rrn is required; RRN preferred when both sides have it)',
  rrn: 'join key to the terminal record (txnId or rrn is required)',
  amount: 'as settled, decimal in major units',
  currency: 'as settled (default `--currency`)',
  status: `${SettlementStatus.options.map((v) => `\`${v}\``).join(', ')} (synonyms such as 已结算, 结算失败 are read)`,
  message: "the acquirer's reason as text",
};

function fieldTable(shape: Shape, meanings: Record<string, string>, required: (f: string) => string): string {
  const rows = Object.keys(shape).map((f) => {
    const meaning = meanings[f] ?? FIELD_MEANINGS[f];
    if (!meaning) throw new Error(`docs: no meaning written for input field "${f}" (src/docs.ts FIELD_MEANINGS)`);
    const snake = f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const aliases = (ALIASES[f as CanonicalField] ?? []).filter((a) => a !== f);
    const names = [snake !== f && camelKey(snake) === f ? `\`${snake}\`` : '', ...aliases.map((a) => `\`${a}\``)].filter(Boolean);
    return [`\`${f}\``, required(f), esc(meaning), names.join(', ') || '—'];
  });
  return table(['field', 'required', 'meaning', 'also read as (headers and keys; case, spaces and punctuation ignored)'], rows);
}

const isRequired = (shape: Shape) => (f: string) => (shape[f].isOptional() ? 'no' : 'yes');

export function renderTerminalFields(): string {
  const shape = TerminalTxnRow.shape as Shape;
  const req = isRequired(shape);
  return fieldTable(shape, {}, (f) => (f === 'amount' ? 'yes, but for `balance`, `void` and `reversal`' : req(f)));
}

export function renderEventFields(): string {
  const shape = TerminalEventRow.shape as Shape;
  const names = Object.keys(builtinTables().events).sort();
  return [fieldTable(shape, {}, isRequired(shape)), '', `Event names with a meaning in the built-in table (\`rules/codes/events.json\`): ${names.map(code).join(', ')}.`].join('\n');
}

export function renderSettlementFields(): string {
  const shape = (SettlementRow as unknown as { shape?: Shape }).shape ?? ((SettlementRow as unknown as { _zod: { def: { in?: { shape: Shape } } } })._zod.def.in?.shape as Shape);
  const req = isRequired(shape);
  return fieldTable(shape, SETTLEMENT_MEANINGS, (f) => (f === 'txnId' || f === 'rrn' ? 'one of them' : req(f)));
}

export function renderHeaderRequirements(): string {
  return table(['a header is read as', 'when it maps'], Object.entries(REQUIRED).map(([kind, fields]) => [kind, fields.map((f) => f.split('|').map((x) => `\`${x}\``).join(' or ')).join(', ')]));
}

export function renderFormats(): string {
  const formats = Object.keys(PARSERS).map((f) => `\`${f}\``).join(', ');
  return [
    `Formats (one parser each, \`parsers/index.ts\`): ${formats}. Plain or gzip (\`.gz\`, detected from the bytes).`,
    '',
    `Encodings: ${ENCODINGS.map((e) => `\`${e}\``).join(', ')}; \`--encoding\` accepts ${ENCODING_NAMES.map((e) => `\`${e}\``).join(', ')} (\`latin1\` is read as Windows-1252, its superset).`,
  ].join('\n');
}

export function renderProfiles(): string {
  const rows = builtinProfiles().map((p) => [`\`${p.name}\``, p.kind ?? '', esc(p.description ?? '')]);
  const keys = Object.keys((Profile as unknown as { shape: Shape }).shape).map((k) => `\`${k}\``).join(', ');
  return [table(['built-in profile', 'reads as', 'export'], rows), '', `Keys of a mapping profile (\`parsers/mapping.ts\`, validated when it loads; an unknown key is an error): ${keys}.`].join('\n');
}

// ---------------------------------------------------------------- outputs

/** A zod type in words, for the output tables. */
function typeOf(s: z.ZodType): string {
  const def = (s as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'optional': return `${typeOf(def.innerType as z.ZodType)}, optional`;
    case 'nullable': return `${typeOf(def.innerType as z.ZodType)} or null`;
    case 'array': return `list of ${typeOf(def.element as z.ZodType)}`;
    case 'object': return 'object';
    case 'record': return 'map';
    case 'literal': return (def.values as unknown[]).map((v) => JSON.stringify(v)).join(' or ');
    case 'enum': return Object.values(def.entries as Record<string, string>).map((v) => `\`${v}\``).join(' \\| ');
    case 'union': return (def.options as z.ZodType[]).map(typeOf).filter((v, i, a) => a.indexOf(v) === i).join(' or ');
    case 'number': return (s as unknown as { isInt?: boolean }).isInt ? 'integer' : 'number';
    default: return def.type;
  }
}

const keysOf = (s: z.ZodType): string[] => {
  const def = (s as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  if (def.type === 'array') return keysOf(def.element as z.ZodType);
  if (def.type === 'nullable' || def.type === 'optional') return keysOf(def.innerType as z.ZodType);
  return def.type === 'object' ? Object.keys((s as unknown as { shape: Shape }).shape) : [];
};

const REPORT_MEANINGS: Record<string, string> = {
  schemaVersion: 'the version of this contract; raised when a field changes meaning or goes away',
  generatedAt: 'the one timestamp in the outputs: `--generated-at`, `SOURCE_DATE_EPOCH`, or now',
  tool: 'name and version of txlog',
  options: 'the options the run used',
  inputs: 'one per input file: path, kind, format, encoding (and why), profile, and the row accounting `read = accepted + rejected + skipped`',
  totals: 'the row accounting over every input',
  warnings: 'things about the inputs as a whole (files given twice, Excel-damaged ids, bad bytes)',
  summary: 'fleet totals: attempts, failures, failure rate with its 95% interval, unsettled count and amount per currency, counts by cause and outcome, settlement coverage',
  terminals: 'one per terminal: counts, rate, amounts per currency, assessment and `rootCauses` (most likely first; empty when nothing stands out)',
  incidents: 'fleet-wide bursts: window, causes, terminals and merchants touched, rate against ordinary time',
  attribution: 'the thresholds root causes and incidents were decided with, so each figure can be recomputed from findings.ndjson',
  groupings: 'failure rates and cause mix by software version, model, connection, merchant, entry mode and local hour, with flags',
  cards: 'cards that failed on several terminals',
  changes: 'with `--baseline`: what changed since the previous run; otherwise null',
  timeline: 'attempts and failures per time bucket (`--bucket-minutes`)',
  rules: 'each rule with the findings it decided',
};

const FINDING_MEANINGS: Record<string, string> = {
  txnId: 'as in the input', rrn: 'as in the input', terminalId: 'as in the input', merchantId: 'as in the input',
  timestamp: 'the attempt time, ISO 8601 with offset in `--tz`', type: 'transaction type', amount: 'major units, as text', currency: 'ISO 4217',
  outcome: 'what went wrong', cause: 'the cause id ([docs/causes.md](causes.md))', ruleId: 'the rule that decided it',
  evidence: 'what was read, as sentences with their source, code and data', reasons: 'every raw signal read and how specific it is',
  setAside: 'verdicts of other rules that the winning one outranked', localCause: 'what the record alone says, when context changed the cause',
  localRuleId: 'the rule behind `localCause`', status: 'raw status', responseCode: 'raw response code', codeProfile: 'profile it was read through',
  errorCode: 'raw terminal error code', message: 'raw message (card numbers masked)', entryMode: 'entry mode', cardRef: 'masked card or token',
  settlement: 'the settlement line it concerns, when there is one', softwareVersion: 'terminal context', model: 'terminal context',
  connection: 'terminal context', incident: 'id of the fleet incident that explains it (such findings never make a root cause)',
  src: 'file and line it came from',
};

export function renderReportFields(): string {
  const shape = Report.shape as unknown as Shape;
  const rows = Object.keys(shape).map((k) => {
    const m = REPORT_MEANINGS[k];
    if (!m) throw new Error(`docs: no meaning written for report.json field "${k}" (src/docs.ts REPORT_MEANINGS)`);
    const sub = keysOf(shape[k]);
    return [`\`${k}\``, typeOf(shape[k]), esc(m) + (sub.length ? `. Fields: ${sub.map((s) => `\`${s}\``).join(', ')}` : '')];
  });
  const version = (shape.schemaVersion as unknown as { _zod: { def: { values: unknown[] } } })._zod.def.values[0];
  return [`\`schemaVersion\` is **${String(version)}**.`, '', table(['field', 'type', 'meaning'], rows)].join('\n');
}

export function renderRootCauseFields(): string {
  const terminal = (Report.shape.terminals as unknown as { _zod: { def: { element: z.ZodType } } })._zod.def.element;
  const rc = (terminal as unknown as { shape: Shape }).shape.rootCauses;
  return `Each \`terminals[].rootCauses[]\` entry: ${keysOf(rc).map((k) => `\`${k}\``).join(', ')}.`;
}

export function renderFindingFields(): string {
  const shape = Finding.shape as unknown as Shape;
  const rows = Object.keys(shape).map((k) => {
    const m = FINDING_MEANINGS[k];
    if (!m) throw new Error(`docs: no meaning written for findings.ndjson field "${k}" (src/docs.ts FINDING_MEANINGS)`);
    return [`\`${k}\``, typeOf(shape[k]), m];
  });
  return table(['field', 'type', 'meaning'], rows);
}

export function renderOutputFiles(): string {
  const what: Record<string, string> = {
    'report.json': 'the whole result, for machines (fields below)',
    'findings.ndjson': 'one line per failed or unsettled transaction (fields below)',
    'terminals.csv': 'the per-terminal table, spreadsheet-safe (a cell a spreadsheet would run as a formula gets a leading apostrophe)',
    'report.md': 'the report for people, Markdown',
    'report.html': 'the report for people, one self-contained HTML file with charts (no external assets)',
    'rejects.ndjson': 'every row that could not be used: `file`, `line`, `reason`, `raw` (card numbers masked)',
  };
  return table(['file', 'what'], [...OUTPUT_FILES].map((f) => {
    if (!what[f]) throw new Error(`docs: no description written for output file ${f} (src/docs.ts)`);
    return [`\`${f}\``, what[f]];
  }));
}

// ---------------------------------------------------------------- blocks

/** Every generated block by name; a file names the blocks it holds with markers. */
export const BLOCKS: Readonly<Record<string, () => string>> = {
  causes: renderCauseTable,
  options: renderOptions,
  'cause-catalogue': renderCauseCatalogue,
  formats: renderFormats,
  'terminal-fields': renderTerminalFields,
  'event-fields': renderEventFields,
  'settlement-fields': renderSettlementFields,
  'header-requirements': renderHeaderRequirements,
  profiles: renderProfiles,
  'output-files': renderOutputFiles,
  'report-fields': renderReportFields,
  'root-cause-fields': renderRootCauseFields,
  'finding-fields': renderFindingFields,
};

const MARKER = /<!-- generated:([a-z-]+) start[^>]*-->[\s\S]*?<!-- generated:\1 end -->/g;

/** The text with every generated block re-rendered. */
export function updateDoc(text: string): string {
  return text.replace(MARKER, (_, name: string) => {
    const render = BLOCKS[name];
    if (!render) throw new Error(`unknown generated block "${name}" (known: ${Object.keys(BLOCKS).join(', ')})`);
    return `<!-- generated:${name} start (npm run docs; edit src/docs.ts or the code it reads, not this block) -->\n${render()}\n<!-- generated:${name} end -->`;
  });
}

/** The block names a text holds. */
export function blocksIn(text: string): string[] {
  return [...text.matchAll(MARKER)].map((m) => m[1]);
}

/** Kept for callers of the first version: the README with its blocks refreshed. */
export const updateReadme = updateDoc;
