import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';

// These run the built binary (npm test builds first), as a user would.
const BIN = resolve('dist/src/cli.js');
const AT = '2026-11-22T00:00:00.000Z';

function txlog(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'txlog-cli-'));
}

const PAN = '4111111111111111';
const TERMINAL = [
  { txnId: 'a1', terminalId: 'T1', merchantId: 'M1', timestamp: '2026-11-20T10:00:00+08:00', amount: '12.30', status: 'approved', rrn: '000000000001', cardRef: PAN },
  { txnId: 'a2', terminalId: 'T1', merchantId: 'M1', timestamp: '2026-11-20T10:05:00+08:00', amount: '8.00', status: 'declined', responseCode: '51', message: `card ${PAN} 余额不足` },
  { txnId: 'a3', terminalId: 'T2', merchantId: 'M1', timestamp: '2026-11-20T10:06:00+08:00', amount: '5.00', status: 'timeout', errorCode: 'COMM_TIMEOUT' },
  { kind: 'event', terminalId: 'T2', timestamp: '2026-11-20T10:01:00+08:00', event: 'NETWORK_DOWN' },
  { txnId: 'a4', terminalId: 'T2', merchantId: 'M1', timestamp: '2026-11-20T10:07:00+08:00', amount: '6.00', status: 'approved', rrn: '000000000004' },
];
const SETTLEMENT = 'txnId,rrn,terminalId,settlementDate,amount,currency,status,reasonCode,message\r\na1,000000000001,T1,2026-11-21,12.30,CNY,settled,,\r\n,999999999999,T9,2026-11-21,3.00,CNY,settled,,\r\n';

function writeFleet(dir: string, extraTerminalLines: string[] = []): string[] {
  const t = join(dir, 'terminal.ndjson');
  writeFileSync(t, [...TERMINAL.map((r) => JSON.stringify(r)), ...extraTerminalLines].join('\n') + '\n');
  const s = join(dir, 'settlement.csv');
  writeFileSync(s, SETTLEMENT);
  return [t, s];
}

