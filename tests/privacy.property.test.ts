// Card numbers anywhere in any input never reach any output, and identifiers come out exactly as they
// went in. Both are properties over generated inputs in every format txlog reads.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { luhnValid, panToken } from '../src/pan.js';

const root = mkdtempSync(join(tmpdir(), 'txlog-privacy-'));
let runs = 0;

async function analyzeDir(dir: string, extra: string[] = []): Promise<{ code: number; text: string; out: string }> {
  const out = join(dir, 'out');
  let text = '';
  const io = { stdout: (s: string) => void (text += s), stderr: (s: string) => void (text += s), color: false };
  const code = await main(['analyze', dir, '--out', out, '--generated-at', '2026-11-22T00:00:00Z', '--tz', 'Asia/Shanghai', ...extra], io);
  return { code, text: text + everyFile(out), out };
}

/** Every byte txlog wrote, following the --out link. */
function everyFile(dir: string): string {
  let text = '';
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return '';
  }
  for (const n of names) {
    const p = join(dir, n);
    text += statSync(p).isDirectory() ? everyFile(p) : readFileSync(p, 'utf8');
  }
  return text;
}

// ---------------------------------------------------------------- card numbers

/** Scheme prefixes and lengths as issued: Visa, Mastercard (both ranges), Amex, UnionPay, JCB, Discover, Diners. */
const SCHEMES: [string, number][] = [['4', 16], ['4', 13], ['4', 19], ['51', 16], ['55', 16], ['2221', 16], ['2720', 16], ['34', 15], ['37', 15], ['62', 16], ['62', 19], ['3528', 16], ['6011', 16], ['36', 14]];

function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

const luhnPan = fc
  .tuple(fc.constantFrom(...SCHEMES), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 18, maxLength: 18 }))
  .map(([[prefix, len], digits]) => withCheckDigit(prefix + digits.join('').slice(0, len - prefix.length - 1)));

/** How people write a number: contiguous, in fours by one separator, or Amex 4-6-5. */
// Separators as copies from PDFs, web pages and Chinese documents carry them: spaces of every width, tabs,
// underscores, dashes of every kind, and zero-width characters that split a number invisibly.
const SEPARATORS = ['plain', ' ', '-', '.', '  ', '\u00a0', '\u202f', '\u2009', '\u3000', '\t', '_', '\u2013', '\u2212', '\uff0d', '\u200b'];
const written = fc.tuple(luhnPan, fc.constantFrom(...SEPARATORS)).map(([pan, sep]) => {
  if (sep === 'plain') return { digits: pan, text: pan };
  const groups = pan.length === 15 ? [pan.slice(0, 4), pan.slice(4, 10), pan.slice(10)] : pan.match(/.{1,4}/g)!;
  return { digits: pan, text: groups.join(sep) };
});

/** A number right after a card word needs no check digit (some UnionPay cards have none). */
const afterCardWord = fc
  .tuple(fc.constantFrom('card ', 'Card No: ', 'PAN=', '卡号：', '卡号', 'card#'), fc.integer({ min: 16, max: 19 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 19, maxLength: 19 }))
  .map(([word, len, digits]) => {
    const pan = ('62' + digits.join('')).slice(0, len);
    return { digits: pan, text: word + pan };
  });

/** A number a letter touches (glued to a word) or inside a hex dump of chip data (EMV tags 5A, 57, 9F6B). */
const gluedOrChip = fc.tuple(luhnPan, fc.constantFrom('ref', 'x', 'Z', 'exp2512', '5A08', '5711', '9F6B13', 'DF', 'x ', 'ref-')).map(([pan, glue]) => {
  if (glue === '5711' || glue === '9F6B13') return { digits: pan, text: `${glue}${pan}D25121010000012345F` };
  // A letter touching a grouped number: x4111 1111 1111 1111.
  if (glue === 'x ' || glue === 'ref-') return { digits: pan, text: `${glue.trim()}${pan.match(/.{1,4}/g)!.join(glue.endsWith('-') ? '-' : ' ')}` };
  if (glue === 'Z' || glue === 'exp2512') return { digits: pan, text: `${pan}${glue}` };
  return { digits: pan, text: `${glue}${pan}` };
});

const aPan = fc.oneof({ weight: 3, arbitrary: written }, { weight: 1, arbitrary: afterCardWord }, { weight: 1, arbitrary: gluedOrChip });

