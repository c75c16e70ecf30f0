import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvParser } from '../../parsers/csv.js';
import { cleanValue, mapHeader, normalizeHeader } from '../../parsers/headers.js';
import {
  type MappedInfo,
  type RowMapper,
  builtinProfiles,
  compileProfile,
  loadProfile,
  matchesSignature,
  parseProfile,
} from '../../parsers/mapping.js';
import type { ParseInfo, RawRow, RowProblem } from '../../parsers/types.js';
import { TxlogError } from '../../src/errors.js';
import { runCoreSync } from '../../parsers/run.js';
import { chunks } from '../helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'txlog-mapping-'));
function profileFile(name: string, json: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
}

function thrown(fn: () => unknown): TxlogError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TxlogError);
    return e as TxlogError;
  }
  throw new Error('expected a TxlogError');
}

async function rejected(p: Promise<unknown>): Promise<TxlogError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TxlogError);
    return e as TxlogError;
  }
  throw new Error('expected a TxlogError');
}

function mapper(profile: unknown, headers: string[]): RowMapper {
  const m = compileProfile(parseProfile(profile, 'inline'), headers);
  if ('absent' in m) throw new Error(`absent: ${m.absent.join(', ')}`);
  return m;
}

const base = {
  name: 'pos-export',
  description: 'test',
  columns: { terminalId: 'Terminal', timestamp: 'Time', amount: 'Amount', status: 'Result' },
};

