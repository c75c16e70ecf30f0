import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvParser } from '../../parsers/csv.js';
import type { MappedInfo } from '../../parsers/mapping.js';
import type { ParseInfo, ParseOptions, RawRow, RowProblem } from '../../parsers/types.js';
import { TxlogError } from '../../src/errors.js';

import { chunks } from '../helpers.js';
import type { RowSkip } from '../../parsers/types.js';

type Info = ParseInfo & Partial<MappedInfo>;

async function parseWith(text: string, size: number, opts: Partial<ParseOptions> = {}) {
  const info: Info = { format: 'csv', profile: null, skippedLines: 0 };
  const rows: RawRow[] = [];
  const problems: RowProblem[] = [];
  const skips: RowSkip[] = [];
  let batches = 0;
  const core = await csvParser.open({ name: 'test.csv', ...opts }, info);
  const take = (batch: ReturnType<typeof core.push>) => {
    if (batch.length) batches++;
    for (const item of batch) {
      if (item.row) rows.push({ line: item.row.line, raw: item.row.raw, fields: item.row.fields });
      else if (item.problem) problems.push(item.problem);
      else skips.push(item.skip);
    }
  };
  for (const chunk of chunks(text, size)) take(core.push(chunk));
  take(core.end());
  return { info, rows, problems, skips, batches };
}

const SIZES = [1, 2, 3, 5, 7, 64, 100_000];

/** Parses with every chunk size and checks they all agree; returns the whole-text result. */
async function parseCsv(text: string, opts: Partial<ParseOptions> = {}) {
  const results = await Promise.all(SIZES.map((s) => parseWith(text, s, opts)));
  const whole = results.at(-1)!;
  for (const r of results) {
    expect(r.rows).toEqual(whole.rows);
    expect(r.problems).toEqual(whole.problems);
    expect(r.skips).toEqual(whole.skips);
    expect(r.info).toEqual(whole.info);
  }
  return whole;
}