const TXN_FIELDS = ['txnId', 'terminalId', 'merchantId', 'timestamp', 'type', 'amount', 'currency', 'status', 'responseCode', 'codeProfile', 'errorCode', 'message', 'entryMode', 'rrn', 'stan', 'authCode', 'batchId', 'cardRef', 'softwareVersion', 'model', 'connection', 'signalDbm', 'latencyMs', 'pinBlock', 'track2', 'note'];
const EVENT_FIELDS = ['terminalId', 'timestamp', 'event', 'detail', 'note'];
const SETTLEMENT_FIELDS = ['txnId', 'rrn', 'terminalId', 'merchantId', 'settlementDate', 'batchId', 'amount', 'currency', 'status', 'reasonCode', 'message', 'note'];

function baseTxn(i: number): Record<string, string> {
  return {
    txnId: `X${i}`, terminalId: `T${i % 3}`, merchantId: 'M1', timestamp: `2026-11-20T10:${String(i % 60).padStart(2, '0')}:00+08:00`, type: 'sale',
    amount: '12.30', currency: 'CNY', status: i % 2 ? 'declined' : 'approved', responseCode: i % 2 ? '51' : '00', codeProfile: 'iso', errorCode: 'E1', message: '余额不足',
    entryMode: 'chip', rrn: String(100000000000 + i), stan: String(100000 + i), authCode: 'A1', batchId: 'B1', cardRef: '622202******3456', softwareVersion: 'v1',
    model: 'P1', connection: '4g', signalDbm: '-70', latencyMs: '300', note: 'x',
  };
}
const baseEvent = (i: number) => ({ kind: 'event', terminalId: `T${i % 3}`, timestamp: '2026-11-20T10:00:30+08:00', event: 'NETWORK_DOWN', detail: 'lost', note: 'x' });
const baseSettlement = (i: number) => ({ txnId: `X${i}`, rrn: String(100000000000 + i), terminalId: `T${i % 3}`, merchantId: 'M1', settlementDate: '2026-11-21', batchId: 'B1', amount: '12.30', currency: 'CNY', status: 'failed', reasonCode: 'R1', message: 'x', note: 'x' });

interface Placed {
  digits: string;
  text: string;
}