describe('headers', () => {
  it('normalizes header names: case, width, spaces, underscores, punctuation, (元)', () => {
    expect(normalizeHeader(' Terminal_ID ')).toBe('terminalid');
    expect(normalizeHeader('Errors?')).toBe('errors');
    expect(normalizeHeader('金额（元）')).toBe('金额');
    expect(normalizeHeader('金额(元)')).toBe('金额');
    expect(normalizeHeader('收/支')).toBe('收支');
    expect(normalizeHeader('`交易时间')).toBe('交易时间');
  });

  it('cleans values', () => {
    expect(cleanValue('`2021-01-28 17:07:11')).toBe('2021-01-28 17:07:11');
    expect(cleanValue('="0012"')).toBe('0012');
    expect(cleanValue('202302xxxx\t')).toBe('202302xxxx');
    expect(cleanValue('"3985734"\t')).toBe('3985734');
    expect(cleanValue('  ')).toBe('');
    expect(cleanValue('say "hi"')).toBe('say "hi"');
    expect(cleanValue('\u00a0001\u3000')).toBe('001');
  });

  it('a cleaned value is trimmed of every kind of white space, and cleaning it again changes nothing', () => {
    const edge = fc.constantFrom(' ', '\t', '\u00a0', '\u3000', '\ufeff', '\u2003', '`', "'", '=', '"', 'a', '0', '中', '');
    fc.assert(
      fc.property(edge, fc.string({ maxLength: 8 }), edge, (a, mid, b) => {
        const c = cleanValue(a + mid + b);
        expect(c).toBe(c.trim());
        expect(cleanValue(c)).toBe(cleanValue(cleanValue(c)));
        if (/^[\x21-\x7e]/.test(a + mid + b) && !/^[`'="]/.test(a + mid + b) && /[\x21-\x7e]$/.test(a + mid + b)) expect(c).toBe(a + mid + b);
      }),
      { numRuns: 500 },
    );
  });

  it('maps English and Chinese aliases onto canonical fields, earlier aliases first', () => {
    const m = mapHeader(['订单号', '交易单号', 'Terminal ID', 'TIMESTAMP', 'Amount', 'Status', 'RC', 'Foo']);
    expect(m.fields).toEqual([null, 'txnId', 'terminalId', 'timestamp', 'amount', 'status', 'responseCode', null]);
    expect(m.kinds).toEqual(['terminal']);
    expect(m.missing.settlement).toEqual(['settlementDate']);
  });

  it('reads the reason under any of the names exports give it; a remark (备注) only when no column says reason outright', () => {
    for (const name of ['备注', '错误原因', '拒绝原因', '失败描述', '应答描述', '返回描述', '响应描述', '原因', '说明', '错误提示', 'Remarks', 'Response Message']) {
      expect(mapHeader(['终端号', '交易时间', '金额', '交易状态', name]).fields[4], name).toBe('message');
    }
    expect(mapHeader(['终端号', '交易时间', '金额', '交易状态', '备注', '失败原因']).fields.slice(4)).toEqual([null, 'message']);
  });

  it('joins split date and time, and takes 交易时间 alone as the timestamp', () => {
    expect(mapHeader(['Date', 'Time', 'Time Zone', 'Device Name', 'Gross', 'Transaction Status']).combined).toEqual({ timestamp: [0, 1] });
    const alone = mapHeader(['交易时间', '设备号', '交易金额', '交易状态']);
    expect(alone.fields[0]).toBe('timestamp');
    expect(alone.kinds).toEqual(['terminal']);
    const full = mapHeader(['交易日期', '交易时间', '交易日期时间', '终端号', '交易金额', '交易状态']);
    expect(full.fields[2]).toBe('timestamp');
    expect(full.combined).toEqual({});
  });

  it('reports what is missing per kind', () => {
    const m = mapHeader(['Store', 'Amount']);
    expect(m.kinds).toEqual([]);
    expect(m.missing).toEqual({
      terminal: ['terminalId', 'timestamp', 'status'],
      events: ['terminalId', 'timestamp', 'event'],
      settlement: ['txnId|rrn', 'terminalId', 'settlementDate', 'status'],
    });
  });
});

describe('profile validation', () => {
  it('accepts every built-in profile, each with a signature and a unique name', () => {
    const all = builtinProfiles();
    expect(all.map((p) => p.name).sort()).toEqual(['alipay-personal', 'tabformer', 'wechat-merchant-bill', 'wechat-personal']);
    for (const p of all) expect(p.match?.headers.length).toBeGreaterThan(0);
  });

  it('names the file and JSON path of the first problem, on one line', () => {
    const bad = thrown(() => parseProfile({ ...base, columns: { ...base.columns, amount: 5 } }, 'my.json'));
    expect(bad.code).toBe('MAPPING_INVALID');
    expect(bad.message).toMatch(/^invalid mapping profile my\.json at \$\.columns\.amount: expected a header name/);
    expect(bad.message).not.toContain('\n');
    const unknownField = thrown(() => parseProfile({ ...base, columns: { ...base.columns, terminal: 'X' } }, 'my.json'));
    expect(unknownField.message).toContain('$.columns');
    const unknownKey = thrown(() => parseProfile({ ...base, colums: {} }, 'my.json'));
    expect(unknownKey.message).toContain('my.json');
    const tz = thrown(() => parseProfile({ ...base, timeZone: 'Mars/Base' }, 'my.json'));
    expect(tz.message).toContain('$.timeZone: not an IANA time zone');
    const when = thrown(() => parseProfile({ ...base, when: [{ if: { Result: 5 } }] }, 'my.json'));
    expect(when.message).toContain('$.when[0].if.Result');
  });

  it('requires the fields of the profile kind', () => {
    const e = thrown(() => parseProfile({ ...base, columns: { terminalId: 'Terminal', timestamp: 'Time' } }, 'p.json'));
    expect(e.message).toBe('invalid mapping profile p.json at $.columns: a terminal profile must map status, amount');
    expect(() => parseProfile({ ...base, columns: { terminalId: 'T', timestamp: 'Time', amount: 'A' }, statusFrom: { column: 'E', empty: 'approved', nonEmpty: 'declined' } }, 'p.json')).not.toThrow();
    const both = thrown(() => parseProfile({ ...base, statusFrom: { column: 'E', empty: 'approved', nonEmpty: 'declined' } }, 'p.json'));
    expect(both.message).toContain('$.statusFrom');
  });

  it('loads a built-in by name, a file by path, and says what is wrong with the file', async () => {
    expect((await loadProfile('tabformer')).name).toBe('tabformer');
    expect((await loadProfile(profileFile('ok.json', '\uFEFF' + JSON.stringify(base)))).name).toBe('pos-export');
    const notJson = await rejected(loadProfile(profileFile('bad.json', '{"name": ')));
    expect(notJson.code).toBe('MAPPING_INVALID');
    expect(notJson.message).toContain('bad.json at $: not JSON');
    const missing = await rejected(loadProfile(path.join(dir, 'nope.json')));
    expect(missing.code).toBe('MAPPING_NOT_FOUND');
    expect(missing.message).toContain('ENOENT');
    expect(missing.message).toContain('tabformer');
  });
});

describe('row mapping', () => {
  it('joins, templates, first-of, constants and line numbers', () => {
    const m = mapper(
      {
        ...base,
        columns: {
          txnId: { lineNumber: true, prefix: 'row-' },
          terminalId: { first: ['Device', 'Store'] },
          timestamp: { template: '{Y}-{M}-{D} {Time}' },
          settlementDate: ['Y', 'M'],
          batchId: { join: ['Y', 'M'], with: '/' },
          amount: 'Amount',
          currency: { const: 'HKD' },
          status: 'Result',
        },
      },
      ['Y', 'M', 'D', 'Time', 'Store', 'Amount', 'Result', 'Note'],
    );
    expect(m.map(['2024', '5', '4', '2:18', 'Main', '9.90', 'ok', ''], 7)).toEqual({
      txnId: 'row-7',
      terminalId: 'Main',
      timestamp: '2024-5-4 2:18',
      settlementDate: '2024 5',
      batchId: '2024/5',
      amount: '9.90',
      currency: 'HKD',
      status: 'ok',
    });
  });

  it('applies value maps case-insensitively, passes unknown values through, and fills defaults', () => {
    const m = mapper(
      { ...base, values: { status: { 交易成功: 'approved', success: 'approved' } }, defaults: { currency: 'CNY', terminalId: 'NONE' }, nullValues: ['/'] },
      ['Terminal', 'Time', 'Amount', 'Result', 'Memo'],
    );
    expect(m.map(['/', 't', '1', 'SUCCESS', '/'], 2)).toEqual({ txnId: 'L2', terminalId: 'NONE', timestamp: 't', amount: '1', status: 'approved', currency: 'CNY' });
    expect(m.map(['P', 't', '1', '交易成功', 'hi'], 3)).toMatchObject({ status: 'approved', extra: { Memo: 'hi' } });
    expect(m.map(['P', 't', '1', '处理中', ''], 4).status).toBe('处理中');
  });

  it('derives status from whether a column is empty, the value map first', () => {
    const m = mapper(
      {
        ...base,
        columns: { terminalId: 'Terminal', timestamp: 'Time', amount: 'Amount', message: 'Errors?' },
        statusFrom: { column: 'Errors?', empty: 'approved', nonEmpty: 'declined' },
        values: { status: { 'Technical Glitch': 'failed' } },
      },
      ['Terminal', 'Time', 'Amount', 'Errors?'],
    );
    expect(m.map(['P', 't', '1', ''], 2).status).toBe('approved');
    expect(m.map(['P', 't', '1', 'Bad PIN'], 3)).toMatchObject({ status: 'declined', message: 'Bad PIN' });
    expect(m.map(['P', 't', '1', 'Technical Glitch'], 4).status).toBe('failed');
  });

  it('applies when-rules: other columns and fixed values for matching rows', () => {
    const m = mapper(
      {
        ...base,
        columns: { ...base.columns, txnId: 'Order' },
        values: { status: { REFUND: 'approved', SUCCESS: 'approved' } },
        when: [
          { if: { Result: 'REFUND' }, columns: { txnId: 'Refund No', amount: 'Refund' }, set: { type: 'refund' } },
          { if: { Amount: { matches: '^-' } }, set: { type: 'refund' } },
          { if: { Result: ['VOID', 'REVOKED'] }, set: { type: 'void', status: 'approved' } },
        ],
      },
      ['Terminal', 'Time', 'Amount', 'Result', 'Order', 'Refund No', 'Refund'],
    );
    expect(m.map(['P', 't', '5.00', 'SUCCESS', 'O1', '', '0'], 2)).toEqual({ terminalId: 'P', timestamp: 't', amount: '5.00', status: 'approved', txnId: 'O1' });
    expect(m.map(['P', 't', '0', 'REFUND', 'O1', 'R1', '5.00'], 3)).toEqual({ terminalId: 'P', timestamp: 't', amount: '5.00', status: 'approved', txnId: 'R1', type: 'refund' });
    expect(m.map(['P', 't', '-5.00', 'SUCCESS', 'O2', '', ''], 4).type).toBe('refund');
    expect(m.map(['P', 't', '5.00', 'REVOKED', 'O3', '', ''], 5)).toMatchObject({ type: 'void', status: 'approved' });
  });

  it('does not fit a header that lacks a named column, and says which', () => {
    const m = compileProfile(parseProfile(base, 'inline'), ['Terminal', 'Time', 'Amount']);
    expect(m).toEqual({ absent: ['Result'] });
  });

  it('recognizes built-in signatures regardless of spacing and guards', () => {
    const wechat = builtinProfiles().find((p) => p.name === 'wechat-merchant-bill')!;
    const header = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态'.split(',').map((h) => ` ${h} `);
    expect(matchesSignature(wechat, header)).toBe(true);
    expect(matchesSignature(wechat, header.slice(1))).toBe(false);
  });
});

describe('csvParser with a mapping profile', () => {
  async function parse(text: string, mapping?: string) {
    const info: ParseInfo & Partial<MappedInfo> = { format: 'csv', profile: null, skippedLines: 0 };
    const rows: RawRow[] = [];
    const problems: RowProblem[] = [];
    const core = await csvParser.open({ name: 'export.csv', mapping }, info);
    for (const item of runCoreSync(core, chunks(text, 3))) {
      if (item.row) rows.push(item.row);
      else if (item.problem) problems.push(item.problem);
    }
    return { info, rows, problems };
  }

  it('uses a forced profile file: skipLines, delimiter, time zone and date format passed on in info', async () => {
    const file = profileFile('shop.json', {
      name: 'shop-pos',
      description: 'Shop POS export',
      delimiter: ';',
      skipLines: 2,
      columns: { terminalId: 'Kasse', timestamp: ['Datum', 'Zeit'], amount: 'Betrag', status: 'Ergebnis', responseCode: 'AC' },
      values: { status: { OK: 'approved', ABGELEHNT: 'declined' } },
      defaults: { currency: 'EUR' },
      dateFormat: 'dd.MM.yyyy HH:mm',
      timeZone: 'Europe/Berlin',
    });
    const text = 'Kassenbericht\nFiliale 7; "Mitte\nKasse;Datum;Zeit;Betrag;Ergebnis;AC\nK1;04.05.2024;02:18;1,50;OK;00\nK1;04.05.2024;02:19;2,00;ABGELEHNT;05\n';
    const { info, rows, problems } = await parse(text, file);
    expect(problems).toEqual([]);
    expect(info).toMatchObject({ profile: 'shop-pos', skippedLines: 2, timeZone: 'Europe/Berlin', dateFormat: 'dd.MM.yyyy HH:mm', delimiter: ';', kinds: ['terminal'] });
    expect(rows.map((r) => r.fields)).toEqual([
      { terminalId: 'K1', timestamp: '04.05.2024 02:18', amount: '1,50', status: 'approved', responseCode: '00', txnId: 'L4', currency: 'EUR' },
      { terminalId: 'K1', timestamp: '04.05.2024 02:19', amount: '2,00', status: 'declined', responseCode: '05', txnId: 'L5', currency: 'EUR' },
    ]);
  });

  it('forcing a built-in by name searches for its header', async () => {
    const text =
      '说明\n交易时间,商户号,设备号,商户订单号,交易状态,货币种类,订单金额,商户退款单号,申请退款金额\n' +
      '`2024-05-04 02:18,`1601959334,`D1,`O1,`SUCCESS,`,`0.01,`,`0.00\n';
    const { info, rows } = await parse(text, 'wechat-merchant-bill');
    expect(info.profile).toBe('wechat-merchant-bill');
    expect(info.skippedLines).toBe(1);
    expect(info.timeZone).toBe('Asia/Shanghai');
    expect(rows[0].fields).toEqual({
      timestamp: '2024-05-04 02:18',
      merchantId: '1601959334',
      terminalId: 'D1',
      txnId: 'O1',
      status: 'approved',
      amount: '0.01',
      currency: 'CNY',
    });
  });

  it('says which columns a forced profile misses', async () => {
    const file = profileFile('strict.json', base);
    const err = await rejected(parse('Terminal,Time,Amount,Outcome\nP,t,1,ok\n', file));
    expect(err.code).toBe('CSV_NO_HEADER');
    expect(err.message).toContain('mapping profile pos-export does not fit');
    expect(err.message).toContain('line 1: ["Terminal","Time","Amount","Outcome"]');
    expect(err.message).toContain('columns named by profile pos-export: Result');
  });
});