async function headerError(text: string, opts: Partial<ParseOptions> = {}): Promise<TxlogError> {
  try {
    await parseWith(text, 5, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(TxlogError);
    return e as TxlogError;
  }
  throw new Error('expected a TxlogError');
}

const HEAD = 'txnId,terminalId,timestamp,amount,status';

describe('csvParser: rows and lines', () => {
  it('reads canonical headers with CRLF line ends, every chunk size alike', async () => {
    const text = `${HEAD}\r\nT1,POS-1,2024-05-04T02:18:00Z,12.30,approved\r\nT2,POS-2,2024-05-04T02:19:00Z,5.00,declined\r\n`;
    const { info, rows, problems } = await parseCsv(text);
    expect(problems).toEqual([]);
    expect(info).toMatchObject({ format: 'csv', profile: null, skippedLines: 0, headers: HEAD.split(','), kinds: ['terminal'], headerLine: 1, delimiter: ',' });
    expect(rows).toEqual([
      { line: 2, raw: 'T1,POS-1,2024-05-04T02:18:00Z,12.30,approved', fields: { txnId: 'T1', terminalId: 'POS-1', timestamp: '2024-05-04T02:18:00Z', amount: '12.30', status: 'approved' } },
      { line: 3, raw: 'T2,POS-2,2024-05-04T02:19:00Z,5.00,declined', fields: { txnId: 'T2', terminalId: 'POS-2', timestamp: '2024-05-04T02:19:00Z', amount: '5.00', status: 'declined' } },
    ]);
  });

  it('keeps newlines inside quoted fields and numbers the next row by its physical line', async () => {
    const text = [
      'txnId,terminalId,timestamp,amount,status,message',
      'T1,POS-1,2024-05-04 02:18,1.00,failed,"line one\r\nline two\r\nline ""three"""',
      'T2,POS-1,2024-05-04 02:19,2.00,approved,',
      'T3,POS-1,2024-05-04 02:20,3.00,failed,"a,\nb"',
      'T4,POS-1,2024-05-04 02:21,4.00,approved,ok',
      '',
    ].join('\r\n');
    const { rows, problems } = await parseCsv(text);
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.line, r.fields.txnId])).toEqual([
      [2, 'T1'],
      [5, 'T2'],
      [6, 'T3'],
      [8, 'T4'],
    ]);
    expect(rows[0].fields.message).toBe('line one\r\nline two\r\nline "three"');
    expect(rows[0].raw).toBe('T1,POS-1,2024-05-04 02:18,1.00,failed,"line one\r\nline two\r\nline ""three"""');
    expect(rows[1].fields.message).toBeUndefined();
  });

  it('skips blank lines (and lines of only delimiters) without counting them as rows', async () => {
    const text = `\n\n${HEAD}\n\nT1,P,2024-05-04 02:18,1,approved\n\n   \n,,,,\nT2,P,2024-05-04 02:19,2,approved\n\n`;
    const { info, rows, problems } = await parseCsv(text);
    expect(info.skippedLines).toBe(2);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.line)).toEqual([5, 9]);
  });

  it('rejects a truncated last line (no line break, missing columns) and keeps a complete one without a break', async () => {
    const truncated = await parseCsv(`${HEAD}\nT1,P,2024-05-04 02:18,1,approved\nT2,P,2024-05-0`);
    expect(truncated.rows.map((r) => r.line)).toEqual([2]);
    expect(truncated.problems).toEqual([
      { line: 3, reason: 'truncated last line (no line break at end of input): expected 5 columns, got 3', raw: 'T2,P,2024-05-0' },
    ]);
    const complete = await parseCsv(`${HEAD}\nT1,P,2024-05-04 02:18,1,approved\nT2,P,2024-05-04 02:19,2,declined`);
    expect(complete.problems).toEqual([]);
    expect(complete.rows.map((r) => [r.line, r.fields.status])).toEqual([
      [2, 'approved'],
      [3, 'declined'],
    ]);
  });

  it('rejects the line an unclosed quote opens on and reads on from the next line', async () => {
    const text = `${HEAD},message\nT1,P,2024-05-04 02:18,1,approved,ok\nT2,P,2024-05-04 02:19,2,failed,"cut off\nT3,P,2024-05-04 02:20,3,approved,ok\nT4,P,2024-05`;
    const { rows, problems } = await parseCsv(text);
    expect(rows.map((r) => r.fields.txnId)).toEqual(['T1', 'T3']);
    expect(problems.map((p) => p.line)).toEqual([3, 5]);
    expect(problems[0].reason).toMatch(/^a quote opened in this row is not closed where the row should end/);
    expect(problems[0].raw).toBe('T2,P,2024-05-04 02:19,2,failed,"cut off');
    expect(problems[1].reason).toBe('truncated last line (no line break at end of input): expected 6 columns, got 3');
  });

  it('a runaway quote mid-file costs one row; the 40,000 rows after it are read', async () => {
    const good = 'T9,P,2024-05-04 02:20,3,approved,ok\n';
    const text = `${HEAD},message\nT1,P,2024-05-04 02:18,1,approved,ok\nT2,P,2024-05-04 02:19,2,failed,"runaway\n${good.repeat(40_000)}`;
    const { rows, problems } = await parseWith(text, 65_536);
    expect(rows).toHaveLength(40_001);
    expect(problems).toHaveLength(1);
    expect(problems[0].line).toBe(3);
    expect(rows[1].line).toBe(4);
    expect(rows.at(-1)!.line).toBe(40_003);
  });

  it('keeps a quoted cell that really spans lines when the record has the header\'s shape', async () => {
    const text = `${HEAD},message\nT1,P,2024-05-04 02:18,1,failed,"two\r\nlines"\nT2,P,2024-05-04 02:19,2,approved,ok\n`;
    const { rows, problems } = await parseCsv(text);
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.line, r.fields.message])).toEqual([[2, 'two\r\nlines'], [4, 'ok']]);
  });

  it('treats a bare CR as a line break, with line numbers to match', async () => {
    const text = `${HEAD}\rT1,P,2024-05-04 02:18,1,approved\rT2,P,2024-05-04 02:19,2,approved\r\nT3,P,2024-05-04 02:20,3,approved\n`;
    const { rows } = await parseCsv(text);
    expect(rows.map((r) => [r.line, r.fields.txnId])).toEqual([[2, 'T1'], [3, 'T2'], [4, 'T3']]);
  });

  it('rejects rows with the wrong column count, with their line, and goes on', async () => {
    const text = `${HEAD}\nT1,P,2024-05-04 02:18,1,approved\nT2,P,2024-05-04 02:19\nT3,P,2024-05-04 02:20,3,approved,surprise,more\nT4,P,2024-05-04 02:21,4,approved\n`;
    const { rows, problems } = await parseCsv(text);
    expect(rows.map((r) => [r.line, r.fields.txnId])).toEqual([
      [2, 'T1'],
      [5, 'T4'],
    ]);
    expect(problems).toEqual([
      { line: 3, reason: 'expected 5 columns, got 3', raw: 'T2,P,2024-05-04 02:19' },
      { line: 4, reason: 'expected 5 columns, got 7', raw: 'T3,P,2024-05-04 02:20,3,approved,surprise,more' },
    ]);
  });

  it('accepts trailing empty cells past the header (Excel padding) as the same row shape', async () => {
    const { rows, problems } = await parseCsv(`${HEAD}\nT1,P,2024-05-04 02:18,1,approved,,\t,\n`);
    expect(problems).toEqual([]);
    expect(rows[0].fields).toEqual({ txnId: 'T1', terminalId: 'P', timestamp: '2024-05-04 02:18', amount: '1', status: 'approved' });
  });

  it('keeps unknown columns in fields.extra under their header name, empty ones left out', async () => {
    const text = `${HEAD},Store Name,Cashier,responseCode\nT1,P,2024-05-04 02:18,1,declined,Main St,,05\n`;
    const { rows } = await parseCsv(text);
    expect(rows[0].fields).toEqual({
      txnId: 'T1',
      terminalId: 'P',
      timestamp: '2024-05-04 02:18',
      amount: '1',
      status: 'declined',
      responseCode: '05',
      extra: { 'Store Name': 'Main St' },
    });
  });

  it('detects semicolon, tab and pipe delimiters from the header line', async () => {
    const semi = await parseCsv(`txnId;terminalId;timestamp;amount;status\nT1;P;2024-05-04 02:18;"1,50";approved\n`);
    expect(semi.info.format).toBe('csv');
    expect(semi.info.delimiter).toBe(';');
    expect(semi.rows[0].fields.amount).toBe('1,50');
    const tab = await parseCsv(`txnId\tterminalId\ttimestamp\tamount\tstatus\r\nT1\tP\t2024-05-04 02:18\t1,234.50\tapproved\r\n`);
    expect(tab.info.format).toBe('tsv');
    expect(tab.rows[0].fields.amount).toBe('1,234.50');
    const pipe = await parseCsv(`txnId|terminalId|timestamp|amount|status\nT1|P|2024-05-04 02:18|1|approved\n`);
    expect(pipe.rows[0].fields.terminalId).toBe('P');
  });

  it('honours a forced delimiter', async () => {
    const { info, rows } = await parseCsv(`txnId;terminalId;timestamp;amount;status\nT1;P;2024-05-04 02:18;1;approved\n`, { delimiter: ';' });
    expect(info.delimiter).toBe(';');
    expect(rows).toHaveLength(1);
    const err = await headerError(`txnId;terminalId;timestamp;amount;status\n`, { delimiter: ',' });
    expect(err.code).toBe('CSV_NO_HEADER');
  });

  it('strips Excel guards: leading backtick, ="...", padding and a quoted value padded after its quote', async () => {
    const text =
      '交易时间,终端号,交易单号,交易金额,交易状态,应答码\n' +
      '`2021-01-28 17:07:11,`POS-9,="00012345",`0.01  ,`SUCCESS,"=""05"""\n' +
      '2021-01-28 17:08:00 ,"POS-9"\t,"00012346"   ,1.00\t,SUCCESS\t,00\n';
    const { rows, problems } = await parseCsv(text);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.fields)).toEqual([
      { timestamp: '2021-01-28 17:07:11', terminalId: 'POS-9', txnId: '00012345', amount: '0.01', status: 'SUCCESS', responseCode: '05' },
      { timestamp: '2021-01-28 17:08:00', terminalId: 'POS-9', txnId: '00012346', amount: '1.00', status: 'SUCCESS', responseCode: '00' },
    ]);
  });

  it('maps Chinese headers through the built-in aliases and joins 交易日期 + 交易时间', async () => {
    const text =
      '商户号,终端号,交易日期,交易时间,交易类型,交易批次号,凭证号,参考号,卡号,交易金额（元）,应答码,交易状态,失败原因,备注\n' +
      '898310000000001,10000001,2024/5/4,2:18:09,消费,000123,000456,412345678901,6222****1234,"¥1,234.56",51,交易失败,余额不足,午市\n';
    const { info, rows } = await parseCsv(text);
    expect(info.kinds).toEqual(['terminal']);
    expect(rows[0].fields).toEqual({
      merchantId: '898310000000001',
      terminalId: '10000001',
      timestamp: '2024/5/4 2:18:09',
      txnId: 'L2',
      type: '消费',
      batchId: '000123',
      stan: '000456',
      rrn: '412345678901',
      cardRef: '6222****1234',
      amount: '¥1,234.56',
      responseCode: '51',
      status: '交易失败',
      message: '余额不足',
      extra: { 备注: '午市' },
    });
  });

  it('skips a preamble (# lines, title lines) and summary rows after the data, each with its line', async () => {
    const text = [
      '#支付宝业务明细查询',
      '#账号：[20885212319120680156]',
      'Exported by "Back Office', // an unbalanced quote in a preamble must not swallow the file
      '',
      'Terminal ID,Time,Amount,Status,Response Code',
      'T-1,2024-05-04 02:18,1.00,approved,00',
      'T-1,2024-05-04 02:19,2.00,declined,51',
      '总交易单数,应结订单总金额,退款总金额',
      '2,3.00,0.00',
      '#导出时间：[2024年05月05日 00:00:00]',
      '',
    ].join('\n');
    const { info, rows, problems, skips } = await parseCsv(text);
    expect(info.skippedLines).toBe(4);
    expect(info.headerLine).toBe(5);
    expect(rows.map((r) => [r.line, r.fields.terminalId, r.fields.txnId])).toEqual([
      [6, 'T-1', 'L6'],
      [7, 'T-1', 'L7'],
    ]);
    expect(problems).toEqual([]);
    // Skips carry their text (inspect shows it); matched here by line and reason.
    expect(skips).toMatchObject([
      { line: 1, reason: 'export preamble before the header row' },
      { line: 2, reason: 'export preamble before the header row' },
      { line: 3, reason: 'export preamble before the header row' },
      { line: 8, reason: 'summary/footer row, not a transaction' },
      { line: 9, reason: 'summary/footer row, not a transaction' },
      { line: 10, reason: 'summary/footer row, not a transaction' },
    ]);
  });

  it('skips a comment or a subtotal row alone; rows after them are still rows', async () => {
    const text = `${HEAD}\nT1,P,2024-05-04 02:18,1,approved\n# shift change\n合计,,,1,\nT2,P,2024-05-04 02:19,2,approved\nTotal:,,,3,\n`;
    const { rows, problems, skips } = await parseCsv(text);
    expect(rows.map((r) => [r.line, r.fields.txnId])).toEqual([
      [2, 'T1'],
      [5, 'T2'],
    ]);
    expect(problems).toEqual([]);
    expect(skips).toEqual([
      { line: 3, reason: 'comment line, not a transaction', raw: '# shift change' },
      { line: 4, reason: 'summary/footer row, not a transaction', raw: '合计,,,1,' },
      { line: 6, reason: 'summary/footer row, not a transaction', raw: 'Total:,,,3,' },
    ]);
  });

  it('skips the header row where it comes again (exports appended one to another): the rows read as the files apart', async () => {
    const a = `T1,P,2024-05-04 02:18,1,approved\nT2,P,2024-05-04 02:19,2,declined\n`;
    const b = `T3,P,2024-05-04 02:20,3,approved\n`;
    // Quoted the way Excel re-saves it, and with the UTF-8 mark a second export starts with.
    for (const again of [HEAD, HEAD.split(',').map((c) => `"${c}"`).join(','), `\uFEFF${HEAD}`, HEAD.toUpperCase(), 'TxnID,Terminal_Id,TimeStamp,Amount,Status']) {
      const joined = await parseCsv(`${HEAD}\n${a}${again}\n${b}`);
      const apart = await parseCsv(`${HEAD}\n${a}${b}`);
      expect(joined.problems).toEqual([]);
      expect(joined.rows.map((r) => r.fields)).toEqual(apart.rows.map((r) => r.fields));
      expect(joined.skips).toEqual([{ line: 4, reason: 'the header row again (files joined, or an export in pages), not a transaction', raw: again }]);
    }
  });

  it('warns when a column a field is read from has its header twice; the first is read, the other kept', async () => {
    const { rows, info } = await parseCsv('terminalId,timestamp,amount,status,Amount\nT1,2024-05-04 02:18,1.00,approved,9.00\n');
    expect(rows[0].fields).toMatchObject({ amount: '1.00', extra: { Amount: '9.00' } });
    expect(info.warnings).toEqual(['the header "amount" is on column 3 and again on column 5: column 3 is read, the other is kept as extra fields; rename or drop the column that is not meant']);
    // Two columns of one field under different aliases are the aliases' ranking, not a repeat.
    expect((await parseCsv('terminalId,timestamp,amount,status,金额\nT1,2024-05-04 02:18,1.00,approved,9.00\n')).info.warnings).toBeUndefined();
  });

  it('does not take a merchant named "Total ..." for a footer', async () => {
    const { rows, problems } = await parseCsv(`terminalId,timestamp,amount,status\nTotal Wine,2024-05-04 02:18,1,approved\n`);
    expect(problems).toEqual([]);
    expect(rows[0].fields.terminalId).toBe('Total Wine');
  });

  it('reads an events file and a settlement file by their fields', async () => {
    const ev = await parseCsv('terminal_id,timestamp,event,detail\nP1,2024-05-04T02:18:00Z,NETWORK_DOWN,4g lost\n');
    expect(ev.info.kinds).toEqual(['events']);
    expect(ev.rows[0].fields).toEqual({ terminalId: 'P1', timestamp: '2024-05-04T02:18:00Z', event: 'NETWORK_DOWN', detail: '4g lost' });
    const st = await parseCsv('RRN,Terminal ID,Settlement Date,Amount,Status\n412345678901,P1,2024-05-05,1.00,settled\n');
    expect(st.info.kinds).toEqual(['settlement']);
    expect(st.rows[0].fields).toEqual({ rrn: '412345678901', terminalId: 'P1', settlementDate: '2024-05-05', amount: '1.00', status: 'settled' });
  });

  it('yields batches as input arrives and accounts for every row', async () => {
    const body = Array.from({ length: 500 }, (_, i) => `T${i},P,2024-05-04 02:18,1,approved`).join('\n');
    const text = `${HEAD}\n${body}\nbad,row\n`;
    const r = await parseWith(text, 1000);
    expect(r.batches).toBeGreaterThan(5);
    expect(r.rows.length + r.problems.length).toBe(501);
    expect(r.rows.at(-1)!.line).toBe(501);
    expect(r.problems[0].line).toBe(502);
  });
});

