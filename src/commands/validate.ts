import type { Command } from 'commander';
import { validate } from '../validate.js';
import { number, type CommandContext } from './shared.js';

/** `txlog validate`. */
export function register(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('validate')
    .description('parse inputs only and list every row that would be rejected (fixture hygiene)')
    .argument('<files...>', 'input files or directories')
    .option('--max-rejects <n>', 'rejected rows allowed before exiting 1', number('--max-rejects', 0, Number.MAX_SAFE_INTEGER, true), 0)
    .option('--tz <zone>', 'IANA time zone for timestamps without an offset', 'UTC')
    .option('--currency <code>', 'currency of records that name none', 'CNY')
    .option('--mapping <file>', 'mapping profile for a merchant export')
    .option('--encoding <name>', 'force the text encoding')
    .option('--delimiter <char>', 'force the CSV delimiter')
    .option('--sheet <name|n>', 'sheet of .xlsx workbooks to read (name or 1-based number; default the first)')
    .action(async (files: string[], o) => {
      const result = await validate({ inputs: files, tz: o.tz, currency: o.currency, mapping: o.mapping, encoding: o.encoding, delimiter: o.delimiter, sheet: o.sheet }, (line) => io.stdout(line + '\n'));
      io.stdout(`${result.read} rows read, ${result.accepted} accepted, ${result.rejected} rejected, ${result.skipped} skipped (preambles, footers, comments)\n`);
      if (result.rejected > o.maxRejects) {
        io.stderr(`txlog: ${result.rejected} rejected rows, more than --max-rejects ${o.maxRejects}\n`);
        setExit(1);
      } else setExit(0);
    });
}
