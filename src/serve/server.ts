// `txlog serve`: node:http, no framework. One upload = one private job directory (mkdtemp, 0700) holding
// the uploaded files and the output set; the directory is deleted before the response is sent. The outputs
// are then served from memory at an unguessable per-job URL for `keepMinutes`, the upload itself never.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lang } from '../output/fmt.js';
import type { Report } from '../model.js';
import { maskText } from '../pan.js';
import { detectedFiles, firstRejects, sniffHeader, withInspection, type DetectedFile } from './detect.js';
import { inspect, type InspectFile } from '../inspect.js';
import { errorPage, formatSize, formPage, PAGE_CSP, REPORT_CSP, resultPage, type ErrorPage } from './pages.js';
import { DEFAULT_WORKER, WorkerPool, type AnalysisOutcome } from './run.js';
import { pickLang, s } from './strings.js';
import { receiveUpload, UploadError, type Upload } from './upload.js';

export interface ServeOptions {
  host: string;
  port: number;
  /** Largest request body, in bytes; the whole upload (all files) counts. */
  maxUpload: number;
  /** Where the server makes its private temporary root (default TXLOG_SERVE_TMP, else the OS temp dir). */
  tmpDir?: string;
  /** Analyses running at once; the rest wait (default: the machine's cores). */
  jobs?: number;
  /** Requests allowed to wait for an analysis before the server answers 503. */
  queueLimit?: number;
  /** How long a job's results are served after its upload. */
  keepMinutes?: number;
  /** The analysis worker module (dist/src/serve/worker.js); tests running from source name the built one. */
  worker?: string;
  timeoutMs?: number;
  /** One line per event worth telling the operator (errors); masked like every CLI output. */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  /** The private temporary root; empty whenever no upload is in flight. */
  root: string;
  close(): Promise<void>;
}

/** A job's outputs, kept for the result page and its downloads. */
interface Job {
  files: DetectedFile[];
  outputs: Map<string, Buffer>;
  bytes: number;
  expiresAt: number;
}

interface Reply {
  status: number;
  body: string | Buffer;
  headers?: Record<string, string>;
}

/** Outputs in the order the downloads list them; report.html is shown in the frame and listed last. */
const DOWNLOADS = ['report.json', 'terminals.csv', 'findings.ndjson', 'rejects.ndjson', 'report.md', 'report.html'];
const TYPES: Record<string, string> = {
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};
/** Results held in memory over all jobs; the oldest go first past it. */
const MEMORY_BUDGET = 256 * 1024 * 1024;
const OUT = '.txlog-out';