describe('csvParser: forced kind', () => {
  it('reads only the forced kind and names only its fields when they are missing', async () => {
    const header = 'txnId,rrn,terminalId,timestamp,settlementDate,amount,status';
    const both = await parseCsv(`${header}\n`);
    expect(both.info.kinds).toEqual(['terminal', 'settlement']);
    const settlement = await parseCsv(`${header}\n`, { kind: 'settlement' } as Partial<ParseOptions>);
    expect(settlement.info.kinds).toEqual(['settlement']);
    const err = await headerError(`${HEAD}\n`, { kind: 'settlement' } as Partial<ParseOptions>);
    expect(err.message).toContain('settlement: txnId|rrn, terminalId, settlementDate, amount, status');
    expect(err.message).not.toContain('terminal: terminalId');
    expect(err.message).toContain('lacks settlement: settlementDate');
  });
});

describe('csvParser: no header', () => {
  it('lists the headers it saw and the fields each kind needs', async () => {
    const err = await headerError('Store,When,Total,Outcome\nMain,2024-05-04,1.00,ok\n');
    expect(err.code).toBe('CSV_NO_HEADER');
    expect(err.message).toContain('test.csv');
    expect(err.message).toContain('["Store","When","Total","Outcome"]');
    expect(err.message).toContain('terminal: terminalId, timestamp, status, amount');
    expect(err.message).toContain('settlement: txnId|rrn, terminalId, settlementDate, amount, status');
    expect(err.message).toContain('--mapping FILE');
    expect(err.message).toContain('--terminal/--settlement');
    expect(err.message).not.toContain('\n');
  });

  it('gives up after 200 lines of preamble', async () => {
    const text = 'note\n'.repeat(250) + `${HEAD}\nT1,P,2024-05-04 02:18,1,approved\n`;
    const err = await headerError(text);
    expect(err.code).toBe('CSV_NO_HEADER');
    expect(err.message).toContain('first 200 lines');
  });

  it('says so for an empty input', async () => {
    const err = await headerError('');
    expect(err.code).toBe('CSV_NO_HEADER');
    expect(err.message).toContain('the input is empty');
  });

  it('accepts a header-only file as zero rows', async () => {
    const { rows, problems, info } = await parseCsv(HEAD);
    expect(rows).toEqual([]);
    expect(problems).toEqual([]);
    expect(info.headers).toEqual(HEAD.split(','));
  });
});

