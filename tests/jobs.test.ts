// Worker threads read a run in shares (src/jobs.ts): for any number of them the outputs are one reader's,
// byte for byte. The inputs are larger than one read chunk (1 MiB), so the shares do part and drop each
// other's lines; the hostile one mixes lines every share must read (quoted, long or spaced terminal ids,
// comments, a trailer, rejects with and without a terminal) with lines only their owner reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', 'dist', 'src', 'cli.js');
const FILES = ['report.json', 'findings.ndjson', 'terminals.csv', 'report.md', 'report.html', 'rejects.ndjson'];
const work = mkdtempSync(join(tmpdir(), 'txlog-jobs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
// No card key: the workers take the run's own, so cards group across shares as in one reader.
const env = { ...process.env, TXLOG_CARD_KEY: undefined, SOURCE_DATE_EPOCH: '1767225600', TXLOG_TIMING: '1' };
const txlog = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });

/** Runs with 1 thread and with each of `jobs`; returns how many times each run read its first input (TXLOG_TIMING). */
function sameForAnyJobs(name: string, inputs: string[], jobs: number[]): number[] {
  const dir = join(work, name);
  const one = txlog(['analyze', ...inputs, '--out', join(dir, 'j1'), '--jobs', '1', '-q']);
  expect(one.status, one.stderr).toBe(0);
  const reads: number[] = [];
  for (const j of jobs) {
    const r = txlog(['analyze', ...inputs, '--out', join(dir, `j${j}`), '--jobs', String(j), '-q']);
    expect(r.status, r.stderr).toBe(0);
    reads.push(r.stderr.split('\n').filter((l) => l.startsWith('txlog: read ')).length);
    for (const f of FILES) expect(readFileSync(join(dir, `j${j}`, f)), `${f} with --jobs ${j}`).toEqual(readFileSync(join(dir, 'j1', f)));
  }
  return reads;
}

/** Terminal lines of every shape, with the rows a share must not count twice or lose. */
function hostileCsv(lines: number, lateDecimalQuestion: boolean): string {
  const out = ['# exported by a test', 'txnId,terminalId,timestamp,type,amount,currency,status,responseCode,message,rrn'];
  for (let i = 0; i < lines; i++) {
    const t = i % 37;
    const day = 16 + (i % 3);
    const ts = `2026-11-${day}T${String(8 + (i % 12)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00+08:00`;
    const status = i % 11 === 0 ? 'declined' : 'approved';
    const code = status === 'declined' ? (i % 2 ? '51' : '05') : '00';
    // Integer amounts only, so the decimal mark stays open until the first value that has decimals.
    const amount = lateDecimalQuestion && i === lines - 50 ? '"1,234"' : lateDecimalQuestion ? String(10 + (i % 90)) : `${10 + (i % 90)}.50`;
    let terminal = `T${String(t).padStart(4, '0')}`;
    if (i % 97 === 0) terminal = `"${terminal}"`; // quoted: every share reads it
    if (i % 89 === 0) terminal = ` ${terminal} `; // spaced: trimmed by the reader
    if (i % 83 === 0) terminal = `TERMINAL-LONG-${t}`; // past 12 characters
    let row = `X${i},${terminal},${ts},sale,${amount},CNY,${status},${code},${i % 7 === 0 ? '"terminal busy, retry"' : ''},${600000000000 + i}`;
    const plain = lateDecimalQuestion ? '12' : '12.00';
    if (i % 101 === 0) row = `X${i},${terminal},not-a-time,sale,${plain},CNY,approved,00,,${600000000000 + i}`; // reject with a terminal
    if (i % 103 === 0) row = `X${i},,${ts},sale,${plain},CNY,approved,00,,${600000000000 + i}`; // reject without one
    if (i % 211 === 0) out.push('# a comment inside the log');
    out.push(row);
  }
  out.push('合计,,,,,,,,,');
  out.push(`X-after-trailer,T0001,2026-11-16T10:00:00+08:00,sale,1.00,CNY,approved,00,,1`);
  return out.join('\n') + '\n';
}

describe('a run read by worker threads', () => {
  beforeAll(() => {
    const g = txlog(['generate', '--out', join(work, 'fleet'), '--terminals', '40', '--days', '2', '--transactions', '8000', '--seed', '7', '-q']);
    expect(g.status, g.stderr).toBe(0);
    mkdirSync(join(work, 'hostile'), { recursive: true });
    writeFileSync(join(work, 'hostile', 'terminal.csv'), hostileCsv(20_000, false));
    mkdirSync(join(work, 'late'), { recursive: true });
    writeFileSync(join(work, 'late', 'terminal.csv'), hostileCsv(20_000, true));
  }, 120_000);

  it('a generated fleet (NDJSON terminal log, events, settlement CSV): the same outputs for 1 and 2 threads', () => {
    sameForAnyJobs('fleet', [join(work, 'fleet'), '--tz', 'Asia/Shanghai'], [2]);
  }, 240_000);

  it('a hostile terminal CSV: each row counted once, the same outputs for 1 and 3 threads', () => {
    expect(sameForAnyJobs('hostile', ['--terminal', join(work, 'hostile', 'terminal.csv')], [3])).toEqual([3]);
    const report = JSON.parse(readFileSync(join(work, 'hostile', 'j3', 'report.json'), 'utf8')) as { inputs: { read: number; accepted: number; rejected: number; skipped: number }[] };
    const [input] = report.inputs;
    expect(input.read).toBe(input.accepted + input.rejected + input.skipped);
    expect(input.rejected).toBeGreaterThan(0);
  }, 240_000);

  it('a decimal question that opens after the shares parted: read whole, with the same outputs', () => {
    // The workers stopped at the question before they had read the input; the run read it once, whole.
    expect(sameForAnyJobs('late', ['--terminal', join(work, 'late', 'terminal.csv')], [2])).toEqual([1]);
  }, 240_000);
});
