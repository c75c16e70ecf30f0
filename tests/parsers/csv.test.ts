import { describe, expect, it } from 'vitest';
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