describe('csvParser: damage stays where it is', () => {
  const header = 'txnId,terminalId,timestamp,amount,status,message';
  const row = (i: number) => `X${i},P1,2024-05-04 02:18,1.00,declined,"Do not honor, call ${i}"`;
  for (const at of [1, 17, 500, 999, 1000]) {
    for (const kind of ['an unclosed quote', 'a quote closed too late', 'an oversized cell'] as const) {
      it(`1,001 lines with ${kind} at row ${at}: at least 990 rows kept, the reject at its line`, async () => {
        const rows = Array.from({ length: 1000 }, (_, i) => row(i + 1));
        if (kind === 'an unclosed quote') rows[at - 1] = `X${at},P1,2024-05-04 02:18,1.00,declined,"Do not honor`;
        else if (kind === 'a quote closed too late') rows[at - 1] = `X${at},P1,2024-05-04 02:18,1.00,declined,"Do not "honor, x`;
        else rows[at - 1] = `X${at},P1,2024-05-04 02:18,1.00,declined,"${'x'.repeat(5 << 20)}"`;
        const { rows: kept, problems } = await parseWith(`${header}\n${rows.join('\n')}\n`, 65_536);
        expect(kept.length).toBeGreaterThanOrEqual(990);
        expect(kept.length + problems.length).toBe(1000);
        expect(problems.map((p) => p.line)).toContain(at + 1);
        expect(problems.every((p) => p.raw.length <= 4100)).toBe(true);
      });
    }
  }
});

