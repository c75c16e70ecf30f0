import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergePartials, shardOf } from '../src/shard.js';
import { TxlogError } from '../src/errors.js';

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
    // Shard 1 of another run: other inputs, another card key, rules of other content.
    const otherInputs = join(dir, 'p1-inputs');
    expect(txlog(['analyze', 'fixtures/settlement-problems', '--shard', '1/2', '--partial', otherInputs, '-q']).status).toBe(0);
    const otherKey = join(dir, 'p1-key');
    expect(txlog(['analyze', 'fixtures/network-outage', '--shard', '1/2', '--partial', otherKey, '-q'], { TXLOG_CARD_KEY: 'another key' }).status).toBe(0);
    const rules = join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify({ errorCodes: { E_LINK: { cause: 'network', en: 'link lost' } } }));
    const r0 = make(0, 2, ['--rules', rules]);
    const r1 = make(1, 2, ['--rules', rules]);
    expect(txlog(['merge', r0, r1, '--out', join(dir, 'rules-out'), '-q']).status).toBe(0);
    writeFileSync(rules, JSON.stringify({ errorCodes: { E_LINK: { cause: 'terminal_hardware', en: 'link lost' } } }));
    const cases: [string[], RegExp][] = [
      [[a], /shard 1\/2 missing/],
      [[a, a], /both shard 0\/2/],
      [[a, c], /other options/],
      [[a, join(dir, 'nowhere')], /holds no partial\.json/],
      [[a, otherInputs], /read other inputs/],
      [[a, otherKey], /different TXLOG_CARD_KEY/],
      [[r0, r1], /rules file .* changed since/],
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

describe('a damaged partial', () => {
  const dir = join(work, 'damaged');
  const good = [0, 1].map((k) => {
    const p = join(dir, `p${k}`);
    expect(txlog(['analyze', 'fixtures/network-outage', '--shard', `${k}/2`, '--partial', p, '-q']).status).toBe(0);
    return p;
  });
  const DAMAGED = /^partial .+ is damaged \(.+\): run that shard again$/;
  // Every key of the state down to two levels (and of an account): each is needed, none may go missing unnoticed.
  const state = JSON.parse(readFileSync(join(good[1], 'partial.json'), 'utf8')) as Record<string, unknown>;
  const paths: string[][] = [];
  for (const [k, v] of Object.entries(state)) {
    paths.push([k]);
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const k2 of Object.keys(v)) paths.push([k, k2]);
  }
  for (const k of Object.keys((state.accounts as object[])[0])) paths.push(['accounts', '0', k]);
  let run = 0;
  const copy = () => {
    const to = join(dir, `m${run++}`);
    cpSync(good[1], to, { recursive: true });
    return to;
  };
  const damage = fc.oneof(
    fc.record({ remove: fc.constantFrom(...paths) }),
    fc.record({ set: fc.constantFrom(['accounts'], ['settlement'], ['aggregator', 'terminals'], ['hits']), to: fc.constantFrom<unknown>(5, null, 'x', [], {}) }),
    fc.record({ truncate: fc.constantFrom('partial.json', 'findings.ndjson'), at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
  );
  const apply = (d: fc.Value<typeof damage>): string => {
    const p = copy();
    if ('truncate' in d) {
      const file = join(p, d.truncate);
      const bytes = readFileSync(file);
      // Only the final newline gone loses nothing; any cut before it loses a finding or the state's end.
      const content = d.truncate === 'findings.ndjson' ? bytes.length - 1 : bytes.length;
      writeFileSync(file, bytes.subarray(0, Math.floor(d.at * content)));
      return p;
    }
    const body = JSON.parse(readFileSync(join(p, 'partial.json'), 'utf8'));
    const path = 'remove' in d ? d.remove : d.set;
    let at = body;
    for (const k of path.slice(0, -1)) at = at[k];
    if ('remove' in d) delete at[path.at(-1)!];
    // [] and {} are a shape some keys may take: only where they are not, is the state damaged.
    else if (Array.isArray(at[path.at(-1)!]) && Array.isArray(d.to) && path[0] !== 'accounts') return '';
    else at[path.at(-1)!] = d.to;
    writeFileSync(join(p, 'partial.json'), JSON.stringify(body));
    return p;
  };

  it('with a key removed, a key of the wrong shape or a file cut short, is refused: exit 2 saying which and how to fix, never a crash or a silent merge', async () => {
    await fc.assert(fc.asyncProperty(damage, async (d) => {
      const p = apply(d);
      if (!p) return;
      const e = await mergePartials([good[0], p]).then(() => undefined, (err: unknown) => err);
      expect(e, JSON.stringify(d)).toBeInstanceOf(TxlogError);
      expect((e as TxlogError).exitCode).toBe(2);
      expect((e as TxlogError).message).toMatch(DAMAGED);
    }), { numRuns: 200 });
  });

  it('holding a terminal another partial holds (a shard relabelled, or not one run\'s) is refused: exit 2 naming both, never a crash', () => {
    const relabelled = join(dir, 'relabelled');
    cpSync(good[0], relabelled, { recursive: true });
    const head = JSON.parse(readFileSync(join(relabelled, 'partial.json'), 'utf8'));
    head.shard = { ...head.shard, k: 1 };
    writeFileSync(join(relabelled, 'partial.json'), JSON.stringify(head));
    const r = txlog(['merge', good[0], relabelled, '--out', join(dir, 'never'), '-q']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/both hold terminal .+: they are not shards of one run/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('exits 2 with that one line from the command line (a truncated findings file, a state key removed)', () => {
    for (const d of [{ truncate: 'findings.ndjson' as const, at: 0.5 }, { remove: ['settlement'] }, { remove: ['accounts'] }]) {
      const r = txlog(['merge', good[0], apply(d), '--out', join(dir, 'out')]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/is damaged \(.+\): run that shard again/);
    }
    expect(txlog(['merge', ...good, '--out', join(dir, 'out'), '-q']).status).toBe(0);
  }, 60_000);
});
