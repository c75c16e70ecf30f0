import { InvalidArgumentError, type Command } from 'commander';
import { TxlogError } from '../errors.js';
import { number, type CommandContext } from './shared.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** `50MB`, `512k`, `1048576`: units of 1024 bytes, as nginx's client_max_body_size reads them. */
export function parseSize(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) * unit < 1) {
    throw new InvalidArgumentError(`--max-upload must be a size like 50MB, 512KB or 1GB (units of 1024 bytes), got "${value}"`);
  }
  return Math.floor(Number(m[1]) * unit);
}

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is in use. Fix: choose another --port (0 picks a free one)',
  EACCES: 'permission denied. Fix: choose a --port above 1023',
  EADDRNOTAVAIL: 'this machine has no such address. Fix: give one of its addresses with --host, or leave it out (127.0.0.1)',
  ENOTFOUND: 'no such host name. Fix: give an address with --host',
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** `txlog serve`. */
export function register(program: Command, { io }: CommandContext): void {
  program
    .command('serve')
    .description('serve a local upload page: analyze an uploaded export and show what was detected and the report')
    .option('--host <address>', 'address to listen on; anything but loopback exposes the page (it has no authentication)', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port)', number('--port', 0, 65535, true), 8080)
    .option('--max-upload <size>', 'largest upload (all files of one request), e.g. 50MB; larger gets 413', parseSize, 50 * 1024 ** 2)
    .option('-q, --quiet', 'print nothing but errors (and the exposure warning)')
    .action(async (o: { host: string; port: number; maxUpload: number; quiet?: boolean }) => {
      if (!LOOPBACK.has(o.host) && !o.host.startsWith('127.')) {
        io.stderr(`txlog serve: warning: listening on ${o.host}: anyone who can reach this address can upload files and read the results; the page has no authentication\n`);
      }
      // Loaded here, not at the top: every other command starts without the server and busboy.
      const { startServer } = await import('../serve/server.js');
      const server = await startServer({ host: o.host, port: o.port, maxUpload: o.maxUpload, log: (line) => io.stderr(`${line}\n`) }).catch((err: NodeJS.ErrnoException) => {
        const why = LISTEN_ERRORS[err.code ?? ''];
        throw why ? new TxlogError(`SERVE_${err.code}`, `cannot listen on ${o.host} port ${o.port}: ${why}`) : err;
      });
      if (!o.quiet) io.stdout(`txlog serve: listening on ${server.url}\n`);
      // Until a signal: the temp root (uploads in flight, output sets) goes with the server.
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      if (!o.quiet) io.stdout('txlog serve: stopped\n');
    });
}
