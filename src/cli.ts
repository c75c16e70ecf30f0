#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { decideColor, type Io } from './commands/shared.js';
import { fsError, isFsError, TxlogError } from './errors.js';
import { maskText } from './pan.js';
import { VERSION } from './version.js';

export type { Io } from './commands/shared.js';

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  color: Boolean(process.stdout.isTTY),
};

/** A usage error as one line: `txlog: error: unknown command 'x' (run with --help for usage)`. */
function usageLine(message: string): string {
  const text = message.trim().replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  return `txlog: error: ${text} (run with --help for usage)\n`;
}

/** The whole command line: global options and every command of src/commands (also read by `npm run docs`). */
export function buildProgram(io: Io, setExit: (code: number) => void = () => {}): Command {
  const program = new Command('txlog')
    .description('Classify failed and unsettled POS card transactions into causes and report per terminal.')
    .version(VERSION, '-V, --version')
    .option('--color', 'colour the human output even when stdout is not a terminal')
    .option('--no-color', 'never colour the output (also NO_COLOR=1; FORCE_COLOR=1 forces colour)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (s, write) => write(usageLine(s)) });

  for (const register of COMMANDS) register(program, { io, setExit });
  return program;
}

/** Runs the CLI and returns the exit code; all I/O goes through `io`. */
export async function main(argv: readonly string[], ioIn: Io = defaultIo): Promise<number> {
  // The last guard: whatever a message quotes from the input, a card number never reaches the terminal.
  const io: Io = { color: ioIn.color, env: ioIn.env, stdout: (s) => ioIn.stdout(maskText(s)), stderr: (s) => ioIn.stderr(maskText(s)) };
  let exit = 0;
  const program = buildProgram(io, (code) => (exit = code));
  // Colour is decided once the global flags are read, before any command runs.
  program.hook('preAction', (cmd) => {
    io.color = decideColor(cmd.opts().color as boolean | undefined, ioIn.env ?? process.env, ioIn.color);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      // `txlog` with no command prints the help on stderr (commander's help({ error: true })): a usage error.
      if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : 2;
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
    // A reader that stopped early (`| head`) wants no more; any other failure lost output a caller counts on.
    if (err.code === 'EPIPE') process.exit(0);
    process.stderr.write(`txlog: error: could not write to standard output (${err.code ?? err.message}); check the disk or pipe it goes to\n`);
    process.exit(2);
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
