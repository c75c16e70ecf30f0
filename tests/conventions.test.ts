// CLI conventions (issue 10, item 5): colour, -q everywhere, usage errors, enumerated options, validate's
// directory search, check --update/--prune, JUnit timestamps. In process through main(argv, io).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProgram, main } from '../src/cli.js';
import { decideColor, defaultGeneratedAt, ENCODINGS, generatedAt, number } from '../src/commands/shared.js';
import { dataCurrency, ISO_4217 } from '../src/currency.js';

const ESC = '\u001b[';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], { tty = false, env = {} as Record<string, string | undefined> } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), color: tty, env });
  return { code, stdout, stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'txlog-conv-'));
}

/** A small fleet with failures, so the summary has something to colour. */
function fleet(dir: string, id = 'a'): string {
  const rows = [
    { txnId: `${id}1`, terminalId: 'T1', timestamp: '2026-11-20T10:00:00+08:00', amount: '12.30', status: 'approved' },
    { txnId: `${id}2`, terminalId: 'T1', timestamp: '2026-11-20T10:05:00+08:00', amount: '8.00', status: 'declined', responseCode: '51' },
    { txnId: `${id}3`, terminalId: 'T2', timestamp: '2026-11-20T10:06:00+08:00', amount: '5.00', status: 'timeout', errorCode: 'COMM_TIMEOUT' },
  ];
  const path = join(dir, 'terminal.ndjson');
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

async function analyzeRun(flags: string[], opts: { tty?: boolean; env?: Record<string, string | undefined> }): Promise<Run> {
  const dir = tmp();
  return run(['analyze', fleet(dir), '--out', join(dir, 'out'), '--generated-at', '2026-11-22T00:00:00Z', ...flags], opts);
}

function copyCase(name: string): { root: string; dir: string } {
  const root = tmp();
  cpSync(join('fixtures', name), join(root, name), { recursive: true });
  return { root, dir: join(root, name) };
}

describe('colour', () => {
  it.each([
    // flag, env, tty, expected
    [undefined, {}, true, true],
    [undefined, {}, false, false],
    [true, {}, false, true],
    [false, {}, true, false],
    [false, { FORCE_COLOR: '1' }, true, false],
    [true, { NO_COLOR: '1' }, false, true],
    [undefined, { NO_COLOR: '1' }, true, false],
    [undefined, { NO_COLOR: 'anything' }, true, false],
    [undefined, { NO_COLOR: '' }, true, true],
    [undefined, { FORCE_COLOR: '1' }, false, true],
    [undefined, { FORCE_COLOR: '' }, false, true],
    [undefined, { FORCE_COLOR: 'true' }, false, true],
    [undefined, { FORCE_COLOR: '0' }, true, false],
    [undefined, { FORCE_COLOR: 'false' }, true, false],
    [undefined, { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  ] as const)('flag %s, env %j, tty %s -> %s', (flag, env, tty, expected) => {
    expect(decideColor(flag, env, tty)).toBe(expected);
  });

  it('reaches the output: --color, --no-color, NO_COLOR, FORCE_COLOR and the terminal, in that order', async () => {
    expect((await analyzeRun([], { tty: false })).stdout).not.toContain(ESC);
    expect((await analyzeRun([], { tty: true })).stdout).toContain(ESC);
    expect((await analyzeRun(['--color'], { tty: false })).stdout).toContain(ESC);
    expect((await analyzeRun(['--no-color'], { tty: true, env: { FORCE_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await analyzeRun([], { tty: false, env: { FORCE_COLOR: '1' } })).stdout).toContain(ESC);
    expect((await analyzeRun([], { tty: true, env: { FORCE_COLOR: '0' } })).stdout).not.toContain(ESC);
    expect((await analyzeRun([], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(ESC);
  });

  it('is a global option, before or after the command', async () => {
    const dir = tmp();
    const r = await run(['--color', 'analyze', fleet(dir), '--out', join(dir, 'o'), '--generated-at', '2026-11-22T00:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(ESC);
  });

  it('colours check\'s human report too, and never JUnit', async () => {
    const { root } = copyCase('user-rules');
    expect((await run(['check', root, '--color'])).stdout).toContain(ESC);
    expect((await run(['check', root, '--reporter', 'junit', '--color'])).stdout).not.toContain(ESC);
  });
});

describe('-q, --quiet', () => {
  it('is an option of every command', () => {
    const program = buildProgram({ stdout: () => {}, stderr: () => {}, color: false });
    for (const command of program.commands) {
      const q = command.options.find((o) => o.short === '-q');
      expect(q?.long, command.name()).toBe('--quiet');
    }
  });

  it('check -q prints nothing on success and keeps exit 1 and stderr on failure', async () => {
    const { root, dir } = copyCase('user-rules');
    const ok = await run(['check', root, '-q']);
    expect(ok).toEqual({ code: 0, stdout: '', stderr: '' });
    const path = join(dir, 'expected.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"UR-1": { "cause": "limits" }', '"UR-1": { "cause": "network" }'));
    const failed = await run(['check', root, '--quiet']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
  });

  it('validate -q prints nothing but the threshold message, with the same exit codes', async () => {
    const bad = await run(['validate', 'fixtures/garbage-lines', '-q']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/rejected rows, more than --max-rejects 0/);
    expect(await run(['validate', 'fixtures/network-outage', '-q'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('analyze and generate -q print nothing', async () => {
    expect((await analyzeRun(['-q'], {})).stdout).toBe('');
    const dir = tmp();
    const g = await run(['generate', '--out', join(dir, 'g'), '--terminals', '2', '--days', '1', '--transactions', '20', '-q']);
    expect(g).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('errors still reach stderr with exit 2', async () => {
    const r = await run(['analyze', '/nope/terminal.ndjson', '-q']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot read input/);
  });
});

describe('usage errors', () => {
  it('txlog with no arguments prints the help on stderr and exits 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: txlog/);
    expect(r.stderr).toMatch(/analyze/);
  });

  it('--help and help still exit 0 with the help on stdout', async () => {
    for (const argv of [['--help'], ['help'], ['analyze', '--help']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: txlog/);
    }
  });

  it.each([['frobnicate'], ['analize']])('an unknown command (%s) is one line on stderr and exit 2', async (name) => {
    const r = await run([name]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^txlog: error: unknown command '${name}'`));
  });

  it('an unknown option is one line too', async () => {
    const r = await run(['analyze', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('enumerated options', () => {
  it.each([
    [['analyze', 'X', '--encoding', 'latin2'], /--encoding.*'latin2' is invalid\. Allowed: .*utf-8.*gb18030.*utf-16le.*latin1/],
    [['validate', 'X', '--encoding', 'cp1252'], /--encoding.*'cp1252' is invalid\. Allowed:/],
    [['analyze', 'X', '--tz', 'Mars/Base'], /--tz <zone>.*Unknown time zone "Mars\/Base"/],
    [['validate', 'X', '--tz', 'Asia/Shangai'], /--tz <zone>.*Unknown time zone "Asia\/Shangai"/],
    [['generate', '--tz', 'Nowhere'], /--tz <zone>.*Unknown time zone/],
    [['analyze', 'X', '--currency', 'EURO'], /--currency <code>.*ISO 4217/],
    [['analyze', 'X', '--currency', '¥'], /--currency <code>.*ISO 4217/],
    [['analyze', 'X', '--currency', 'XYZ'], /--currency <code>.*"XYZ" is not an ISO 4217 currency code: give one such as CNY/],
    [['analyze', 'X', '--currency', 'RMB'], /--currency <code>.*Use CNY \(RMB is the name, CNY the ISO code\)/],
    [['analyze', 'X', '--generated-at', 'yesterday'], /--generated-at <iso>.*'yesterday' is invalid\. Give an ISO 8601 date and time with its zone, such as 2024-05-04T02:00:00Z/],
    [['analyze', 'X', '--generated-at', '2026-13-45T99:00:00Z'], /--generated-at <iso>.*'2026-13-45T99:00:00Z' is invalid/],
    [['analyze', 'X', '--generated-at', '0'], /--generated-at <iso>.*'0' is invalid/],
    [['analyze', 'X', '--generated-at', '2026-05-04T10:00:00'], /--generated-at <iso>.*is invalid\. Give an ISO 8601 date and time with its zone/],
    [['merge', 'X', '--generated-at', 'now'], /--generated-at <iso>.*'now' is invalid/],
    [['analyze', 'X', '--lang', 'fr'], /--lang.*'fr' is invalid\. Allowed choices are en, zh/],
    [['check', '--reporter', 'xml'], /--reporter.*'xml' is invalid\. Allowed choices are human, junit, github/],
    [['analyze', 'X', '--profile', 'visa'], /unknown code profile "visa" \(--profile\): known profiles are iso, jpos, unionpay/],
    [['analyze', 'X', '--delimiter', ';;'], /--delimiter.*one character/],
  ])('%j exits 2 naming the option and the valid values', async (argv, message) => {
    const dir = tmp();
    const file = fleet(dir);
    const r = await run(argv.map((a) => (a === 'X' ? file : a)).concat(argv[0] === 'analyze' ? ['--out', join(dir, 'o')] : []));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('accepts every encoding the reader decodes, and the usual aliases', async () => {
    for (const enc of [...ENCODINGS, 'GBK', 'utf8', 'ISO-8859-1']) {
      const r = await analyzeRun(['--encoding', enc, '-q'], {});
      expect(r.stderr, enc).not.toMatch(/--encoding/);
    }
  });

  it('upper-cases a currency code', async () => {
    const dir = tmp();
    const out = join(dir, 'o');
    expect((await run(['analyze', fleet(dir), '--out', out, '--currency', 'usd', '-q'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).options.currency).toBe('USD');
  });
});

describe('validate DIR', () => {
  it('searches subdirectories as check does, choosing files as analyze DIR does', async () => {
    const root = tmp();
    mkdirSync(join(root, 'a', 'deep'), { recursive: true });
    mkdirSync(join(root, '.hidden'));
    mkdirSync(join(root, 'empty'));
    fleet(join(root, 'a'));
    fleet(join(root, 'a', 'deep'), 'b');
    fleet(join(root, '.hidden'), 'c');
    // Never data: expectations, generator truth, rules and mappings.
    for (const f of ['expected.json', 'truth.json', 'truth.ndjson', 'bank.rules.json']) writeFileSync(join(root, 'a', f), '{ not data');
    const r = await run(['validate', root]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 files: 6 rows read, 6 accepted, 0 rejected/m);
  });

  it('reads every case below fixtures/, like check fixtures/', async () => {
    const r = await run(['validate', 'fixtures', '--max-rejects', '1000000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fixtures\/garbage-lines\/terminal.ndjson:3: invalid JSON/);
    const one = await run(['validate', 'fixtures/user-rules']);
    expect(one.stdout).toMatch(/^1 file: /m);
  });

  it('a directory with no data file anywhere below is exit 2 with one line', async () => {
    const root = tmp();
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub', 'expected.json'), '{}');
    const r = await run(['validate', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds no data files in it or below it/);
  });
});

describe('check --update and --prune', () => {
  function staleCase() {
    const { root, dir } = copyCase('user-rules');
    const path = join(dir, 'expected.json');
    const expected = JSON.parse(readFileSync(path, 'utf8'));
    expected.transactions['UR-1'].cause = 'network'; // wrong, rewritable
    expected.transactions['GONE-1'] = { cause: 'network' }; // no such transaction any more
    expected.terminals = { T404: { failures: 3 } }; // no such terminal
    writeFileSync(path, JSON.stringify(expected, null, 2));
    return { root, path };
  }

  it('--update rewrites what it can, keeps what no longer matches and names each on one line', async () => {
    const { root, path } = staleCase();
    const r = await run(['check', root, '--update']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^txlog: warning: .*expected\.json: kept transactions\.GONE-1\.cause, which no longer matches \(expected network, found no finding\); remove it with --update --prune$/);
    expect(lines[1]).toMatch(/kept terminals\.T404, which no longer matches/);
    const after = JSON.parse(readFileSync(path, 'utf8'));
    expect(after.transactions['UR-1']).toEqual({ cause: 'limits' });
    expect(after.transactions['GONE-1']).toEqual({ cause: 'network' });
    expect(after.terminals).toEqual({ T404: { failures: 3 } });
  });

  it('--update --prune removes them, says so, and the case passes', async () => {
    const { root, path } = staleCase();
    const r = await run(['check', root, '--update', '--prune']);
    expect(r.code).toBe(0);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/expected\.json: removed transactions\.GONE-1\.cause, which no longer matched \(expected network, found no finding\)$/),
      expect.stringMatching(/expected\.json: removed terminals\.T404, which no longer matched/),
    ]);
    const after = JSON.parse(readFileSync(path, 'utf8'));
    expect(after.transactions['GONE-1']).toBeUndefined();
    expect(after.terminals).toBeUndefined();
    expect(after.transactions['UR-1']).toEqual({ cause: 'limits' });
    expect(after.description).toMatch(/rules file/);
    expect(after.bounds).toEqual({ rejects: 0, unknown: 0 });
    expect((await run(['check', root])).code).toBe(0);
  });

  it('--prune without --update is a usage error', async () => {
    const { root } = copyCase('user-rules');
    const r = await run(['check', root, '--prune']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--prune only applies with --update/);
  });
});

describe('JUnit timestamp', () => {
  it('is the run\'s start time, pinned by SOURCE_DATE_EPOCH', async () => {
    const { root } = copyCase('user-rules');
    const r = await run(['check', root, '--reporter', 'junit'], { env: { SOURCE_DATE_EPOCH: '1764547200' } });
    expect(r.stdout).toMatch(/<testsuite [^>]*timestamp="2025-12-01T00:00:00"/);
  });

  it('is now otherwise, never 1970', async () => {
    const { root } = copyCase('user-rules');
    const junit = join(root, 'junit.xml');
    const before = Date.now();
    await run(['check', root, '--junit', junit, '-q']);
    const stamp = /timestamp="([^"]+)"/.exec(readFileSync(junit, 'utf8'))![1];
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const at = Date.parse(stamp + 'Z');
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
  });
});

describe('generation time', () => {
  it('--generated-at takes every ISO 8601 instant with a zone and keeps it as written', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), fc.constantFrom('Z', '+08:00', '-0530', '+00:00'), (d, zone) => {
        const text = d.toISOString().replace(/Z$/, zone);
        expect(generatedAt(text)).toBe(text);
      }),
    );
  });

  it('a numeric option takes plain decimals only: an empty value, hex or a word is refused, never read as 0 or 16', () => {
    const grace = number('--settlement-grace', 0, 366, true);
    for (const bad of ['', ' ', '0x10', '1e', 'two', '1.5', '-1', 'Infinity']) expect(() => grace(bad), JSON.stringify(bad)).toThrow(/must be a whole number/);
    expect(grace(' 2 ')).toBe(2);
    expect(number('--fail-on-rate', 0, 1)('.25')).toBe(0.25);
    expect(number('--fail-on-rate', 0, 1)('1e-2')).toBe(0.01);
  });

  it('--generated-at refuses a field out of range, a missing zone, or no date at all', () => {
    // Years before 1000 are placeholders, as in data (time.ts validYmd).
    for (const bad of ['0999-12-31T00:00:00Z', '2026-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2026-00-10T00:00:00Z', '2026-04-31T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:60:00Z', '2026-01-01T00:00:00+25:00', '2026-01-01', '2026-01-01T00:00:00', '1767225600', '']) {
      expect(() => generatedAt(bad), bad).toThrow(/ISO 8601 date and time with its zone/);
    }
    expect(generatedAt('2024-02-29T12:00:00.5+08:00')).toBe('2024-02-29T12:00:00.5+08:00');
    expect(generatedAt('2000-02-29T00:00:00Z')).toBe('2000-02-29T00:00:00Z');
  });

  it('SOURCE_DATE_EPOCH: whole seconds within Date\'s range pin the time; anything else exits 2 saying what it expects', async () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8.64e12 }), (n) => {
        expect(defaultGeneratedAt({ SOURCE_DATE_EPOCH: String(n) })).toBe(new Date(n * 1000).toISOString());
      }),
    );
    expect(defaultGeneratedAt({ SOURCE_DATE_EPOCH: '' })).toMatch(/^\d{4}-/);
    for (const bad of ['99999999999999', 'abc', '-1', '1.5', '8640000000001']) {
      const dir = tmp();
      const r = await run(['analyze', fleet(dir), '--out', join(dir, 'o'), '-q'], { env: { SOURCE_DATE_EPOCH: bad } });
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toBe(`txlog: error: SOURCE_DATE_EPOCH is "${bad}": expected a whole number of seconds since 1970-01-01 UTC, from 0 to 8640000000000 (e.g. SOURCE_DATE_EPOCH=1714788000 for 2024-05-04T02:00:00Z); fix or unset it\n`);
    }
  });
});

describe('currency codes', () => {
  it('are the ISO 4217 codes in use, independent of the ICU Node was built with', () => {
    for (const code of ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP', 'KRW', 'SGD', 'MOP', 'TWD']) expect(ISO_4217.has(code), code).toBe(true);
    for (const code of ['RMB', 'XYZ', 'XXX', 'XTS', 'XAU', 'CNH']) expect(ISO_4217.has(code), code).toBe(false);
    for (const code of ISO_4217) expect(code).toMatch(/^[A-Z]{3}$/);
  });

  it('in data: RMB is read as CNY, other non-ISO codes say why', () => {
    expect(dataCurrency(' rmb ')).toEqual({ code: 'CNY' });
    expect(dataCurrency('usd')).toEqual({ code: 'USD' });
    expect(dataCurrency('XYZ')).toEqual({ problem: 'currency: "XYZ" is not an ISO 4217 currency code: give one such as CNY, USD or EUR' });
    expect(dataCurrency('元')).toEqual({ problem: 'currency: "元" is not an ISO 4217 currency code (three letters such as CNY, USD or EUR)' });
  });

  it('--currency takes every code of the table in any case', async () => {
    const dir = tmp();
    const file = fleet(dir);
    for (const code of ['cny', 'Usd', 'JPY']) expect((await run(['analyze', file, '--out', join(dir, 'o'), '--currency', code, '-q'])).code, code).toBe(0);
  });
});

describe('a clean clone stays clean', () => {
  it('ignores what npm start leaves: the report link and the runs it points into', async () => {
    const { spawnSync } = await import('node:child_process');
    const start = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start as string;
    expect(start).toMatch(/--out report\b/);
    // Not "report/report.json": once npm start has run, report is a link, and git refuses a path beyond one.
    for (const path of ['report', '.report.txlog/run-1-abc/report.json']) {
      expect(spawnSync('git', ['check-ignore', '-q', '--no-index', path]).status, path).toBe(0);
    }
    expect(spawnSync('git', ['check-ignore', '-q', '--no-index', 'src/output/report.ts']).status).toBe(1);
  });
});
