import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shardOf } from '../src/shard.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'src', 'cli.js');
const FILES = ['report.json', 'findings.ndjson', 'terminals.csv', 'report.md', 'report.html', 'rejects.ndjson'];
const work = mkdtempSync(join(tmpdir(), 'txlog-shard-'));
const env = { ...process.env, TXLOG_CARD_KEY: 'shard-test-key', SOURCE_DATE_EPOCH: '1767225600' };
afterAll(() => rmSync(work, { recursive: true, force: true }));

const txlog = (args: string[], extra: Record<string, string | undefined> = {}) => spawnSync(process.execPath, [CLI, ...args], { env: { ...env, ...extra }, encoding: 'utf8' });

function splitRun(name: string, inputs: string[], n: number): { single: string; merged: string } {
  const dir = join(work, name);
  const partials = [...Array(n).keys()].map((k) => join(dir, `p${k}`));
  for (const [k, p] of partials.entries()) {
    const r = txlog(['analyze', ...inputs, '--shard', `${k}/${n}`, '--partial', p, '-q']);
    expect(r.status, r.stderr).toBe(0);
  }
  // Given in any order: the merge orders shards itself.
  const m = txlog(['merge', ...partials.reverse(), '--out', join(dir, 'merged'), '-q']);
  expect(m.status, m.stderr).toBe(0);
  const s = txlog(['analyze', ...inputs, '--out', join(dir, 'single'), '-q']);
  expect(s.status, s.stderr).toBe(0);
  return { single: join(dir, 'single'), merged: join(dir, 'merged') };
}

describe('a run split by terminal', () => {
  it.each([
    ['settlement problems', ['fixtures/settlement-problems'], 3],
    ['rejected lines', ['fixtures/garbage-lines'], 2],
    ['network outage', ['fixtures/network-outage'], 4],
  ])('%s: shards merged give one run\'s outputs byte for byte', (name, inputs, n) => {
    const { single, merged } = splitRun(name.replace(/\s/g, '-'), inputs as string[], n as number);
    for (const f of FILES) expect(readFileSync(join(merged, f)), f).toEqual(readFileSync(join(single, f)));
  }, 120_000);

  it('shards keep disjoint terminals that cover the fleet', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `T${i}-${(i * 7919) % 1000}`);
    const counts = [0, 0, 0];
    for (const id of ids) counts[shardOf(id, 3)]++;
    expect(counts.reduce((a, b) => a + b)).toBe(ids.length);
    // FNV-1a spreads ids evenly enough that no shard is starved.
    for (const c of counts) expect(c).toBeGreaterThan(500);
    expect(shardOf('T10000-00000066', 7)).toBe(shardOf('T10000-00000066', 7));
  });

  it('merge refuses a missing, repeated or differently configured shard with one line', () => {
    const dir = join(work, 'refuse');
    const make = (k: number, n: number, extra: string[] = []) => {
      const p = join(dir, `p${k}-${n}${extra.length ? '-x' : ''}`);
      expect(txlog(['analyze', 'fixtures/network-outage', '--shard', `${k}/${n}`, '--partial', p, '-q', ...extra]).status).toBe(0);
      return p;
    };
    const a = make(0, 2);
    const b = make(1, 2);
    const c = make(1, 2, ['--tz', 'Asia/Shanghai']);
    const cases: [string[], RegExp][] = [
      [[a], /shard 1\/2 missing/],
      [[a, a], /both shard 0\/2/],
      [[a, c], /other options/],
      [[a, join(dir, 'nowhere')], /holds no partial\.json/],
    ];
    for (const [dirs, message] of cases) {
      const r = txlog(['merge', ...dirs, '--out', join(dir, 'out')]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(txlog(['merge', a, b, '--out', join(dir, 'out'), '-q']).status).toBe(0);
  }, 120_000);

  it('--partial without TXLOG_CARD_KEY, or a bad --shard, exits 2 with the fix', () => {
    const r = txlog(['analyze', 'fixtures/network-outage', '--shard', '0/2', '--partial', join(work, 'nokey')], { TXLOG_CARD_KEY: undefined });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/TXLOG_CARD_KEY/);
    for (const bad of ['2/2', '1', '-1/3', 'a/b']) {
      const s = txlog(['analyze', 'fixtures/network-outage', '--shard', bad, '--out', join(work, 'bad')]);
      expect(s.status, bad).toBe(2);
      expect(s.stderr).toMatch(/--shard must be K\/N/);
    }
  });

  const hasParallel = spawnSync('parallel', ['--version']).status === 0;
  if (!hasParallel) console.warn('GNU parallel script test skipped: `parallel` is not installed (apt-get install parallel)');
  // The sample fleet (incidents, root causes, groupings, cards) goes through the script, so it is split once.
  it.skipIf(!hasParallel)('the GNU parallel script runs the shards and merges them into one run\'s report', () => {
    const out = join(work, 'parallel-out');
    const shardWork = join(work, 'parallel-work');
    execFileSync('bash', ['scripts/shard/parallel.sh', '-n', '3', '-o', out, '-w', shardWork, '--', 'fixtures/sample-fleet', '--tz', 'Asia/Shanghai'], {
      env: { ...env, TXLOG: `${process.execPath} ${CLI}` },
      stdio: 'pipe',
    });
    expect(readdirSync(shardWork).sort()).toEqual(['shard-0', 'shard-1', 'shard-2']);
    const single = join(work, 'sample-single');
    expect(txlog(['analyze', 'fixtures/sample-fleet', '--tz', 'Asia/Shanghai', '--out', single, '-q']).status).toBe(0);
    for (const f of FILES) expect(readFileSync(join(out, f)), f).toEqual(readFileSync(join(single, f)));
  }, 180_000);
});

describe('a run under --memory-limit', () => {
  it.each([
    ['settlement problems', ['fixtures/settlement-problems'], '1K'],
    ['rejected lines', ['fixtures/garbage-lines'], '100'],
    ['sample fleet', ['fixtures/sample-fleet', '--tz', 'Asia/Shanghai'], '1M'],
  ])('%s: read in passes over disjoint terminals, it writes the outputs of one pass byte for byte', (name, inputs, limit) => {
    const dir = join(work, `limit-${name.replace(/\s/g, '-')}`);
    // No card key: one process keeps one, so cards group across passes as in one pass.
    const noKey = { TXLOG_CARD_KEY: undefined };
    const one = txlog(['analyze', ...(inputs as string[]), '--out', join(dir, 'one'), '-q'], noKey);
    expect(one.status, one.stderr).toBe(0);
    const passes = txlog(['analyze', ...(inputs as string[]), '--out', join(dir, 'passes'), '--memory-limit', limit as string], noKey);
    expect(passes.status, passes.stderr).toBe(0);
    expect(passes.stderr).toMatch(/read in \d+ passes/);
    for (const f of FILES) expect(readFileSync(join(dir, 'passes', f)), f).toEqual(readFileSync(join(dir, 'one', f)));
  }, 120_000);

  it('refuses a size it cannot read, with exit 2', () => {
    const r = txlog(['analyze', 'fixtures/network-outage', '--memory-limit', 'lots', '--out', join(work, 'x')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--memory-limit.*512M/);
  });
});
