import type { Command } from 'commander';
import { generate } from '../generate.js';
import { TxlogError } from '../errors.js';
import { number, defaultGeneratedAt, generatedAt, quietOption, timeZone, type CommandContext } from './shared.js';

/** `txlog generate`. */
export function register(program: Command, { io, setExit }: CommandContext): void {
  const command = program
    .command('generate')
    .description('write a realistic generated fleet (terminal log, events, settlement) with injected faults and a truth file')
    .option('-o, --out <dir>', 'output directory', 'generated')
    .option('--terminals <n>', 'number of terminals', number('--terminals', 1, 1_000_000, true), 60)
    .option('--days <n>', 'days of traffic', number('--days', 1, 366, true), 2)
    .option('--transactions <n>', 'total transactions (default: about 120 per terminal per day)', number('--transactions', 1, 100_000_000, true))
    .option('--seed <n>', 'random seed', number('--seed', 0, 2 ** 32 - 1, true), 1)
    .option('--start <date>', 'first local date, YYYY-MM-DD', '2026-11-16')
    .option('--tz <zone>', 'IANA time zone of the fleet', timeZone, 'Asia/Shanghai')
    .option('--night <n>', 'consecutive run of the same fleet: night N starts (N-1) x days later; from night 2 one more terminal develops a fault', number('--night', 1, 999, true), 1)
    .option('--generated-at <iso>', 'timestamp to record in truth.json (default: SOURCE_DATE_EPOCH or now)', generatedAt);
  quietOption(command)
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
        generatedAt: o.generatedAt ?? defaultGeneratedAt(io.env ?? process.env),
      });
      if (!o.quiet) io.stdout(`Generated into ${o.out}: ${JSON.stringify(summary)}\n`);
      setExit(0);
    });
}
