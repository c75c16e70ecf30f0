import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';

const BIN = resolve('dist/src/cli.js');

function txlog(args: string[], cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The Apache Ant JUnit schema (Windy Road, Apache-2.0), the one GitLab, Jenkins and Azure read. It reaches
 * us inside the junit-xml dev dependency's published test file; we validate against it, we do not ship it.
 */
function antJunitSchema(): string {
  const source = readFileSync('node_modules/junit-xml/src/index.test.ts', 'utf8');
  const m = /const antJunitSchema = '([\s\S]*?<\/xs:schema>)';/.exec(source);
  if (!m) throw new Error('junit-xml no longer carries the Ant JUnit schema; pin a version that does');
  return m[1].replace(/\\'/g, "'");
}

async function expectValidJunit(xml: string) {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'JUnit.xsd', contents: antJunitSchema() }] });
  expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
  expect(result.valid).toBe(true);
}

function copyFixtures(): string {
  const dir = mkdtempSync(join(tmpdir(), 'txlog-check-'));
  cpSync('fixtures', join(dir, 'fixtures'), { recursive: true });
  return dir;
}

describe('txlog check', () => {
  it('passes on the project\'s own fixtures (the tool eats its own food)', () => {
    const r = txlog(['check', 'fixtures']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/cases: \d+ passed, 0 failed, 0 could not run/);
    expect(r.code).toBe(0);
  });

  it('exits 1 when one expected cause changes, with a JUnit file naming case, transaction, expected and actual cause', async () => {
    const dir = copyFixtures();
    const path = join(dir, 'fixtures/network-outage/expected.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"NO-007": { "cause": "cardholder_account"', '"NO-007": { "cause": "issuer_platform"'));
    const junit = join(dir, 'junit.xml');
    const r = txlog(['check', 'fixtures', '--junit', junit], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL fixtures\/network-outage/);
    expect(r.stdout).toMatch(/transactions\.NO-007\.cause: expected issuer_platform, found cardholder_account/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuite name="fixtures\/network-outage"[^>]*failures="1"/);
    expect(xml).toMatch(/<testcase classname="fixtures\/network-outage" name="transactions.NO-007.cause" time="0">\s*<failure message="transactions.NO-007.cause: expected issuer_platform, found cardholder_account"/);
    expect(xml).toMatch(/rule reason -&gt; cardholder_account/);
    await expectValidJunit(xml);
  });

  it('writes JUnit that validates against the Ant JUnit schema, passing, failing and erroring cases alike', async () => {
    const dir = copyFixtures();
    writeFileSync(join(dir, 'fixtures/user-rules/expected.json'), '{"transactions": {"UR-1": {"cause": "limits"}}, "bounds": {"rejects": "<= -1"}}');
    writeFileSync(join(dir, 'fixtures/garbage-lines/expected.json'), '{ "bounds": { "rejects": 0 }, }');
    const r = txlog(['check', 'fixtures', '--reporter', 'junit'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/<error message="[^"]*garbage-lines\/expected.json: not valid JSON/);
    await expectValidJunit(r.stdout);
  });

  it.each([
    ['{"transactions": {"X-1": {"cause": "weather"}}}', /expected\.json: at \$\.transactions\["X-1"\]\.cause: /],
    ['{"bounds": {"rejects": "about zero"}}', /at \$\.bounds\.rejects: .*<= 0\.05/],
    ['{"terminals": {"T1": {"rootcauses": []}}}', /at \$\.terminals\.T1: unknown key "rootcauses"/],
    ['[1, 2', /not valid JSON/],
  ])('exits 2 on a malformed expected.json, naming the file and the JSON path (%s)', (text, message) => {
    const dir = copyFixtures();
    writeFileSync(join(dir, 'fixtures/unionpay-profile/expected.json'), text);
    const r = txlog(['check', 'fixtures/unionpay-profile'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/ERROR fixtures\/unionpay-profile: fixtures\/unionpay-profile\/expected\.json/);
    expect(r.stdout).toMatch(message);
  });

  it('prints GitHub annotations pointing at the expectation\'s line, and a step summary', () => {
    const dir = copyFixtures();
    const path = join(dir, 'fixtures/unionpay-profile/expected.json');
    const text = readFileSync(path, 'utf8').replace('"UP-02": { "cause": "issuer_platform" }', '"UP-02": { "cause": "network" }');
    writeFileSync(path, text);
    const summary = join(dir, 'summary.md');
    const r = spawnSync(process.execPath, [BIN, 'check', 'fixtures/unionpay-profile', '--reporter', 'github'], { encoding: 'utf8', cwd: dir, env: { ...process.env, GITHUB_STEP_SUMMARY: summary } });
    expect(r.status).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('"UP-02"')) + 1;
    expect(r.stdout).toContain(`::error file=fixtures/unionpay-profile/expected.json,line=${line},title=txlog check%3A fixtures/unionpay-profile::transactions.UP-02.cause: expected network, found issuer_platform%0A`);
    expect(readFileSync(summary, 'utf8')).toMatch(/\| fixtures\/unionpay-profile \| \*\*fail\*\* \|/);
  });

  it('--update rewrites expectations from the output for the selected case and keeps hand-written bounds', () => {
    const dir = copyFixtures();
    const path = join(dir, 'fixtures/network-outage/expected.json');
    writeFileSync(path, JSON.stringify({ transactions: { 'NO-007': { cause: 'network' } }, terminals: { T3: { failures: 2, failureRate: '<= 0.9' } }, bounds: { rejects: '<= 0' } }));
    const r = txlog(['check', 'fixtures', '--update', '--case', 'network-outage'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      transactions: { 'NO-007': { cause: 'cardholder_account' } },
      terminals: { T3: { failures: 5, failureRate: '<= 0.9' } },
      bounds: { rejects: '<= 0' },
    });
    expect(txlog(['check', 'fixtures/network-outage'], dir).code).toBe(0);
  });
});

describe('txlog validate', () => {
  it('lists every reject with file:line and exits 1 when any row is rejected', () => {
    const r = txlog(['validate', 'fixtures/garbage-lines']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/fixtures\/garbage-lines\/terminal.ndjson:3: invalid JSON/);
    expect(r.stdout).toMatch(/15 rows read, 4 accepted, 11 rejected/);
  });
  it('passes with --max-rejects at or above the count, and on clean fixtures', () => {
    expect(txlog(['validate', 'fixtures/garbage-lines', '--max-rejects', '11']).code).toBe(0);
    expect(txlog(['validate', 'fixtures/network-outage']).code).toBe(0);
  });
});

describe('expected.json comparisons', () => {
  it('reads numbers, bounds and inclusive ranges', async () => {
    const { compare } = await import('../src/check/evaluate.js');
    const { Comparison } = await import('../src/check/expected.js');
    expect([compare(3, 3), compare(3, '<= 3'), compare(3, '> 3'), compare(3, '!= 2')]).toEqual([true, true, false, true]);
    expect([compare(78, '78..82'), compare(82, '78 .. 82'), compare(77, '78..82'), compare(83, '78..82'), compare(-1, '-2..0')]).toEqual([true, true, false, false, true]);
    expect(Comparison.safeParse('78..').success).toBe(false);
    expect(Comparison.safeParse('about 80').success).toBe(false);
  });
});