/** One record per field, each with a card number in that field (so many are rejected: their reasons and raw text count too). */
function recordsWithPans(pans: Placed[]): { txns: Record<string, string>[]; events: Record<string, string>[]; settlement: Record<string, string>[] } {
  let k = 0;
  const next = () => pans[k++ % pans.length].text;
  return {
    txns: TXN_FIELDS.map((f, i) => ({ ...baseTxn(i), [f]: next() })),
    events: EVENT_FIELDS.map((f, i) => ({ ...baseEvent(i), [f]: next() })),
    settlement: SETTLEMENT_FIELDS.map((f, i) => ({ ...baseSettlement(i), [f]: next() })),
  };
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csv(rows: Record<string, string>[]): string {
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [header.join(','), ...rows.map((r) => header.map((h) => csvCell(r[h] ?? '')).join(','))].join('\r\n') + '\r\n';
}

function jposLog(pans: Placed[]): string {
  const p = (i: number) => pans[i % pans.length];
  const field = (id: string, v: string) => `      <field id="${id}" value="${v}"/>`;
  const msg = (mti: string, extra: string[], at: string) => `<log realm="channel/1" at="${at}">\n  <send>\n    <isomsg>\n${[field('0', mti), field('3', '000000'), field('4', '000000001230'), field('11', '000001'), field('37', '180312760876'), field('41', '29110001'), field('49', '156'), ...extra].join('\n')}\n    </isomsg>\n  </send>\n</log>\n`;
  const req = msg('0200', [field('2', p(0).digits), field('35', `${p(1).digits}=25121010000012345678`), field('45', `B${p(2).digits}^DOE/JOHN^2512101`), field('52', 'A1B2C3D4E5F60718'), field('55', '9F2608' + p(3).digits)], '2026-11-20T10:00:00+08:00');
  const resp = msg('0210', [field('39', '51'), field('63', `declined ${p(4).text}`)], '2026-11-20T10:00:01+08:00');
  return `<logger>\n${req}${resp}</logger>\n`;
}

type Format = 'ndjson' | 'csv' | 'json' | 'gbk' | 'jpos';

function writeInputs(dir: string, format: Format, pans: Placed[]): void {
  const { txns, events, settlement } = recordsWithPans(pans);
  if (format === 'ndjson') {
    writeFileSync(join(dir, 'terminal.ndjson'), [...txns, ...events].map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(join(dir, 'settlement.ndjson'), settlement.map((r) => JSON.stringify(r)).join('\n') + '\n');
  } else if (format === 'json') {
    writeFileSync(join(dir, 'terminal.json'), JSON.stringify([...txns, ...events], null, 2));
    writeFileSync(join(dir, 'settlement.json'), JSON.stringify(settlement));
  } else if (format === 'csv') {
    writeFileSync(join(dir, 'terminal.csv'), csv(txns));
    writeFileSync(join(dir, 'events.csv'), csv(events.map(({ kind: _k, ...r }) => r)));
    writeFileSync(join(dir, 'settlement.csv'), csv(settlement));
  } else if (format === 'gbk') {
    const zh = txns.map((r) => ({ 终端号: r.terminalId, 交易时间: r.timestamp, 交易金额: r.amount, 交易状态: r.status, 应答码: r.responseCode, 失败原因: `${r.message} ${r.note}`, 卡号: r.cardRef, 参考号: r.rrn, 商户号: r.merchantId }));
    writeFileSync(join(dir, 'export.csv'), iconv.encode('交易明细导出\r\n' + csv(zh), 'gbk'));
  } else {
    writeFileSync(join(dir, 'q2.log'), jposLog(pans));
  }
}

describe('card numbers never reach an output', () => {
  for (const format of ['ndjson', 'csv', 'json', 'gbk', 'jpos'] as const) {
    it(`${format}: in every field, in rejected values, in any shape: none in any file, stdout or stderr`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(aPan, { minLength: 5, maxLength: 12 }), async (pans) => {
          const dir = mkdtempSync(join(root, `p${runs++}-`));
          writeInputs(dir, format, pans);
          const { text } = await analyzeDir(dir);
          // With every separator (and its JSON escape) taken out, no number is left whole.
          const folded = text.replace(/\\[tnr]|\\u[0-9a-fA-F]{4}|[\s\u00a0\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff_\-\u2010-\u2015\u2212\uff0d./]/g, '');
          for (const p of pans) {
            expect(text).not.toContain(p.digits);
            expect(text).not.toContain(p.text);
            const at = folded.indexOf(p.digits);
            expect(at < 0 ? '' : folded.slice(Math.max(0, at - 80), at + 40), p.text).toBe('');
          }
          // Track data, PIN blocks and chip data are never kept, not even masked.
          expect(text).not.toContain('A1B2C3D4E5F60718');
          expect(text).not.toContain('DOE/JOHN');
          expect(text).not.toContain('25121010000012345678');
        }),
        { numRuns: 25 },
      );
    }, 60_000);
  }

  it('in a file or directory name: masked in every path the outputs print, as serve masks uploads', async () => {
    await fc.assert(
      fc.asyncProperty(luhnPan, fc.constantFrom('', 'card-', '卡号'), async (pan, prefix) => {
        const dir = mkdtempSync(join(root, `${pan}-${runs++}-`));
        const rows = [0, 1, 2].map((i) => JSON.stringify({ ...baseTxn(i), status: 'declined', responseCode: '05' }));
        writeFileSync(join(dir, `${prefix}${pan}.ndjson`), [...rows, 'not json'].join('\n') + '\n');
        writeFileSync(join(dir, 'copy.ndjson'), [...rows, 'not json'].join('\n') + '\n');
        const { code, text, out } = await analyzeDir(dir);
        expect(code).toBe(0);
        expect(text).not.toContain(pan);
        const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
        expect(report.inputs[0].path).toContain(`${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`);
      }),
      { numRuns: 10 },
    );
  });

  it('groups cards by identity: two cards sharing first 6 and last 4 never merge', async () => {
    const dir = mkdtempSync(join(root, 'cards-'));
    const a = withCheckDigit('622202111111111');
    const b = withCheckDigit('622202222222222');
    // Same masked form only if last 4 agree: force it by choosing bodies whose check digits line up.
    const pairs: string[] = [];
    for (let i = 0; pairs.length < 2 && i < 1000; i++) {
      const x = withCheckDigit(`622202${String(100000000 + i)}`);
      if (x.slice(-4) === a.slice(-4) && x !== a) pairs.push(x);
    }
    const other = pairs[0] ?? b;
    const rows = [a, other].flatMap((card, c) =>
      [0, 1, 2].map((t) => JSON.stringify({ ...baseTxn(c * 3 + t), status: 'declined', responseCode: '05', terminalId: `T${t}`, cardRef: card })),
    );
    writeFileSync(join(dir, 'terminal.ndjson'), rows.join('\n') + '\n');
    const { out } = await analyzeDir(dir);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.cards).toHaveLength(2);
    for (const c of report.cards) expect(c.failures).toBe(3);
  });
});

