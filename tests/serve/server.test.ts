import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSize } from '../../src/commands/serve.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { pickLang } from '../../src/serve/strings.js';
import { storedName } from '../../src/serve/upload.js';
import { EXPORT_CSV, PAN, SETTLEMENT_CSV } from './export.js';

// Analyses run in the built CLI, as `txlog serve` runs them (npm test builds first).
const CLI = resolve('dist/src/cli.js');
const WORKER = resolve('dist/src/serve/worker.js');
if (!existsSync(WORKER)) console.warn(`txlog serve tests skipped: ${WORKER} is not built (npm test builds first; or run npm run build)`);
function form(files: Record<string, { name: string; text: string | Uint8Array }>, fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [field, file] of Object.entries(files)) f.append(field, new Blob([file.text]), file.name);
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

describe.skipIf(!existsSync(WORKER))('txlog serve over HTTP', () => {
  let parent: string;
  let server: RunningServer;

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'txlog-serve-test-'));
    server = await startServer({ host: '127.0.0.1', port: 0, maxUpload: 64 * 1024, tmpDir: parent, jobs: 2, worker: WORKER });
  });
  afterAll(async () => {
    await server.close();
    // The server's private root goes with it.
    expect(readdirSync(parent)).toEqual([]);
  });

  const post = (body: FormData, query = '') => fetch(new URL(`/analyze${query}`, server.url), { method: 'POST', body, redirect: 'manual' });

  it('serves the form with a strict CSP and no external URL', async () => {
    const res = await fetch(server.url, { headers: { 'Accept-Language': 'de-DE, zh-CN;q=0.8' } });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    for (const d of ["default-src 'none'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"]) expect(csp).toContain(d);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const page = await res.text();
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('enctype="multipart/form-data"');
    expect(page).toContain('WenQuanYi Micro Hei');
    expect(page).not.toMatch(/(src|href|action)="(https?:)?\/\//);
    expect(page).not.toMatch(/https?:\/\//);
    // No inline event handler or style attribute (the CSP would block them anyway).
    expect(page).not.toMatch(/\son[a-z]+=|\sstyle=/);
    expect(await (await fetch(`${server.url}?lang=en`)).text()).toContain('<html lang="en">');
  });

  it('analyzes an upload: 303 to the result page with the detected mapping, the report and the downloads', async () => {
    const files = { terminal: { name: '商户导出.csv', text: EXPORT_CSV }, settlement: { name: 'settle.csv', text: SETTLEMENT_CSV } };
    const res = await post(form(files, { tz: 'Asia/Shanghai', lang: 'zh' }), '?lang=en');
    expect(res.status).toBe(303);
    // Deleted before the answer was sent.
    expect(readdirSync(server.root)).toEqual([]);
    const result = new URL(res.headers.get('location')!, server.url);
    const page = await (await fetch(result)).text();
    expect(page).toContain('商户导出.csv');
    expect(page).toContain('<td><code>terminalId</code></td><td>终端号</td>');
    expect(page).toContain('<td><code>amount</code></td><td>交易金额</td>');
    // What `txlog inspect` decided from the values (ISO times need no date shape; the decimal mark is stated).
    expect(page).toMatch(/<dt>Decimal mark<\/dt><dd>&quot;\.&quot; \(&quot;12\.30&quot;/);
    expect(page).toMatch(/<td class="num">4<\/td><td class="num">3<\/td><td class="num bad">1<\/td>/);
    expect(page).toContain('is not a decimal amount');
    expect(page).toContain('Settlement file: <code>settle.csv</code>');
    expect(page).toContain('<td><code>settlementDate</code></td><td>settlementDate</td>');
    expect(page).toContain('<iframe src="report.html"');
    expect(page).not.toMatch(/https?:\/\//);
    const report = await fetch(new URL('report.html', result));
    expect(report.status).toBe(200);
    expect(report.headers.get('content-security-policy')).toContain('sandbox');
    const reportHtml = await report.text();
    expect(reportHtml).toContain('T001');
    expect(reportHtml).toContain('<html lang="zh');
    for (const file of ['report.json', 'terminals.csv', 'findings.ndjson', 'rejects.ndjson', 'report.md']) {
      expect(page).toContain(`href="${file}"`);
      const dl = await fetch(new URL(file, result));
      expect(dl.status, file).toBe(200);
      expect(dl.headers.get('content-disposition')).toContain('attachment');
      expect(await dl.text(), file).not.toContain(PAN);
    }
    expect(page + reportHtml).not.toContain(PAN);
    const json = JSON.parse(await (await fetch(new URL('report.json', result))).text());
    expect(json.options.tz).toBe('Asia/Shanghai');
  });

  it('answers 413 over --max-upload and keeps serving', async () => {
    const big = 'x'.repeat(200 * 1024);
    const res = await post(form({ terminal: { name: 'big.csv', text: big } }), '?lang=zh');
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('64 KB');
    // Declared length unknown (a stream): the limit is enforced while reading.
    const streamed = await fetch(new URL('/analyze', server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=XX' },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('--XX\r\nContent-Disposition: form-data; name="terminal"; filename="a.csv"\r\n\r\n' + big + '\r\n--XX--\r\n'));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(readdirSync(server.root)).toEqual([]);
    const next = await post(form({ terminal: { name: 'export.csv', text: EXPORT_CSV } }));
    expect(next.status).toBe(303);
  });

  it("reads a one-terminal export with no terminal column as the terminal the form names (the CLI's --terminal-id)", async () => {
    // The export without its terminal column: a till's own export.
    const lines = EXPORT_CSV.trim().split('\r\n').filter((l) => !l.includes('T002'));
    const tillExport = lines.map((l) => l.split(',').filter((_, i) => i !== 2).join(',')).join('\r\n') + '\r\n';
    const refused = await post(form({ terminal: { name: 'till.csv', text: tillExport } }));
    expect(refused.status).toBe(422);
    const why = await refused.text();
    expect(why).toContain('Only a terminal column is missing');
    expect(why).toContain('name it in the field &quot;Terminal ID');
    const res = await post(form({ terminal: { name: 'till.csv', text: tillExport } }, { terminalId: ' T001 ' }));
    expect(res.status).toBe(303);
    const result = new URL(res.headers.get('location')!, server.url);
    const json = JSON.parse(await (await fetch(new URL('report.json', result))).text());
    expect(json.terminals.map((t: { terminalId: string }) => t.terminalId)).toEqual(['T001']);
  });

  it('answers bad input with the CLI message, never a stack trace', async () => {
    const res = await post(form({ terminal: { name: 'x.csv', text: 'a,b\r\n1,2\r\n' } }));
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('no header row found');
    expect(page).not.toMatch(/at .*\.js:\d+/);
    const none = await post(form({}, { tz: 'UTC' }));
    expect(none.status).toBe(400);
    const zone = await post(form({ terminal: { name: 'e.csv', text: EXPORT_CSV } }, { tz: 'Mars/Olympus' }));
    expect(zone.status).toBe(422);
    expect(await zone.text()).toContain('Mars/Olympus');
    const mapping = await post(form({ terminal: { name: 'e.csv', text: EXPORT_CSV }, mapping: { name: 'bank.json', text: '{"name":"bank","columns":{}}' } }));
    expect(mapping.status).toBe(422);
    expect(await mapping.text()).toContain('invalid mapping profile ./bank.json');
    expect((await fetch(new URL('/r/AAAAAAAAAAAAAAAAAAAAAA/', server.url))).status).toBe(404);
    expect((await fetch(new URL('/analyze', server.url))).status).toBe(405);
  });

  it('answers 20 concurrent uploads, two analyses at a time, and leaves the temp root empty', async () => {
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => post(form({ terminal: { name: `e${i}.csv`, text: EXPORT_CSV } }))));
    expect(all.map((r) => r.status)).toEqual(Array(20).fill(303));
    expect(new Set(all.map((r) => r.headers.get('location'))).size).toBe(20);
    expect(readdirSync(server.root)).toEqual([]);
  }, 60_000);
});

describe.skipIf(!existsSync(CLI))('txlog serve (the command)', () => {
  it('prints its URL for port 0, serves, and removes its temp root on SIGTERM', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'txlog-serve-cmd-'));
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--max-upload', '1MB'], { env: { ...process.env, TXLOG_SERVE_TMP: parent } });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        const m = /^txlog serve: listening on (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(`exited: ${out}`)));
    });
    expect((await fetch(url)).status).toBe(200);
    expect(readdirSync(parent)).toHaveLength(1);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(readdirSync(parent)).toEqual([]);
  }, 20_000);
});

