#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import type { Io } from './commands/shared.js';
import { fsError, isFsError, TxlogError } from './errors.js';
import { maskText } from './pan.js';
import { VERSION } from './version.js';

export type { Io } from './commands/shared.js';

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('txlog')
    .description('Classify failed and unsettled POS card transactions into causes and report per terminal.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (s, write) => write(s) })
    .showHelpAfterError('(run with --help for usage)');

  for (const register of COMMANDS) register(program, { io, setExit });
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
