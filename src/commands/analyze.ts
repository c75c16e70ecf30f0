import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { analyze, analyzeShard, type AnalyzeOptions } from '../analyze.js';
import { parseShard } from '../shard.js';
import { renderSummary } from '../output/summary.js';
import { byteSize, collect, currency, defaultGeneratedAt, generatedAt, delimiter, encoding, terminalIdValue, number, quietOption, timeZone, ENCODINGS, type CommandContext } from './shared.js';

/** `txlog analyze`. */
export function register(program: Command, { io, setExit }: CommandContext): void {
  const command = program
    .command('analyze')
    .description('analyze terminal logs, terminal events and settlement files; write the report files')
    .argument('[inputs...]', 'input files or directories (NDJSON, JSON array, CSV/TSV, .xlsx, .gz, or - for stdin); kind detected from fields')
    .option('-o, --out <dir>', 'output directory', 'report')
    .option('--terminal <file>', 'force an input to be read as terminal transactions (repeatable)', collect)
    .option('--events <file>', 'force an input to be read as terminal events (repeatable)', collect)
    .option('--settlement <file>', 'force an input to be read as settlement lines (repeatable)', collect)
    .option('--tz <zone>', 'IANA time zone for timestamps without an offset and for local dates and buckets (default: the zone the inputs\' mapping profile declares, e.g. Asia/Shanghai for WeChat and Alipay bills; else the one offset every time carries, +08:00 read as Etc/GMT-8; else UTC)', timeZone)
    .option('--currency <code>', 'ISO 4217 currency of records that name none and whose profile declares none (default: the profile\'s, else CNY)', currency)
    .option('--settlement-grace <days>', 'days after the local transaction date by which an approval must be settled', number('--settlement-grace', 0, 366, true), 1)
    .option('--amount-tolerance <amount>', 'allowed difference between terminal and settled amount, in major units', '0')
    .option('--profile <name>', 'response-code profile for records without codeProfile (iso, unionpay, jpos, or one from --rules)', 'iso')
    .option('--rules <file>', 'JSON file adding or overriding code mappings and keyword rules')
    .option('--mapping <file>', 'mapping profile for a merchant export (JSON file or built-in profile name)')
    .option('--encoding <name>', `force the text encoding of the inputs (${ENCODINGS.join(', ')}; gbk and utf8 are accepted as aliases)`, encoding)
    .option('--delimiter <char>', 'force the CSV delimiter (one character; tab as \\t or tab)', delimiter)
    .option('--sheet <name|n>', 'sheet of .xlsx workbooks to read (name or 1-based number; default the first)')
    .option('--terminal-id <id>', 'the terminal every row comes from, for an export of one terminal that has no terminal column (rows that name one keep theirs)', terminalIdValue)
    .addOption(new Option('--lang <lang>', 'language of cause labels in human outputs').choices(['en', 'zh']).default('en'))
    .option('--baseline <report.json>', 'a previous run\'s report.json: report what changed since (night over night)')
    .option('--fail-on-rate <rate>', 'exit 1 when the fleet failure rate is above this fraction (e.g. 0.2)', number('--fail-on-rate', 0, 1))
    .option('--max-rejects <n>', 'exit 1 when more rows than this are rejected (the report is still written)', number('--max-rejects', 0, Number.MAX_SAFE_INTEGER, true))
    .option('--max-reject-rate <rate>', 'exit 1 when the share of rejected rows is above this fraction (e.g. 0.01)', number('--max-reject-rate', 0, 1))
    .option('--bucket-minutes <n>', 'width of the time buckets in the timeline', number('--bucket-minutes', 1, 1440, true), 60)
    .option('--generated-at <iso>', 'timestamp to record as generation time (default: SOURCE_DATE_EPOCH or now)', generatedAt)
    .option('--shard <K/N>', 'keep only the terminals whose id hashes to shard K of N (0-based; both sides), for runs split across hosts', parseShard)
    .option('--memory-limit <size>', 'memory the run may take (e.g. 2G; default 1.5G, or half the machine when that is less): past it, the input is read in passes over disjoint sets of terminals and merged, with the same report', byteSize)
    .option('--jobs <n>', 'threads that read the inputs (default: one per core, up to 8, for 48 MB or more of NDJSON or CSV, memory permitting); any number gives the same report', number('--jobs', 1, 64, true))
    .option('--partial <dir>', 'write this shard\'s mergeable state to DIR instead of a report (then: txlog merge DIR... --out OUT); needs TXLOG_CARD_KEY');
  quietOption(command)
    .action(async (inputs: string[], o) => {
      const options: AnalyzeOptions = {
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
        sheet: o.sheet,
        terminalId: o.terminalId,
        lang: o.lang,
        generatedAt: o.generatedAt ?? defaultGeneratedAt(io.env ?? process.env),
        bucketMinutes: o.bucketMinutes,
        failOnRate: o.failOnRate,
        maxRejects: o.maxRejects,
        maxRejectRate: o.maxRejectRate,
        baseline: o.baseline,
        // Progress only on a terminal: logs and pipes stay clean.
        progress: !o.quiet && process.stderr.isTTY ? { write: (s) => io.stderr(s) } : undefined,
        shard: o.shard,
        memoryLimit: o.memoryLimit,
        jobs: o.jobs,
      };
      if (o.partial) {
        const partial = await analyzeShard({ ...options, partial: o.partial, out: null });
        if (!o.quiet) io.stdout(`Wrote ${partial.written.join(', ')} (shard ${o.shard ? `${o.shard.k}/${o.shard.n}` : '0/1'}); merge every shard with: txlog merge DIR... --out OUT\n`);
        setExit(partial.exitCode);
        return;
      }
      // Threads past the cores take turns on them: each costs its share of the work and more (measured: 4 on 2 cores, 3× slower).
      if (!o.quiet && o.jobs !== undefined && o.jobs > availableParallelism()) {
        io.stderr(`txlog: warning: --jobs ${o.jobs} is more than this machine's ${availableParallelism()} cores: the threads share them and the run is slower than with --jobs ${availableParallelism()}\n`);
      }
      const result = await analyze(options);
      if (!o.quiet && result.passes > 1) io.stderr(`txlog: read in ${result.passes} passes of the inputs to stay under --memory-limit\n`);
      if (!o.quiet) {
        io.stdout(renderSummary({ report: result.report, findings: result.findings }, { lang: o.lang, color: io.color }));
        io.stdout(`\nWrote ${result.written.join(', ')}\n`);
      }
      for (const w of result.report.warnings) io.stderr(`txlog: warning: ${w}\n`);
      for (const m of result.thresholdMessages) io.stderr(`txlog: ${m}\n`);
      setExit(result.exitCode);
    });
}