class Queue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly size: number,
    private readonly limit: number,
  ) {}

  /** Runs `fn` when a slot is free; 'busy' when too many already wait. */
  async run<T>(fn: () => Promise<T>): Promise<T | 'busy'> {
    if (this.running >= this.size) {
      if (this.waiting.length >= this.limit) return 'busy';
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const parent = options.tmpDir ?? process.env.TXLOG_SERVE_TMP ?? tmpdir();
  await mkdir(parent, { recursive: true });
  const root = await mkdtemp(join(parent, 'txlog-serve-'));
  const keepMinutes = options.keepMinutes ?? 15;
  const log = options.log ?? (() => {});
  const queue = new Queue(Math.max(1, options.jobs ?? availableParallelism()), options.queueLimit ?? 64);
  const pool = new WorkerPool(options.worker ?? DEFAULT_WORKER, options.timeoutMs ?? 10 * 60_000);
  const jobs = new Map<string, Job>();
  const inflight = new Set<Promise<void>>();
  let closing = false;

  const sweep = setInterval(() => forget(Date.now()), 30_000);
  sweep.unref();
  function forget(now: number): void {
    for (const [id, job] of jobs) if (job.expiresAt <= now) jobs.delete(id);
    let total = 0;
    for (const job of jobs.values()) total += job.bytes;
    for (const [id, job] of jobs) {
      if (total <= MEMORY_BUDGET || jobs.size === 1) break;
      jobs.delete(id);
      total -= job.bytes;
    }
  }

  const server = createServer((req, res) => {
    const done = handle(req, res).catch((err: Error) => {
      log(`txlog serve: error: ${maskText(err.message)}`);
      if (!res.headersSent) send(res, htmlReply(500, errorPage('en', { status: 500, title: 'internalTitle', message: s('en', 'internal') })));
      else res.destroy();
    });
    inflight.add(done);
    done.finally(() => inflight.delete(done));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const lang = pickLang(url.searchParams.get('lang'), req.headers['accept-language']);
    const path = url.pathname;
    if (path === '/') {
      if (!isGet(req)) return send(res, methodNotAllowed(lang, 'GET'));
      return send(res, htmlReply(200, formPage(lang, { maxUpload: options.maxUpload, keepMinutes })));
    }
    if (path === '/analyze') {
      if (req.method !== 'POST') return send(res, methodNotAllowed(lang, 'POST'));
      const reply = await analyzeUpload(req, lang);
      if (reply.status === 413) return refuse(req, res, reply);
      return send(res, reply);
    }
    // A 404's language link goes to the form, never to a path the client made up.
    const m = /^\/r\/([A-Za-z0-9_-]{22})(\/[^/]*)?$/.exec(path);
    const job = m ? jobs.get(m[1]) : undefined;
    if (!m || !job || job.expiresAt <= Date.now()) {
      return send(res, htmlReply(404, errorPage(lang, { status: 404, title: 'notFoundTitle', message: s(lang, 'notFound', { minutes: keepMinutes }) })));
    }
    if (!isGet(req)) return send(res, methodNotAllowed(lang, 'GET'));
    const file = (m[2] ?? '').slice(1);
    if (m[2] === undefined) return send(res, { status: 301, body: '', headers: { Location: `/r/${m[1]}/${url.search}` } });
    if (file === '') {
      const downloads = DOWNLOADS.filter((f) => job.outputs.has(f)).map((f) => ({ file: f, bytes: job.outputs.get(f)!.length }));
      return send(res, htmlReply(200, resultPage(lang, { id: m[1], files: job.files, downloads, expiresAt: new Date(job.expiresAt) })));
    }
    const body = job.outputs.get(file);
    if (!body) return send(res, htmlReply(404, errorPage(lang, { status: 404, title: 'notFoundTitle', message: s(lang, 'notFound', { minutes: keepMinutes }) })));
    const ext = file.slice(file.lastIndexOf('.') + 1);
    const headers: Record<string, string> = { 'Content-Type': TYPES[ext] ?? 'application/octet-stream' };
    if (ext === 'html') {
      headers['Content-Security-Policy'] = REPORT_CSP;
      headers['X-Frame-Options'] = 'SAMEORIGIN';
    } else {
      headers['Content-Disposition'] = `attachment; filename="${file}"`;
    }
    return send(res, { status: 200, body, headers });
  }

  /** Receives, analyzes and stores one upload; its job directory is gone before the reply is sent. */
  async function analyzeUpload(req: IncomingMessage, uiLang: Lang): Promise<Reply> {
    const dir = await mkdtemp(join(root, 'job-'));
    try {
      let upload: Upload;
      try {
        upload = await receiveUpload(req, dir, options.maxUpload);
      } catch (err) {
        if (!(err instanceof UploadError)) throw err;
        if (err.status === 413) {
          return htmlReply(413, errorPage(uiLang, { status: 413, title: 'tooLargeTitle', message: s(uiLang, 'tooLarge', { limit: formatSize(options.maxUpload) }) }));
        }
        return htmlReply(err.status, errorPage(uiLang, { status: err.status, title: 'errorTitle', message: s(uiLang, 'badForm', { message: err.message }) }));
      }
      const terminal = upload.files.terminal;
      if (!terminal) return htmlReply(400, errorPage(uiLang, { status: 400, title: 'errorTitle', message: s(uiLang, 'noTerminal') }));
      const reportLang: Lang = upload.fields.lang === 'zh' || upload.fields.lang === 'en' ? upload.fields.lang : uiLang;
      const outcome: AnalysisOutcome | 'busy' = closing
        ? 'busy'
        : await queue.run(() =>
            pool.run({ cwd: dir, terminal, settlement: upload.files.settlement, mapping: upload.files.mapping, tz: upload.fields.tz, currency: upload.fields.currency, terminalId: upload.fields.terminalId?.trim() || undefined, lang: reportLang, out: OUT }),
          );
      if (outcome === 'busy') return htmlReply(503, errorPage(uiLang, { status: 503, title: 'busyTitle', message: s(uiLang, 'busy') }), { 'Retry-After': '60' });
      if (!outcome.ok) {
        const title = outcome.status === 422 ? 'errorTitle' : outcome.status === 503 ? 'busyTitle' : 'internalTitle';
        // The CLI's own one-line message (it speaks English); an internal error says no more than that it was one.
        // The CLI names its flag; here the same thing is a field of the form.
        const message = outcome.status === 500 ? s(uiLang, 'internal') : maskText(outcome.message).replace('with --terminal-id ID', `in the field "${s(uiLang, 'terminalId')}"`);
        return htmlReply(outcome.status, errorPage(uiLang, { status: outcome.status, title, message }));
      }
      const job = await collect(dir, upload);
      const id = randomBytes(16).toString('base64url');
      jobs.set(id, job);
      forget(Date.now());
      return { status: 303, body: '', headers: { Location: `/r/${id}/?lang=${uiLang}` } };
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    }
  }

  /** Reads a finished job's outputs and detection into memory (the directory is deleted right after). */
  async function collect(dir: string, upload: Upload): Promise<Job> {
    const outputs = new Map<string, Buffer>();
    for (const name of await readdir(join(dir, OUT))) {
      if (DOWNLOADS.includes(name)) outputs.set(name, await readFile(join(dir, OUT, name)));
    }
    const report = JSON.parse(outputs.get('report.json')!.toString('utf8')) as Report;
    const mapping = upload.files.mapping ? join(dir, upload.files.mapping) : undefined;
    const uploads = [];
    for (const role of ['terminal', 'settlement'] as const) {
      const name = upload.files[role];
      const account = name ? report.inputs.find((a) => a.path === name) : undefined;
      if (!name || !account) continue;
      uploads.push({ role, name, sniff: await sniffHeader(join(dir, name), account, mapping) });
    }
    const rejects = firstRejects(outputs.get('rejects.ndjson')?.toString('utf8') ?? '');
    let bytes = 0;
    for (const b of outputs.values()) bytes += b.length;
    // What `txlog inspect` sees in each upload (dates, decimals, mapping alternatives); the page works without it.
    const found = new Map<string, InspectFile>();
    for (const u of uploads) {
      const r = await inspect([join(dir, u.name)], { tz: upload.fields.tz || undefined, mapping, terminalId: upload.fields.terminalId?.trim() || undefined }).catch(() => null);
      if (r?.files[0]) found.set(u.name, r.files[0]);
    }
    const files = detectedFiles(report.inputs, uploads, rejects).map((f) => withInspection(f, found.get(f.name)));
    return { files, outputs, bytes, expiresAt: Date.now() + keepMinutes * 60_000 };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/`,
    root,
    async close() {
      closing = true;
      clearInterval(sweep);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      pool.close();
      await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 5000).unref())]);
      jobs.clear();
      await rm(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

const isGet = (req: IncomingMessage) => req.method === 'GET' || req.method === 'HEAD';

function htmlReply(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, body, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_CSP, ...headers } };
}

function methodNotAllowed(lang: Lang, methods: string): Reply {
  return htmlReply(405, errorPage(lang, { status: 405, title: 'methodTitle', message: s(lang, 'method', { methods }) } satisfies ErrorPage), { Allow: methods === 'GET' ? 'GET, HEAD' : methods });
}

function send(res: ServerResponse, reply: Reply): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
  res.writeHead(reply.status, {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Length': String(body.length),
    ...reply.headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/**
 * A 413 while the client may still be sending: answer, stop storing, and close the connection. The rest
 * of the body is read and dropped for a moment first (a "lingering close", as nginx does): closing a
 * socket with unread data resets it, and the client would lose the answer it has not read yet.
 */
function refuse(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  req.unpipe();
  req.resume();
  send(res, { ...reply, headers: { ...reply.headers, Connection: 'close' } });
  res.on('finish', () => setTimeout(() => req.socket.destroy(), 1000).unref());
}
