import type { Command } from 'commander';
import { merge } from '../analyze.js';
import { renderSummary } from '../output/summary.js';
import { defaultGeneratedAt, generatedAt, number, quietOption, type CommandContext } from './shared.js';

/** `txlog merge`: the report of a run split by `analyze --shard K/N --partial DIR`, as one run makes it. */
export function register(program: Command, { io, setExit }: CommandContext): void {
  const command = program
    .command('merge')
    .description('merge the --partial directories of every shard into the report a single run would write')
    .argument('<dirs...>', 'one --partial directory per shard')
    .option('-o, --out <dir>', 'output directory', 'report')
    .option('--baseline <report.json>', 'a previous run\'s report.json: report what changed since (night over night)')
    .option('--fail-on-rate <rate>', 'exit 1 when the fleet failure rate is above this fraction (e.g. 0.2)', number('--fail-on-rate', 0, 1))
    .option('--max-rejects <n>', 'exit 1 when more rows than this are rejected (the report is still written)', number('--max-rejects', 0, Number.MAX_SAFE_INTEGER, true))
    .option('--max-reject-rate <rate>', 'exit 1 when the share of rejected rows is above this fraction (e.g. 0.01)', number('--max-reject-rate', 0, 1))
    .option('--generated-at <iso>', 'timestamp to record as generation time (default: SOURCE_DATE_EPOCH or now)', generatedAt);
  quietOption(command)
    .action(async (dirs: string[], o) => {
      const result = await merge(dirs, {
        out: o.out,
        generatedAt: o.generatedAt ?? defaultGeneratedAt(io.env ?? process.env),
        baseline: o.baseline,
        failOnRate: o.failOnRate,
        maxRejects: o.maxRejects,
        maxRejectRate: o.maxRejectRate,
      });
      if (!o.quiet) {
        io.stdout(renderSummary({ report: result.report, findings: result.findings }, { lang: result.report.options.lang, color: io.color }));
        io.stdout(`\nWrote ${result.written.join(', ')}\n`);
      }
      for (const w of result.report.warnings) io.stderr(`txlog: warning: ${w}\n`);
      for (const m of result.thresholdMessages) io.stderr(`txlog: ${m}\n`);
      setExit(result.exitCode);
    });
}