describe('serve helpers', () => {
  it('reads sizes in units of 1024 bytes', () => {
    expect(parseSize('50MB')).toBe(50 * 1024 * 1024);
    expect(parseSize('512k')).toBe(512 * 1024);
    expect(parseSize('1048576')).toBe(1048576);
    expect(() => parseSize('lots')).toThrow(/--max-upload/);
  });

  it('keeps a stored name inside the job directory', () => {
    expect(storedName('../../etc/passwd', 'terminal', new Set())).toBe('passwd');
    expect(storedName('C:\\x\\商户 导出.csv', 'terminal', new Set())).toBe('商户 导出.csv');
    expect(storedName('-', 'terminal', new Set())).toBe('terminal.csv');
    expect(storedName('.hidden', 'settlement', new Set())).toBe('hidden');
    expect(storedName(`${PAN}.csv`, 'terminal', new Set())).toBe('411111_1111.csv');
    expect(storedName('a.csv', 'settlement', new Set(['a.csv']))).toBe('settlement-a.csv');
  });

  it('picks the language from ?lang, then Accept-Language', () => {
    expect(pickLang('zh', 'en')).toBe('zh');
    expect(pickLang(null, 'zh-TW,en;q=0.5')).toBe('zh');
    expect(pickLang(null, 'fr, en;q=0.4, zh;q=0.6')).toBe('zh');
    expect(pickLang(null, undefined)).toBe('en');
  });
});