describe('PIN blocks and chip data are never kept', () => {
  const hex = (n: number) => fc.array(fc.constantFrom(...'0123456789ABCDEF'), { minLength: n, maxLength: n }).map((a) => a.join('')).filter((h) => /[0-9]/.test(h) && /[A-F]/.test(h));
  it('in a rejected row, under any column name, in CSV and NDJSON: none in any file, stdout or stderr', async () => {
    await fc.assert(
      fc.asyncProperty(hex(16), hex(20), fc.constantFrom('PIN Block', 'pinData', 'pin_blk', 'Field 55', 'tlv', 'iccData', 'note', 'x'), async (pinBlock, tlv, column) => {
        const dir = mkdtempSync(join(root, `h${runs++}-`));
        const ok = baseTxn(1);
        // A row with a bad timestamp is rejected: its raw text is what is kept.
        const bad = { ...baseTxn(2), timestamp: 'BADDATE', [column]: pinBlock, emv: `9F26${tlv}` };
        writeFileSync(join(dir, 'terminal.csv'), csv([ok, { ...bad, [column]: `${pinBlock}` }]));
        writeFileSync(join(dir, 'terminal.ndjson'), [ok, { ...bad, tlv }].map((r) => JSON.stringify(r)).join('\n') + '\n');
        const { text } = await analyzeDir(dir);
        expect(text).not.toContain(pinBlock);
        expect(text).not.toContain(tlv);
      }),
      { numRuns: 8 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------- identifiers

const letters = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{2,10}$/);
const dashed = fc.tuple(fc.integer({ min: 1, max: 99999 }), fc.integer({ min: 0, max: 99999999 })).map(([a, b]) => `T${a}-${String(b).padStart(8, '0')}`);
const digitRun = fc.integer({ min: 13, max: 19 }).chain((n) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join('')));
const merchant15 = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 15, maxLength: 15 }).map((d) => '8' + d.join('').slice(1));
const grouped = fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 100000, max: 999999 })).map(([a, b]) => `ORD ${a}-${b}`);
// Dated order numbers that happen to pass Luhn ("2026110000001233"): no scheme issues numbers starting 20, so they stay.
const datedLuhn = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })).map(([mo, d]) => withCheckDigit(`2026${String(mo).padStart(2, '0')}${d.join('')}`));
// A whole id that is itself a plausible card number is tokenized on purpose (tested above); leave those out.
const anId = fc.oneof(letters, dashed, digitRun, merchant15, grouped, datedLuhn).filter((id) => panToken(id) === undefined);

describe('identifiers come out exactly as they went in', () => {
  it('a dated order number that passes Luhn is no card number', () => {
    fc.assert(fc.property(datedLuhn, (id) => luhnValid(id) && panToken(id) === undefined));
    expect(panToken('2026110000001233')).toBeUndefined();
  });

  it('every id shape survives, and unique ids never make a duplicate', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(anId, { minLength: 24, maxLength: 24 }), async (ids) => {
        const dir = mkdtempSync(join(root, `i${runs++}-`));
        const [t1, t2, m1, ...txnIds] = ids;
        const rows = txnIds.slice(0, 10).map((txnId, i) => ({
          txnId, rrn: txnIds[10 + i], terminalId: i % 2 ? t1 : t2, merchantId: m1, timestamp: `2026-11-20T10:${String(i).padStart(2, '0')}:00+08:00`,
          amount: '10.00', status: i % 3 === 0 ? 'declined' : 'approved', responseCode: i % 3 === 0 ? '05' : '00',
        }));
        writeFileSync(join(dir, 'terminal.ndjson'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
        // Settlement for every other approval, by rrn, one with a different amount.
        const settled = rows.filter((r) => r.status === 'approved').filter((_, i) => i % 2 === 0);
        const lines = settled.map((r, i) => `${r.rrn},${r.terminalId},2026-11-21,${i === 0 ? '9.00' : r.amount},CNY,settled`);
        writeFileSync(join(dir, 'settlement.csv'), `rrn,terminalId,settlementDate,amount,currency,status\n${lines.join('\n')}\n`);
        const { code, out } = await analyzeDir(dir, ['--settlement-grace', '0']);
        expect(code).toBe(0);
        const findings = readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
        expect(findings.some((f) => f.outcome === 'duplicate')).toBe(false);
        const known = new Set(ids);
        for (const f of findings) {
          for (const v of [f.txnId, f.rrn, f.terminalId, f.merchantId]) if (v !== null) expect(known.has(v), v).toBe(true);
        }
        const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
        expect(report.terminals.map((t: { terminalId: string }) => t.terminalId).sort()).toEqual([t1, t2].sort());
        // Every failed or unsettled transaction is reported under its own id.
        const declined = rows.filter((r) => r.status === 'declined').map((r) => r.txnId);
        for (const id of declined) expect(findings.some((f) => f.txnId === id)).toBe(true);
      }),
      { numRuns: 15 },
    );
  }, 60_000);
});
