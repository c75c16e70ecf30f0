// Numbers you can trust: exit codes a scheduler can rely on, money never summed across currencies, no
// silent distortion, and the same bytes whatever the host's zone or the input order. These run the built
// binary, as a nightly job would.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve('dist/src/cli.js');
const AT = '2026-11-22T00:00:00Z';

function txlog(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'txlog-integrity-'));
const ndjson = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const txn = (i: number, extra: object = {}) => ({
  txnId: `X${i}`, terminalId: `T${i % 4}`, merchantId: 'M1', timestamp: `2026-11-20T${String(8 + (i % 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00+08:00`,
  amount: '10.00', currency: 'CNY', status: i % 5 === 0 ? 'declined' : 'approved', responseCode: i % 5 === 0 ? '51' : '00', ...extra,
});
const report = (out: string) => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));

describe('exit codes a scheduler can rely on', () => {
  it('an input with no usable row exits 2 with one line: the file, the count and the most common reason', () => {
    const dir = tmp();
    const f = join(dir, 'export.ndjson');
    writeFileSync(f, ndjson(Array.from({ length: 80 }, (_, i) => ({ txnId: `x${i}`, terminalId: 'T1', timestamp: 'yesterday', amount: '1', status: 'approved' }))));
    for (const extra of [[], ['--fail-on-rate', '0.5']]) {
      const r = txlog(['analyze', f, '--out', join(dir, 'out'), ...extra]);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`input ${f}: none of its 80 rows could be used (80 rejected)`);
      expect(lines[0]).toMatch(/most common reason: timestamp: … is not an ISO 8601 timestamp/);
      expect(r.stdout).not.toMatch(/✓/);
    }
  });

  it('an empty input exits 2, it never reports a 0.0% failure rate', () => {
    const dir = tmp();
    const f = join(dir, 'empty.ndjson');
    writeFileSync(f, '');
    const r = txlog(['analyze', f, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/it holds no rows/);
  });

  it('--max-rejects and --max-reject-rate exit 1 once crossed, with the report written', () => {
    const dir = tmp();
    const f = join(dir, 'terminal.ndjson');
    writeFileSync(f, ndjson([...Array.from({ length: 20 }, (_, i) => txn(i)), { txnId: 'bad', terminalId: 'T1', timestamp: 'never', amount: '1', status: 'approved' }]));
    const out = join(dir, 'out');
    expect(txlog(['analyze', f, '--out', out, '--max-rejects', '1', '-q']).code).toBe(0);
    const r = txlog(['analyze', f, '--out', out, '--max-rejects', '0', '-q']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 rows were rejected, more than --max-rejects 0/);
    expect(report(out).totals.rejected).toBe(1);
    expect(txlog(['analyze', f, '--out', out, '--max-reject-rate', '0.01', '-q']).code).toBe(1);
    expect(txlog(['analyze', f, '--out', out, '--max-reject-rate', '0.1', '-q']).code).toBe(0);
  });

  it('a mapping dateFormat date-fns refuses (DD.MM.YYYY) exits 2 with the fix, not "internal error"', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ name: 'x', description: 'd', columns: { terminalId: 'a', timestamp: 'b', amount: 'c', status: 'd' }, dateFormat: 'DD.MM.YYYY' }));
    writeFileSync(join(dir, 'e.csv'), 'a,b,c,d\nT1,03.03.2025,1.00,approved\n');
    const r = txlog(['analyze', join(dir, 'e.csv'), '--mapping', join(dir, 'm.json'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dateFormat: "DD\.MM\.YYYY" is Moment-style; date-fns reads DD \(day of the year\).* write "dd\.MM\.yyyy" instead/);
    expect(r.stderr).not.toMatch(/internal error|bug in txlog|Use `dd`/);
  });
});