describe('txlog analyze', () => {
  it('warns when --jobs asks for more threads than the machine has cores, and writes the same report', () => {
    const dir = tmp();
    const [t, s] = writeFleet(dir);
    const cores = availableParallelism();
    const many = txlog(['analyze', t, s, '--out', join(dir, 'many'), '--generated-at', AT, '--tz', 'UTC', '--jobs', String(cores + 1)]);
    expect(many.stderr).toContain(`--jobs ${cores + 1} is more than this machine's ${cores} cores`);
    const one = txlog(['analyze', t, s, '--out', join(dir, 'one'), '--generated-at', AT, '--tz', 'UTC', '--jobs', '1']);
    expect(one.stderr).not.toContain('more than this machine');
    expect(readFileSync(join(dir, 'many', 'report.json'), 'utf8')).toBe(readFileSync(join(dir, 'one', 'report.json'), 'utf8'));
  });

  it('reads pipes as it reads files: two process substitutions, and a named FIFO, each read once', () => {
    const dir = tmp();
    const [t, s] = writeFleet(dir);
    const file = txlog(['analyze', t, s, '--out', join(dir, 'file'), '--generated-at', AT, '--tz', 'UTC']);
    const run = (script: string) => spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    const subst = run(`node ${BIN} analyze <(cat ${t}) <(cat ${s}) --out ${join(dir, 'subst')} --generated-at ${AT} --tz UTC -q`);
    expect(subst.status, subst.stderr).toBe(0);
    const fifo = join(dir, 'log.fifo');
    const named = run(`mkfifo ${fifo} && (cat ${t} > ${fifo} &) && node ${BIN} analyze ${fifo} ${s} --out ${join(dir, 'fifo')} --generated-at ${AT} --tz UTC -q`);
    expect(named.status, named.stderr).toBe(0);
    expect(file.code).toBe(0);
    const totals = (d: string) => JSON.parse(readFileSync(join(dir, d, 'report.json'), 'utf8')).totals;
    expect(totals('subst')).toEqual(totals('file'));
    expect(totals('fifo')).toEqual(totals('file'));
  });

  it('writes every output file, classifies findings and prints the summary', () => {
    const dir = tmp();
    const out = join(dir, 'out');
    // --tz given: without it, the fleet's one offset would be the zone, with a note on stderr.
    const r = txlog(['analyze', ...writeFleet(dir), '--out', out, '--generated-at', AT, '--tz', 'UTC']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['findings.ndjson', 'rejects.ndjson', 'report.html', 'report.json', 'report.md', 'terminals.csv']);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.schemaVersion).toBe(2);
    expect(report.totals).toEqual({ read: 7, accepted: 7, rejected: 0, skipped: 0 });
    const findings = readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const byTxn = Object.fromEntries(findings.map((f) => [f.txnId ?? f.rrn, [f.outcome, f.cause]]));
    expect(byTxn).toMatchObject({
      a2: ['declined', 'cardholder_account'],
      a3: ['timeout', 'network'],
      a4: ['unsettled', 'reconciliation'],
      '999999999999': ['orphan_settlement', 'reconciliation'],
    });
    expect(r.stdout).toMatch(/read/i);
  });

  it('puts garbage in rejects.ndjson with the right line and still exits 0 with the accounting right', () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const noise = Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x41]).toString('latin1');
    const [t, s] = writeFleet(dir, [noise, '{"txnId":"half","terminalId":', '{"txnId":"neg","terminalId":"T1","timestamp":"2026-11-20T10:00:00Z","amount":"-1","status":"approved"}']);
    writeFileSync(s, SETTLEMENT + 'a9,1,T1,2026-11-21\r\n');
    const r = txlog(['analyze', t, s, '--out', out, '--generated-at', AT]);
    expect(r.code).toBe(0);
    const rejects = readFileSync(join(out, 'rejects.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects.map((x) => [x.file, x.line])).toEqual([
      [s, 4],
      [t, 6],
      [t, 7],
      [t, 8],
    ]);
    expect(rejects[0].reason).toMatch(/column/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    for (const input of report.inputs) expect(input.read).toBe(input.accepted + input.rejected);
    expect(report.totals).toMatchObject({ rejected: 4 });
  });

  it('never writes a full card number to any output', () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const [t, s] = writeFleet(dir, [`{"garbage": "${PAN}"`]);
    txlog(['analyze', t, s, '--out', out, '--generated-at', AT]);
    for (const f of readdirSync(out)) expect(readFileSync(join(out, f), 'utf8'), f).not.toContain(PAN);
  });

  it('gives byte-identical outputs for the same inputs', () => {
    const dir = tmp();
    const inputs = writeFleet(dir);
    txlog(['analyze', ...inputs, '--out', join(dir, 'a'), '--generated-at', AT]);
    txlog(['analyze', ...inputs, '--out', join(dir, 'b'), '--generated-at', AT]);
    for (const f of readdirSync(join(dir, 'a'))) {
      expect(readFileSync(join(dir, 'b', f)).equals(readFileSync(join(dir, 'a', f))), f).toBe(true);
    }
  });

  it('reads stdin and gzip', () => {
    const dir = tmp();
    const [t, s] = writeFleet(dir);
    const gz = join(dir, 'settlement.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(s)));
    const r = txlog(['analyze', '-', gz, '--out', join(dir, 'o'), '--generated-at', AT], readFileSync(t, 'utf8'));
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'o', 'report.json'), 'utf8'));
    expect(report.inputs.map((i: { path: string; kind: string; compressed: boolean }) => [i.path, i.kind, i.compressed])).toEqual([
      [gz, 'settlement', true],
      ['-', 'mixed', false],
    ]);
  });

  it('exits 1 when --fail-on-rate is crossed', () => {
    const dir = tmp();
    const r = txlog(['analyze', ...writeFleet(dir), '--out', join(dir, 'o'), '--fail-on-rate', '0.1', '-q']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failure rate 50.00% is above --fail-on-rate 10.00%/);
  });

  it.each([
    [['analyze', '/nope/terminal.ndjson'], /cannot read input \/nope\/terminal.ndjson: no such file/],
    [['analyze', 'X', '--tz', 'Mars/Base'], /unknown time zone "Mars\/Base"/i],
    [['analyze', '--bogus'], /unknown option '--bogus'/],
    [['analyze', 'X', '--profile', 'visa'], /unknown code profile "visa"/],
  ])('exits 2 with one clear line for %j', (args, message) => {
    const dir = tmp();
    const [t] = writeFleet(dir);
    const r = txlog(args.map((a) => (a === 'X' ? t : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on an invalid rules file, naming the bad entry', () => {
    const dir = tmp();
    const [t] = writeFleet(dir);
    const rules = join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify({ keywords: [{ pattern: 'x', cause: 'network' }, { pattern: 'y', cause: 'bad_cause' }] }));
    const r = txlog(['analyze', t, '--rules', rules, '--out', join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/keywords\[1\]\.cause/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('applies a user rules file without code changes', () => {
    const dir = tmp();
    const [t, s] = writeFleet(dir);
    const rules = join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify({ errorCodes: { COMM_TIMEOUT: { cause: 'issuer_platform', en: 'host too slow (our gateway)' } } }));
    const out = join(dir, 'o');
    expect(txlog(['analyze', t, s, '--rules', rules, '--out', out, '-q']).code).toBe(0);
    const findings = readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(findings.find((f) => f.txnId === 'a3').cause).toBe('issuer_platform');
  });

  // A summary that could not be written (a full disk) is a failed job, said on stderr; a reader that stopped
  // early (`| head`) is not.
  it.skipIf(!existsSync('/dev/full'))('exits 2 saying so when standard output cannot be written', () => {
    const dir = tmp();
    const out = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'analyze', ...writeFleet(dir), '--out', join(dir, 'o')], { encoding: 'utf8', stdio: ['ignore', out, 'pipe'] });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/could not write to standard output \(ENOSPC\)/);
      expect(r.stderr).not.toMatch(/    at /);
    } finally {
      closeSync(out);
    }
  });

  it('prints Chinese cause labels with --lang zh', () => {
    const dir = tmp();
    const r = txlog(['analyze', ...writeFleet(dir), '--out', join(dir, 'o'), '--lang', 'zh']);
    expect(r.stdout).toMatch(/持卡人账户问题/);
  });
});

describe('txlog', () => {
  it('reports the package version', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(VERSION).toBe(pkg.version);
    expect(txlog(['--version']).stdout.trim()).toBe(pkg.version);
  });
});
