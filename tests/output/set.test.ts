// The output set is swapped in whole: whatever happens to a run, --out holds one complete set.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve('dist/src/cli.js');
const FLEET = resolve('fixtures/sample-fleet');
const FILES = ['findings.ndjson', 'rejects.ndjson', 'report.html', 'report.json', 'report.md', 'terminals.csv'];

function txlog(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A complete set: every file there, and the files agree with each other. Returns its generatedAt. */
function completeSet(out: string): string {
  expect(readdirSync(out).sort()).toEqual(FILES);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const findings = readFileSync(join(out, 'findings.ndjson'), 'utf8').split('\n').filter(Boolean).length;
  const rejects = readFileSync(join(out, 'rejects.ndjson'), 'utf8').split('\n').filter(Boolean).length;
  expect(findings).toBe(report.summary.findings);
  expect(rejects).toBe(report.totals.rejected);
  for (const f of ['report.md', 'report.html']) expect(readFileSync(join(out, f), 'utf8')).toContain(report.generatedAt.slice(0, 10));
  return report.generatedAt;
}

/** What is left beside --out besides the set: only the store of the set in use. */
function leftovers(out: string): string[] {
  const parent = dirname(out);
  const store = join(parent, `.${out.split('/').pop()}.txlog`);
  const runs = existsSync(store) ? readdirSync(store) : [];
  const links = readdirSync(parent).filter((n) => n.includes('.txlog-link-'));
  return [...runs.map((r) => `store/${r}`), ...links];
}

const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) spawnSync('umount', [m]);
});

/** A small tmpfs for disk-full and read-only cases; null where this machine cannot mount (not root). */
function tmpfs(size: string, options = ''): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'txlog-fs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${options ? `,${options}` : ''}`, 'tmpfs', dir]);
  if (r.status !== 0) return null;
  mounts.push(dir);
  return dir;
}

describe('the output set', () => {
  it('a killed run never leaves a mixed set: kills at points spread over a whole run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'txlog-kill-'));
    const out = join(dir, 'report');
    expect(txlog(['analyze', FLEET, '--tz', 'Asia/Shanghai', '--out', out, '--generated-at', '2026-01-01T00:00:00Z', '-q']).code).toBe(0);
    expect(completeSet(out)).toBe('2026-01-01T00:00:00Z');
    // One uninterrupted run to learn how long a run takes here.
    const t0 = Date.now();
    expect(txlog(['analyze', FLEET, '--tz', 'Asia/Shanghai', '--out', out, '--generated-at', '2026-01-01T00:00:00Z', '-q']).code).toBe(0);
    const took = Date.now() - t0;
    const KILLS = 10;
    const stamps = ['2026-01-01T00:00:00Z'];
    for (let k = 0; k < KILLS; k++) {
      const at = `2026-02-${String(k + 1).padStart(2, '0')}T00:00:00Z`;
      stamps.push(at);
      const child = spawn(process.execPath, [BIN, 'analyze', FLEET, '--tz', 'Asia/Shanghai', '--out', out, '--generated-at', at, '-q'], { stdio: 'ignore' });
      const exited = new Promise((r) => child.on('exit', r));
      await new Promise((r) => setTimeout(r, Math.floor(((k + 0.5) / KILLS) * took * 1.05)));
      child.kill('SIGKILL');
      await exited;
      // Whichever run's set it is, it is whole.
      expect(stamps).toContain(completeSet(out));
    }
    // A later run cleans up whatever the killed runs left behind.
    expect(txlog(['analyze', FLEET, '--tz', 'Asia/Shanghai', '--out', out, '--generated-at', '2026-03-01T00:00:00Z', '-q']).code).toBe(0);
    expect(completeSet(out)).toBe('2026-03-01T00:00:00Z');
    expect(leftovers(out)).toHaveLength(1);
  }, 120_000);

  it('two runs at once each leave a complete set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'txlog-conc-'));
    const out = join(dir, 'report');
    const run = (at: string) =>
      new Promise<number>((done) => spawn(process.execPath, [BIN, 'analyze', FLEET, '--tz', 'Asia/Shanghai', '--out', out, '--generated-at', at, '-q'], { stdio: 'ignore' }).on('exit', (c) => done(c ?? -1)));
    const codes = await Promise.all([run('2026-01-01T00:00:00Z'), run('2026-01-02T00:00:00Z')]);
    expect(codes).toEqual([0, 0]);
    expect(['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z']).toContain(completeSet(out));
  }, 60_000);

  it('a run that fails leaves the previous set byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'txlog-fail-'));
    const out = join(dir, 'report');
    expect(txlog(['analyze', FLEET, '--tz', 'Asia/Shanghai', '--out', out, '--generated-at', '2026-01-01T00:00:00Z', '-q']).code).toBe(0);
    const before = FILES.map((f) => readFileSync(join(out, f), 'utf8'));
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, Array.from({ length: 11 }, (_, i) => `{"txnId":"x${i}","status":"approved"}`).join('\n') + '\n');
    const r = txlog(['analyze', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(FILES.map((f) => readFileSync(join(out, f), 'utf8'))).toEqual(before);
    expect(leftovers(out)).toHaveLength(1);
  });

  it('--out naming a file, or a directory of other files, exits 2 with one line and touches nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'txlog-outfile-'));
    const file = join(dir, 'report');
    writeFileSync(file, 'mine');
    const r = txlog(['analyze', FLEET, '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--out .*report is a file, not a directory\. Fix:/);
    expect(readFileSync(file, 'utf8')).toBe('mine');
    const other = join(dir, 'docs');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'keep');
    const r2 = txlog(['analyze', FLEET, '--out', other]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/holds files txlog did not write \(notes\.txt\)/);
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('keep');
  });

  it('--out on a path that cannot be made (/proc) exits 2 at once, no loop', () => {
    const t0 = Date.now();
    const r = txlog(['analyze', FLEET, '--out', '/proc/x/report']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^txlog: error: --out/);
    expect(r.stderr).not.toMatch(/internal error|bug in txlog/);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('a read-only file system exits 2 with the reason and the fix', (ctx) => {
    const ro = tmpfs('1m', 'ro');
    if (!ro) return ctx.skip();
    const r = txlog(['analyze', FLEET, '--out', join(ro, 'report')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/read-only file system \(EROFS\)\. Fix:/);
  });

  it('a full disk exits 2 with one line and leaves the previous set unchanged', (ctx) => {
    const small = tmpfs('900k');
    if (!small) return ctx.skip();
    const out = join(small, 'report');
    const tiny = join(mkdtempSync(join(tmpdir(), 'txlog-tiny-')), 'terminal.ndjson');
    writeFileSync(tiny, '{"txnId":"a","terminalId":"T1","timestamp":"2026-11-20T10:00:00Z","amount":"1.00","status":"declined","responseCode":"51"}\n');
    expect(txlog(['analyze', tiny, '--out', out, '--generated-at', '2026-01-01T00:00:00Z', '-q']).code).toBe(0);
    const before = FILES.map((f) => readFileSync(join(out, f), 'utf8'));
    const r = txlog(['analyze', FLEET, '--tz', 'Asia/Shanghai', '--out', out, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no space left on the device \(ENOSPC\)\. Fix:/);
    expect(FILES.map((f) => readFileSync(join(out, f), 'utf8'))).toEqual(before);
    expect(leftovers(out)).toHaveLength(1);
    rmSync(out, { force: true });
  });
});