describe('money per currency', () => {
  it('100.00 USD and 10000 JPY failed are two amounts, never 200.00 of anything', () => {
    const dir = tmp();
    const f = join(dir, 'terminal.ndjson');
    writeFileSync(f, ndjson([
      { txnId: 'u', terminalId: 'T1', timestamp: '2026-11-20T10:00:00Z', amount: '100.00', currency: 'USD', status: 'declined', responseCode: '51' },
      { txnId: 'j', terminalId: 'T1', timestamp: '2026-11-20T10:01:00Z', amount: '10000', currency: 'JPY', status: 'declined', responseCode: '51' },
      { txnId: 'ok', terminalId: 'T1', timestamp: '2026-11-20T10:02:00Z', amount: '5.00', currency: 'USD', status: 'approved' },
    ]));
    const out = join(dir, 'out');
    expect(txlog(['analyze', f, '--out', out, '-q']).code).toBe(0);
    const r = report(out);
    expect(r.summary.failedAmount).toEqual([{ currency: 'JPY', amount: '10000' }, { currency: 'USD', amount: '100.00' }]);
    expect(r.terminals[0].failedAmount).toEqual(r.summary.failedAmount);
    const csv = readFileSync(join(out, 'terminals.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toContain('failedAmount JPY,failedAmount USD');
    for (const f of ['report.md', 'report.html', 'report.json', 'terminals.csv']) expect(readFileSync(join(out, f), 'utf8')).not.toMatch(/\b200\.00\b|10100/);
  });
});

describe('no silent distortion', () => {
  it('the same file given twice is read once, with a warning', () => {
    const dir = tmp();
    const f = join(dir, 'terminal.ndjson');
    writeFileSync(f, ndjson(Array.from({ length: 10 }, (_, i) => txn(i))));
    cpSync(f, join(dir, 'copy.ndjson'));
    const r = txlog(['analyze', f, join(dir, 'copy.ndjson'), f, '--out', join(dir, 'out'), '-q', '--tz', 'UTC']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/copy\.ndjson is the same file as .*terminal\.ndjson \(same content\); it was read once/);
    const rep = report(join(dir, 'out'));
    expect(rep.summary.attempts).toBe(10);
    // One warning for the file, however many times and names it was given.
    expect(rep.warnings).toHaveLength(1);
  });

  it('a file named twice with different kinds exits 2 naming both; named twice with one kind, one warning', () => {
    const dir = tmp();
    const f = join(dir, 't.ndjson');
    writeFileSync(f, ndjson(Array.from({ length: 10 }, (_, i) => txn(i))));
    cpSync(f, join(dir, 'copy.ndjson'));
    for (const [args, named] of [
      [[f, '--settlement', f], `${f} and --settlement ${f} name the same file`],
      [[f, '--events', f], `${f} and --events ${f} name the same file`],
      [['--terminal', f, '--settlement', join(dir, 'copy.ndjson')], `--terminal ${f} and --settlement ${join(dir, 'copy.ndjson')} are the same file (same content)`],
    ] as const) {
      const r = txlog(['analyze', ...args, '--out', join(dir, 'out'), '-q']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`txlog: error: ${named} with different kinds: give it once, with the kind it is (${f} to have it detected, or --terminal / --events / --settlement ${f} to force it)\n`);
    }
    const r = txlog(['analyze', '--terminal', f, '--terminal', f, '--out', join(dir, 'out'), '-q', '--tz', 'UTC']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`txlog: warning: ${f} is named 2 times; it was read once\n`);
    expect(report(join(dir, 'out')).warnings).toEqual([`${f} is named 2 times; it was read once`]);
  });

  it('ids Excel turned into floats are warned once per column and never joined or grouped', () => {
    const dir = tmp();
    const rows = Array.from({ length: 70 }, (_, i) => ({ ...txn(i), status: 'declined', responseCode: '05', rrn: '3.10001E+11', cardRef: '6.22202E+18', terminalId: `T${i % 7}` }));
    writeFileSync(join(dir, 'terminal.ndjson'), ndjson(rows));
    writeFileSync(join(dir, 'settlement.csv'), 'rrn,terminalId,settlementDate,amount,currency,status\n3.10001E+11,T1,2026-11-21,10.00,CNY,settled\n3.10001E+11,T2,2026-11-21,10.00,CNY,settled\n');
    const out = join(dir, 'out');
    const r = txlog(['analyze', dir, '--out', out, '-q']);
    expect(r.code).toBe(0);
    const rep = report(out);
    const excel = rep.warnings.filter((w: string) => /changed by Excel/.test(w));
    expect(excel.map((w: string) => w.replace(/^.*?: /, '').split(':')[0]).sort()).toEqual(['cardRef', 'rrn', 'rrn']);
    expect(rep.cards).toEqual([]);
    const findings = readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(findings.filter((f) => f.outcome === 'duplicate')).toEqual([]);
    // Kept as given for people to read.
    expect(findings.filter((f) => f.rrn === '3.10001E+11').length).toBeGreaterThan(60);
  });

  it('years before 1000 and amounts finer than the currency are refused, whatever the JSON type', () => {
    const dir = tmp();
    const f = join(dir, 'terminal.ndjson');
    writeFileSync(f, ndjson([
      txn(1), { ...txn(2), timestamp: '0099-11-20T10:00:00Z' }, { ...txn(3), timestamp: '0000-01-01 00:00:00' },
      { ...txn(4), amount: 1e-7 }, { ...txn(5), amount: 12.3400001 }, { ...txn(6), amount: '12.3400001' }, { ...txn(7), amount: 12.34 },
    ]));
    const out = join(dir, 'out');
    expect(txlog(['analyze', f, '--out', out, '-q']).code).toBe(0);
    const rejects = readFileSync(join(out, 'rejects.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
    expect(rejects[0].reason).toMatch(/year 0099, before 1000/);
    expect(rejects[2].reason).toMatch(/0\.0000001 has more decimals than CNY allows/);
    expect(rejects[3].reason).toMatch(/12\.3400001 has more decimals than CNY allows/);
  });

  it('a mapping date pattern is read in --tz, never in the host zone (02:30 on a New York DST night)', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ name: 'x', description: 'd', columns: { terminalId: 'a', timestamp: 'b', amount: 'c', status: 'd' }, dateFormat: 'dd.MM.yyyy HH:mm' }));
    writeFileSync(join(dir, 'e.csv'), 'a,b,c,d\nT1,09.03.2025 02:30,1.00,declined\nT1,09.03.2025 03:30,1.00,approved\n');
    const runs = ['UTC', 'America/New_York', 'Asia/Kolkata'].map((tz) => {
      const out = join(dir, `out-${tz.replace('/', '-')}`);
      expect(txlog(['analyze', join(dir, 'e.csv'), '--mapping', join(dir, 'm.json'), '--out', out, '--tz', 'Europe/Berlin', '--generated-at', AT, '-q'], { TZ: tz }).code).toBe(0);
      return readFileSync(join(out, 'findings.ndjson'), 'utf8');
    });
    expect(runs[0]).toContain('"timestamp":"2025-03-09T02:30:00+01:00"');
    expect(new Set(runs).size).toBe(1);
  });

  it('an output directory is never read as input', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'terminal.ndjson'), ndjson(Array.from({ length: 10 }, (_, i) => txn(i))));
    const r = txlog(['analyze', dir, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is the output directory \(--out .*\); txlog never reads its own output as input/);
    // A report written inside the input directory is skipped when the directory is read again.
    const out = join(dir, 'report');
    expect(txlog(['analyze', dir, '--out', out, '-q']).code).toBe(0);
    cpSync(join(out, 'report.json'), join(dir, 'report.json'));
    cpSync(join(out, 'findings.ndjson'), join(dir, 'findings.ndjson'));
    expect(txlog(['analyze', dir, '--out', join(dir, 'again'), '-q']).code).toBe(0);
    expect(report(join(dir, 'again')).inputs.map((i: { path: string }) => i.path)).toEqual([join(dir, 'terminal.ndjson')]);
    // Copied among the logs without its report.json, under any name, txlog's own output is still no data.
    const logs = tmp();
    cpSync(join(dir, 'terminal.ndjson'), join(logs, 'terminal.ndjson'));
    cpSync(join(out, 'findings.ndjson'), join(logs, 'yesterday-findings.ndjson'));
    cpSync(join(out, 'rejects.ndjson'), join(logs, 'rejects.ndjson'));
    cpSync(join(out, 'report.json'), join(logs, 'old.json'));
    expect(txlog(['analyze', logs, '--out', join(logs, 'r'), '-q']).code).toBe(0);
    expect(report(join(logs, 'r')).inputs.map((i: { path: string }) => i.path)).toEqual([join(logs, 'terminal.ndjson')]);
    const named = txlog(['analyze', join(logs, 'yesterday-findings.ndjson'), '--out', join(logs, 'r2')]);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/is txlog's own findings file/);
  });
});

