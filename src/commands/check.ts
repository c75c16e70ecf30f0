import { Option, type Command } from 'commander';
import { appendFileSync, writeFileSync } from 'node:fs';
import { stepSummary } from '../check/reporters/github.js';
import { REPORTERS } from '../check/reporters/index.js';
import { runCases } from '../check/pool.js';
import { findCases } from '../check/run.js';
import { TxlogError } from '../errors.js';
import { collect, number, type CommandContext } from './shared.js';

/** `txlog check`. */
export function register(program: Command, { io, setExit }: CommandContext): void {
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
}
