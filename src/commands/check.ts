import { Option, type Command } from 'commander';
import { appendFileSync, writeFileSync } from 'node:fs';
import { stepSummary } from '../check/reporters/github.js';
import { REPORTERS } from '../check/reporters/index.js';
import { runCases } from '../check/pool.js';
import { findCases } from '../check/run.js';
import { TxlogError } from '../errors.js';
import { collect, defaultGeneratedAt, number, quietOption, type CommandContext } from './shared.js';

/** `txlog check`. */
export function register(program: Command, { io, setExit }: CommandContext): void {
  const command = program
    .command('check')
    .description('run fixture cases (directories with inputs and an expected.json) and compare the analysis with the expectations')
    .argument('[dirs...]', 'case directories, or folders of them', ['fixtures'])
    .addOption(new Option('--reporter <name>', 'output format on stdout').choices(REPORTERS.map((r) => r.id)).default('human'))
    .option('--junit <file>', 'also write JUnit XML to this file')
    .option('--update', 'rewrite expected.json from the current output (hand-written bounds are kept; expectations that no longer match are kept and named)')
    .option('--prune', 'with --update: remove the expectations that no longer match instead of keeping them (each one named)')
    .option('--case <name>', 'only cases whose name contains this text (repeatable)', collect)
    .option('-j, --jobs <n>', 'cases to run in parallel (default: number of cores)', number('--jobs', 1, 64, true));
  quietOption(command).action(async (dirs: string[], o) => {
    if (o.prune && !o.update) throw new TxlogError('USAGE', '--prune only applies with --update (txlog check --update --prune)');
    // The run's start time, for JUnit's timestamp; SOURCE_DATE_EPOCH pins it for byte-identical reruns.
    const startedAt = defaultGeneratedAt(io.env ?? process.env);
    let cases = findCases(dirs);
    if (o.case) cases = cases.filter((dir) => (o.case as string[]).some((c) => dir.includes(c)));
    if (cases.length === 0) throw new TxlogError('CASE_NOT_FOUND', `no case matches --case ${(o.case as string[]).join(', ')}`);
    const results = await runCases(cases, { update: o.update, prune: o.prune, jobs: o.jobs });
    const reporter = REPORTERS.find((r) => r.id === o.reporter)!;
    if (!o.quiet) io.stdout(reporter.render(results, { color: io.color, startedAt }));
    if (o.junit) writeFileSync(o.junit, REPORTERS.find((r) => r.id === 'junit')!.render(results, { color: false, startedAt }));
    if (o.reporter === 'github' && process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, stepSummary(results));
    // One line per expectation --update could not make true: on stderr, so stdout stays the report.
    for (const c of results) {
      for (const r of c.kept ?? []) {
        io.stderr(`txlog: warning: ${c.expectedPath}: kept ${r.id}, which no longer matches (expected ${r.expected}, found ${r.actual}); remove it with --update --prune\n`);
      }
      if (!o.quiet) for (const r of c.pruned ?? []) io.stderr(`txlog: ${c.expectedPath}: removed ${r.id}, which no longer matched (expected ${r.expected}, found ${r.actual})\n`);
    }
    setExit(results.some((r) => r.status === 'error') ? 2 : results.some((r) => r.status === 'failed') ? 1 : 0);
  });
}
