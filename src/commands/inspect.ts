import type { Command } from 'commander';
import { inspect, renderInspect } from '../inspect.js';
import { currency, delimiter, encoding, terminalIdValue, ENCODINGS, quietOption, timeZone, type CommandContext } from './shared.js';

/** `txlog inspect`. */
export function register(program: Command, { io, setExit }: CommandContext): void {
  const command = program
    .command('inspect')
    .description('show what txlog detects in each file (encoding, delimiter, header, mapping, date and decimal formats, rejects) and the command to analyze it')
    .argument('<files...>', 'input files or directories')
    .option('--json', 'print the result as one JSON object (InspectResult)')
    .option('--tz <zone>', 'IANA time zone for timestamps without an offset (default UTC)', timeZone)
    .option('--currency <code>', 'currency of records that name none (default CNY)', currency)
    .option('--mapping <file>', 'mapping profile for a merchant export (JSON file or built-in profile name)')
    .option('--encoding <name>', `force the text encoding (${ENCODINGS.join(', ')})`, encoding)
    .option('--delimiter <char>', 'force the CSV delimiter (one character; tab as \\t or tab)', delimiter)
    .option('--sheet <name|n>', 'sheet of .xlsx workbooks to read (name or 1-based number; default the first)')
    .option('--terminal-id <id>', 'the terminal every row comes from, for an export of one terminal that has no terminal column (rows that name one keep theirs)', terminalIdValue);
  quietOption(command).action(async (files: string[], o) => {
    const result = await inspect(files, { tz: o.tz, currency: o.currency, mapping: o.mapping, encoding: o.encoding, delimiter: o.delimiter, sheet: o.sheet, terminalId: o.terminalId });
    if (!o.quiet) io.stdout(o.json ? JSON.stringify(result, null, 2) + '\n' : renderInspect(result));
    // 1: some file cannot be analyzed as it is (its problem says the fix); unreadable files exit 2 by the error.
    setExit(result.files.some((f) => f.problem !== null) ? 1 : 0);
  });
}