describe('the same bytes whatever the host zone and the input order', () => {
  it('TZ=UTC, TZ=America/New_York, files in another order and records shuffled give identical outputs', () => {
    const base = tmp();
    const fleet = join(base, 'fleet');
    expect(txlog(['generate', '--out', fleet, '--terminals', '30', '--days', '2', '--seed', '4', '-q']).code).toBe(0);
    const names = ['terminal.ndjson', 'events.ndjson', 'settlement.csv'];
    const shuffled = join(base, 'shuffled');
    mkdirSync(shuffled);
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (const n of names) {
      const lines = readFileSync(join(fleet, n), 'utf8').split('\n').filter(Boolean);
      const head = n.endsWith('.csv') ? [lines.shift()!] : [];
      for (let i = lines.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [lines[i], lines[j]] = [lines[j], lines[i]];
      }
      writeFileSync(join(shuffled, n), [...head, ...lines].join('\n') + '\n');
    }
    const run = (cwd: string, order: string[], tz: string) => {
      const out = join(cwd, `out-${tz.replace('/', '-')}-${order[0]}`);
      const r = txlog(['analyze', ...order, '--out', out, '--tz', 'Asia/Shanghai', '--generated-at', AT, '-q'], { TZ: tz }, cwd);
      expect(r.code, r.stderr).toBe(0);
      return out;
    };
    const a = run(fleet, names, 'UTC');
    const b = run(fleet, [...names].reverse(), 'America/New_York');
    const c = run(shuffled, [names[2], names[0], names[1]], 'Asia/Tokyo');
    for (const f of ['report.json', 'report.md', 'report.html', 'terminals.csv', 'findings.ndjson', 'rejects.ndjson']) {
      expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
    }
    for (const f of ['report.json', 'report.md', 'report.html', 'terminals.csv']) {
      expect(readFileSync(join(c, f), 'utf8'), `shuffled ${f}`).toBe(readFileSync(join(a, f), 'utf8'));
    }
    // Shuffled records keep their causes; only their line numbers (provenance) moved.
    const strip = (out: string) => readFileSync(join(out, 'findings.ndjson'), 'utf8').replace(/,"src":\{[^}]*\}/g, '');
    expect(strip(c)).toBe(strip(a));
  }, 60_000);
});