describe('csvParser: every line is a row, a reject or one skip', () => {
  const SEPARATORS = ['---', '-----------', '===', '总笔数', '导出时间', 'summary', '总交易单数'];
  const record = (i: number) => `X${i},P${i % 3},2024-05-04 02:${String(i % 60).padStart(2, '0')},${i}.00,approved`;
  const count = (r: { rows: unknown[]; problems: unknown[]; skips: unknown[] }) => r.rows.length + r.problems.length + r.skips.length;

  it('for any position of a separator line, every record is read and only that line is skipped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.nat(), fc.constantFrom(...SEPARATORS), fc.constantFrom('', ',,,,', ',,,1.00,'), fc.constantFrom(1, 7, 64, 4096), async (n, at, sep, tail, size) => {
        const lines = Array.from({ length: n }, (_, i) => record(i + 1));
        const pos = at % (n + 1);
        lines.splice(pos, 0, sep + tail);
        const r = await parseWith(`${HEAD}\n${lines.join('\n')}\n`, size);
        expect(r.rows.map((x) => x.fields.txnId)).toEqual(Array.from({ length: n }, (_, i) => `X${i + 1}`));
        expect(r.problems).toEqual([]);
        expect(r.skips.map((s) => s.line)).toEqual([pos + 2]);
        // After the last record it is the footer it looks like; among the records, a separator.
        expect(r.skips[0].reason).toBe(pos === n ? 'summary/footer row, not a transaction' : 'separator line among the data, not a transaction');
        expect(count(r)).toBe(n + 1);
      }),
      { numRuns: 150 },
    );
  });

  it('reads a row as a record when it has the record shape, whatever its first cell looks like', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20 }), fc.nat(), fc.constantFrom(...SEPARATORS, '合计', 'Total:'), async (n, at, cell) => {
        const lines = Array.from({ length: n }, (_, i) => `一号店,${record(i + 1)}`);
        const k = at % n;
        lines[k] = `${cell},${record(k + 1)}`;
        const r = await parseWith(`门店,${HEAD}\n${lines.join('\n')}\n`, 7);
        expect(r.rows.map((x) => x.fields.txnId)).toEqual(Array.from({ length: n }, (_, i) => `X${i + 1}`));
        expect(r.rows[k].fields.extra).toEqual({ 门店: cell });
        expect(r.problems).toEqual([]);
        expect(r.skips).toEqual([]);
      }),
    );
  });

  it('keeps a footer after the last record skipped, however many lines it has, and resumes at a record after it', async () => {
    const footer = ['总交易单数,应结订单总金额,退款总金额', '2,3.00,0.00', 'free text about the bill', '#导出时间：[2024年05月05日 00:00:00]', ',,,,'];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: footer.length }), fc.boolean(), async (n, f, more) => {
        const lines = [...Array.from({ length: n }, (_, i) => record(i + 1)), ...footer.slice(0, f)];
        if (more) lines.push(record(n + 1));
        const r = await parseCsv(`${HEAD}\n${lines.join('\n')}\n`);
        expect(r.rows.map((x) => x.fields.txnId)).toEqual(Array.from({ length: n + (more ? 1 : 0) }, (_, i) => `X${i + 1}`));
        const blank = footer.slice(0, f).filter((l) => l === ',,,,').length;
        expect(count(r)).toBe(lines.length - blank);
        if (!more) {
          expect(r.problems).toEqual([]);
          expect(r.skips.every((s) => s.reason === 'summary/footer row, not a transaction')).toBe(true);
        } else expect(r.skips[0]).toMatchObject({ line: n + 2, reason: 'separator line among the data, not a transaction' });
      }),
      { numRuns: 60 },
    );
  });

  const withMessage = (i: number, message: string) => `X${i},P1,2024-05-04 02:${String(i % 60).padStart(2, '0')},${i}.00,failed,${message}`;

  it('rejects the one line a runaway quote opens on, with its own text, and reads every line after it as a row', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 30 }), fc.nat(), fc.nat(), fc.constantFrom(1, 7, 4096), async (n, at, closeAt, size) => {
        const k = at % (n - 1);
        // Somewhere after it, a message holds a quote mid-cell that would close the runaway one.
        const c = k + 1 + (closeAt % (n - k - 1 || 1));
        const lines = Array.from({ length: n }, (_, i) => withMessage(i + 1, i === k ? '"PIN pad error' : i === c ? 'printer 3" paper out' : 'host timeout'));
        const r = await parseWith(`${HEAD},message\n${lines.join('\n')}\n`, size);
        expect(r.problems).toHaveLength(1);
        expect(r.problems[0].line).toBe(k + 2);
        expect(r.problems[0].raw).toBe(lines[k]);
        expect(r.problems[0].reason).toMatch(/^a quote opened in this row is not closed where the row should end \(line \d+ reads as a record of its own\)/);
        expect(r.rows.map((x) => x.fields.txnId)).toEqual(lines.map((_, i) => `X${i + 1}`).filter((_, i) => i !== k));
        expect(r.rows.find((x) => x.fields.txnId === `X${c + 1}`)!.fields.message).toBe('printer 3" paper out');
        expect(count(r)).toBe(n);
      }),
      { numRuns: 150 },
    );
  });

  it('still reads a quoted message with line breaks in it as one row', async () => {
    const line = fc.stringMatching(/^[a-z][a-z ,0-9:-]{0,30}$/);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(line, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 10 }), fc.constantFrom('message', 'first'), async (messages, where) => {
        const quoted = (m: string[]) => `"${m.join('\n')}"`;
        const lines = messages.map((m, i) => (where === 'message' ? withMessage(i + 1, quoted(m)) : `${quoted(m)},${withMessage(i + 1, 'x')}`));
        const head = where === 'message' ? `${HEAD},message` : `note,${HEAD},message`;
        const r = await parseCsv(`${head}\n${lines.join('\n')}\n`);
        expect(r.problems).toEqual([]);
        expect(r.rows.map((x) => (where === 'message' ? x.fields.message : (x.fields.extra as Record<string, string>).note))).toEqual(messages.map((m) => m.join('\n').trim()));
      }),
      { numRuns: 60 },
    );
  });
});
