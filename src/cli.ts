#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { appendFileSync, writeFileSync } from 'node:fs';
import { analyze } from './analyze.js';
import { stepSummary } from './check/reporters/github.js';
import { REPORTERS } from './check/reporters/index.js';
import { runCases } from './check/pool.js';
import { findCases } from './check/run.js';
import { validate } from './validate.js';
import { fsError, isFsError, TxlogError } from './errors.js';
import { maskText } from './pan.js';
import { generate } from './generate.js';
import { renderSummary } from './output/summary.js';
import { VERSION } from './version.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  color: boolean;
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};

function number(what: string, min: number, max = Infinity, integer = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`${what} must be ${integer ? 'a whole number' : 'a number'} from ${min}${max === Infinity ? '' : ` to ${max}`}, got "${value}"`);
    }
    return n;
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Generation time is injected so identical inputs give identical bytes (SOURCE_DATE_EPOCH as in reproducible builds). */
function defaultGeneratedAt(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('txlog')
    .description('Classify failed and unsettled POS card transactions into causes and report per terminal.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (s, write) => write(s) })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('analyze')
    .description('analyze terminal logs, terminal events and settlement files; write the report files')
    .argument('[inputs...]', 'input files or directories (NDJSON, JSON array, CSV/TSV, .gz, or - for stdin); kind detected from fields')
    .option('-o, --out <dir>', 'output directory', 'report')
    .option('--terminal <file>', 'force an input to be read as terminal transactions (repeatable)', collect)
    .option('--events <file>', 'force an input to be read as terminal events (repeatable)', collect)
    .option('--settlement <file>', 'force an input to be read as settlement lines (repeatable)', collect)
    .option('--tz <zone>', 'IANA time zone for timestamps without an offset and for local dates and buckets', 'UTC')
    .option('--currency <code>', 'currency of records that name none', 'CNY')
    .option('--settlement-grace <days>', 'days after the local transaction date by which an approval must be settled', number('--settlement-grace', 0, 366, true), 1)
    .option('--amount-tolerance <amount>', 'allowed difference between terminal and settled amount, in major units', '0')
    .option('--profile <name>', 'response-code profile for records without codeProfile (iso, unionpay, jpos, or one from --rules)', 'iso')
    .option('--rules <file>', 'JSON file adding or overriding code mappings and keyword rules')
    .option('--mapping <file>', 'mapping profile for a merchant export (JSON file or built-in profile name)')
    .option('--encoding <name>', 'force the text encoding of the inputs (utf-8, gbk, gb18030, utf-16le)')
    .option('--delimiter <char>', 'force the CSV delimiter')
    .addOption(new Option('--lang <lang>', 'language of cause labels in human outputs').choices(['en', 'zh']).default('en'))
    .option('--baseline <report.json>', 'a previous run\'s report.json: report what changed since (night over night)')
    .option('--fail-on-rate <rate>', 'exit 1 when the fleet failure rate is above this fraction (e.g. 0.2)', number('--fail-on-rate', 0, 1))
    .option('--max-rejects <n>', 'exit 1 when more rows than this are rejected (the report is still written)', number('--max-rejects', 0, Number.MAX_SAFE_INTEGER, true))
    .option('--max-reject-rate <rate>', 'exit 1 when the share of rejected rows is above this fraction (e.g. 0.01)', number('--max-reject-rate', 0, 1))
    .option('--bucket-minutes <n>', 'width of the time buckets in the timeline', number('--bucket-minutes', 1, 1440, true), 60)
    .option('--generated-at <iso>', 'timestamp to record as generation time (default: SOURCE_DATE_EPOCH or now)')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (inputs: string[], o) => {
      const result = await analyze({
        inputs,
        terminal: o.terminal,
        events: o.events,
        settlement: o.settlement,
        out: o.out,
        tz: o.tz,
        currency: o.currency,
        settlementGraceDays: o.settlementGrace,
        amountTolerance: o.amountTolerance,
        profile: o.profile,
        rulesFile: o.rules,
        mapping: o.mapping,
        encoding: o.encoding,
        delimiter: o.delimiter,
        lang: o.lang,
        generatedAt: o.generatedAt ?? defaultGeneratedAt(),
        bucketMinutes: o.bucketMinutes,
        failOnRate: o.failOnRate,
        maxRejects: o.maxRejects,
        maxRejectRate: o.maxRejectRate,
        baseline: o.baseline,
      });
      if (!o.quiet) {
        io.stdout(renderSummary({ report: result.report, findings: result.findings }, { lang: o.lang, color: io.color }));
        io.stdout(`\nWrote ${result.written.join(', ')}\n`);
      }
      for (const w of result.report.warnings) io.stderr(`txlog: warning: ${w}\n`);
      for (const m of result.thresholdMessages) io.stderr(`txlog: ${m}\n`);
      setExit(result.exitCode);
    });

  program
    .command('generate')
    .description('write a realistic generated fleet (terminal log, events, settlement) with injected faults and a truth file')
    .option('-o, --out <dir>', 'output directory', 'generated')
    .option('--terminals <n>', 'number of terminals', number('--terminals', 1, 1_000_000, true), 60)
    .option('--days <n>', 'days of traffic', number('--days', 1, 366, true), 2)
    .option('--transactions <n>', 'total transactions (default: about 120 per terminal per day)', number('--transactions', 1, 100_000_000, true))
    .option('--seed <n>', 'random seed', number('--seed', 0, 2 ** 32 - 1, true), 1)
    .option('--start <date>', 'first local date, YYYY-MM-DD', '2026-11-16')
    .option('--tz <zone>', 'IANA time zone of the fleet', 'Asia/Shanghai')
    .option('--night <n>', 'consecutive run of the same fleet: night N starts (N-1) x days later; from night 2 one more terminal develops a fault', number('--night', 1, 999, true), 1)
    .option('--generated-at <iso>', 'timestamp to record in truth.json (default: SOURCE_DATE_EPOCH or now)')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (o) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(o.start)) throw new TxlogError('START_INVALID', `--start must be a date YYYY-MM-DD, got "${o.start}"`);
      const summary = await generate({
        out: o.out,
        terminals: o.terminals,
        days: o.days,
        transactions: o.transactions,
        seed: o.seed,
        start: o.start,
        tz: o.tz,
        night: o.night,
        generatedAt: o.generatedAt ?? defaultGeneratedAt(),
      });
      if (!o.quiet) io.stdout(`Generated into ${o.out}: ${JSON.stringify(summary)}\n`);
      setExit(0);
    });

  program
    .command('check')
    .description('run fixture cases (directories with inputs and an expected.json) and compare the analysis with the expectations')
    .argument('[dirs...]', 'case directories, or folders of them', ['fixtures'])
    .addOption(new Option('--reporter <name>', 'output format on stdout').choices(REPORTERS.map((r) => r.id)).default('human'))
    .option('--junit <file>', 'also write JUnit XML to this file')
    .option('--update', 'rewrite expected.json from the current output (hand-written bounds are kept)')
    .option('--case <name>', 'only cases whose name contains this text (repeatable)', collect)
    .option('-j, --jobs <n>', 'cases to run in parallel (default: number of cores)', number('--jobs', 1, 64, true))
    .action(async (dirs: string[], o) => {
      let cases = findCases(dirs);
      if (o.case) cases = cases.filter((dir) => (o.case as string[]).some((c) => dir.includes(c)));
      if (cases.length === 0) throw new TxlogError('CASE_NOT_FOUND', `no case matches --case ${(o.case as string[]).join(', ')}`);
      const results = await runCases(cases, { update: o.update, jobs: o.jobs });
      const reporter = REPORTERS.find((r) => r.id === o.reporter)!;
      io.stdout(reporter.render(results, { color: io.color }));
      if (o.junit) writeFileSync(o.junit, REPORTERS.find((r) => r.id === 'junit')!.render(results, { color: false }));
      if (o.reporter === 'github' && process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, stepSummary(results));
      setExit(results.some((r) => r.status === 'error') ? 2 : results.some((r) => r.status === 'failed') ? 1 : 0);
    });

  program
    .command('validate')
    .description('parse inputs only and list every row that would be rejected (fixture hygiene)')
    .argument('<files...>', 'input files or directories')
    .option('--max-rejects <n>', 'rejected rows allowed before exiting 1', number('--max-rejects', 0, Number.MAX_SAFE_INTEGER, true), 0)
    .option('--tz <zone>', 'IANA time zone for timestamps without an offset', 'UTC')
    .option('--currency <code>', 'currency of records that name none', 'CNY')
    .option('--mapping <file>', 'mapping profile for a merchant export')
    .option('--encoding <name>', 'force the text encoding')
    .action(async (files: string[], o) => {
      const result = await validate({ inputs: files, tz: o.tz, currency: o.currency, mapping: o.mapping, encoding: o.encoding }, (line) => io.stdout(line + '\n'));
      io.stdout(`${result.read} rows read, ${result.accepted} accepted, ${result.rejected} rejected\n`);
      if (result.rejected > o.maxRejects) {
        io.stderr(`txlog: ${result.rejected} rejected rows, more than --max-rejects ${o.maxRejects}\n`);
        setExit(1);
      } else setExit(0);
    });

  return program;
}

/** Runs the CLI and returns the exit code; all I/O goes through `io`. */
export async function main(argv: readonly string[], ioIn: Io = defaultIo): Promise<number> {
  // The last guard: whatever a message quotes from the input, a card number never reaches the terminal.
  const io: Io = { color: ioIn.color, stdout: (s) => ioIn.stdout(maskText(s)), stderr: (s) => ioIn.stderr(maskText(s)) };
  let exit = 0;
  const program = buildProgram(io, (code) => (exit = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof TxlogError) {
      io.stderr(`txlog: error: ${err.message}\n`);
      return err.exitCode;
    }
    if (isFsError(err)) {
      // A path, permission or disk the user can fix, wherever it surfaced.
      io.stderr(`txlog: error: ${fsError(err, 'file').message}\n`);
      return 2;
    }
    const e = err as Error;
    io.stderr(`txlog: internal error: ${e.message}\n(this is a bug in txlog; set TXLOG_DEBUG=1 for details)\n`);
    if (process.env.TXLOG_DEBUG) io.stderr(`${e.stack}\n`);
    return 70;
  }
}

function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
