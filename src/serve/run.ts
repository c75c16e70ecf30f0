// Analyses run in a small pool of child processes, each running `txlog analyze` (the CLI's own `main`) in
// the job directory. Children, not in-process calls: the analysis is CPU-bound and would stall every other
// request on the event loop; N children use N cores; a crash or an out-of-memory ends one job, not the
// server; the report names the uploaded files as uploaded (relative to the job directory), and a bad input
// gets exactly the CLI's one-line message. Long-lived, because loading txlog costs about a second.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The worker this server runs analyses in: the one built beside it. */
export const DEFAULT_WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));

export interface AnalysisRequest {
  cwd: string;
  terminal: string;
  settlement?: string;
  mapping?: string;
  tz?: string;
  currency?: string;
  /** The terminal of an export that names none (--terminal-id), trimmed. */
  terminalId?: string;
  lang: 'en' | 'zh';
  out: string;
}

export interface AnalysisArgs {
  cwd: string;
  argv: string[];
}

export interface WorkerReply {
  code: number;
  stderr: string;
}

export type AnalysisOutcome =
  | { ok: true }
  /** The job could not run (CLI exit 2): its one-line message, for a 422 page. */
  | { ok: false; status: 422; message: string }
  | { ok: false; status: 500 | 503; message: string };

/** The CLI arguments for one job; `--opt=value` so that a form value can never be read as another option. */
export function analyzeArgv(r: AnalysisRequest): string[] {
  // One thread each: the pool already runs one analysis per core.
  const argv = ['analyze', `--terminal=${r.terminal}`, `--out=${r.out}`, '-q', `--lang=${r.lang}`, '--jobs=1'];
  if (r.settlement) argv.push(`--settlement=${r.settlement}`);
  // `./`: a file, never a built-in profile of the same name.
  if (r.mapping) argv.push(`--mapping=./${r.mapping}`);
  if (r.tz) argv.push(`--tz=${r.tz}`);
  if (r.currency) argv.push(`--currency=${r.currency}`);
  if (r.terminalId) argv.push(`--terminal-id=${r.terminalId}`);
  return argv;
}

export function outcomeOf(reply: WorkerReply): AnalysisOutcome {
  if (reply.code === 0 || reply.code === 1) return { ok: true };
  // The CLI's message, or commander's own for an option value it refused.
  const line = /^(?:txlog: )?error: (.*)$/m.exec(reply.stderr);
  if (reply.code === 2 && line) return { ok: false, status: 422, message: line[1] };
  return { ok: false, status: 500, message: 'internal error in the analysis' };
}

/** At most `size` children; the server's queue makes sure no more than that many jobs ask at once. */
export class WorkerPool {
  private readonly idle: ChildProcess[] = [];
  private readonly all = new Set<ChildProcess>();
  private closed = false;

  constructor(
    private readonly worker: string,
    private readonly timeoutMs: number,
  ) {}

  run(request: AnalysisRequest): Promise<AnalysisOutcome> {
    // A job that waited in the queue while the server stopped starts no new process.
    if (this.closed) return Promise.resolve({ ok: false, status: 503, message: 'the server is stopping' });
    const child = this.idle.pop() ?? this.spawn();
    return new Promise((resolve) => {
      const finish = (outcome: AnalysisOutcome, reusable: boolean) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (reusable) this.idle.push(child);
        resolve(outcome);
      };
      const onMessage = (reply: WorkerReply) => finish(outcomeOf(reply), true);
      const onExit = () => finish({ ok: false, status: 500, message: 'the analysis process ended' }, false);
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish({ ok: false, status: 503, message: `the analysis took longer than ${Math.round(this.timeoutMs / 1000)} s and was stopped` }, false);
      }, this.timeoutMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ cwd: request.cwd, argv: analyzeArgv(request) } satisfies AnalysisArgs);
    });
  }

  private spawn(): ChildProcess {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    // Never a stack trace in a page.
    delete env.TXLOG_DEBUG;
    delete env.FORCE_COLOR;
    const child = fork(this.worker, [], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'json' });
    this.all.add(child);
    child.on('exit', () => {
      this.all.delete(child);
      const i = this.idle.indexOf(child);
      if (i >= 0) this.idle.splice(i, 1);
    });
    child.on('error', () => {});
    return child;
  }

  close(): void {
    this.closed = true;
    for (const child of this.all) child.kill('SIGKILL');
  }
}
