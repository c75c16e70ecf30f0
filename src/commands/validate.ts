import type { Command } from 'commander';
import { validate } from '../validate.js';
import { currency, delimiter, encoding, terminalIdValue, number, quietOption, timeZone, ENCODINGS, type CommandContext } from './shared.js';

/** `txlog validate`. */
export function register(program: Command, { io, setExit }: CommandContext): void {
  const command = program
    .command('validate')
    .description('parse inputs only and list every row that would be rejected (fixture hygiene); directories are searched like check does')
    .argument('<files...>', 'input files or directories (searched recursively; expected.json, truth files, rules and mappings are skipped)')
    .option('--max-rejects <n>', 'rejected rows allowed before exiting 1', number('--max-rejects', 0, Number.MAX_SAFE_INTEGER, true), 0)
    .option('--tz <zone>', 'IANA time zone for timestamps without an offset', timeZone, 'UTC')
    .option('--currency <code>', 'ISO 4217 currency of records that name none', currency, 'CNY')
    .option('--mapping <file>', 'mapping profile for a merchant export')
    .option('--encoding <name>', `force the text encoding (${ENCODINGS.join(', ')})`, encoding)
    .option('--delimiter <char>', 'force the CSV delimiter (one character; tab as \\t or tab)', delimiter)
    .option('--sheet <name|n>', 'sheet of .xlsx workbooks to read (name or 1-based number; default the first)')
    .option('--terminal-id <id>', 'the terminal every row comes from, for an export of one terminal that has no terminal column (rows that name one keep theirs)', terminalIdValue);
  quietOption(command).action(async (files: string[], o) => {
    const out = o.quiet ? () => {} : (line: string) => io.stdout(line + '\n');
    const result = await validate({ inputs: files, tz: o.tz, currency: o.currency, mapping: o.mapping, encoding: o.encoding, delimiter: o.delimiter, sheet: o.sheet, terminalId: o.terminalId }, out);
    out(`${result.files} file${result.files === 1 ? '' : 's'}: ${result.read} rows read, ${result.accepted} accepted, ${result.rejected} rejected, ${result.skipped} skipped`);
    if (result.rejected > o.maxRejects) {
      io.stderr(`txlog: ${result.rejected} rejected rows, more than --max-rejects ${o.maxRejects}\n`);
      setExit(1);
    } else setExit(0);
  });
}
