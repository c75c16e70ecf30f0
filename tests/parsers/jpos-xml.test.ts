import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../parsers/index.js';
import { jposXmlParser } from '../../parsers/jpos-xml.js';
import type { RawRow, RowProblem } from '../../parsers/types.js';
import { builtinTables } from '../../rules/tables.js';
import { analyze } from '../../src/analyze.js';
import { parseAll } from '../helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLE = path.resolve(repoRoot, '../shared/samples/lagotto_jcard_q2.log');
// The sample lives beside the repository, not in it: a bare clone skips its tests, and says so.
if (!existsSync(SAMPLE)) console.warn(`tests/parsers/jpos-xml.test.ts: real-sample tests skipped, ${SAMPLE} is missing (not part of the repository)`);

async function read(text: string, size = 7): Promise<{ rows: RawRow[]; problems: RowProblem[] }> {
  const { items } = await parseAll(jposXmlParser, text, size);
  return { rows: items.flatMap((i) => (i.row ? [i.row] : [])), problems: items.flatMap((i) => (i.problem ? [i.problem] : [])) };
}

interface Msg {
  side?: 'send' | 'receive';
  at?: string;
  fields: Record<string, string>;
  extra?: string;
}

/** One <log> event holding one message, the way Q2's channel logger writes it. */
function log({ side = 'send', at = 'Thu Dec 18 15:12:40 UYST 2014.14', fields, extra = '' }: Msg): string {
  const body = Object.entries(fields)
    .map(([id, v]) => (id === '4' && v.includes('|') ? `      <field id="4" currency="${v.split('|')[0]}" type="amount" value="${v.split('|')[1]}"/>` : `      <field id="${id}" value="${v}"/>`))
    .join('\n');
  return `<log realm="channel/127.0.0.1:9001" at="${at}" lifespan="1ms">
  <${side}>
    <isomsg direction="${side === 'send' ? 'outgoing' : 'incoming'}">
      <!-- org.jpos.iso.packager.GenericPackager[cfg/jcard.xml] -->
${body}${extra}
    </isomsg>
  </${side}>
</log>
`;
}

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<logger class="org.jpos.util.DailyLogListener">
<log realm="Q2.system" at="Thu Dec 18 15:12:37 UYST 2014.486" lifespan="292ms">
  <info>
    Q2 started, deployDir=/opt/jcard/deploy
  </info>
</log>
`;

const REQ = { '0': '2100', '2': '6009330000000021', '3': '000000', '4': '8582000000004100', '7': '1218151240', '11': '000000000012', '12': '20141218151240', '22': '10000000080000000004000001000000', '37': '180312760876', '41': '29110001', '42': '001001' };
const RESP = { ...REQ, '0': '2110', '4': '858|41.00', '39': '1002', '41': '29110001        ', '63': 'Card suspicious', '123': 'Invalid CVV' };

describe('jPOS Q2 XML parser', () => {
  it('emits one row per response, paired with its request, with the <log> start line and block text', async () => {
    // Client and server share the log: every message appears twice (client send, server receive...).
    const text =
      HEAD +
      log({ side: 'send', at: 'Thu Dec 18 15:12:40 UYST 2014.14', fields: REQ }) +
      log({ side: 'receive', at: 'Thu Dec 18 15:12:40 UYST 2014.15', fields: { ...REQ, '41': '29110001        ' } }) +
      log({ side: 'send', at: 'Thu Dec 18 15:12:40 UYST 2014.472', fields: RESP }) +
      log({ side: 'receive', at: 'Thu Dec 18 15:12:40 UYST 2014.473', fields: RESP }) +
      '</logger>\n';
    const responseLine = text.split('\n').findIndex((l) => l.includes('2014.472')) + 1;
    for (const size of [1, 7, 64, 100_000]) {
      const { rows, problems } = await read(text, size);
      expect(problems, `size ${size}`).toEqual([]);
      expect(rows, `size ${size}`).toHaveLength(1);
      const row = rows[0];
      expect(row.line).toBe(responseLine);
      expect(row.raw.startsWith('<log realm="channel/127.0.0.1:9001" at="Thu Dec 18 15:12:40 UYST 2014.472"')).toBe(true);
      expect(row.raw.trimEnd().endsWith('</log>')).toBe(true);
      expect(row.raw).not.toContain('6009330000000021');
      expect(row.fields).toMatchObject({
        txnId: '180312760876',
        terminalId: '29110001',
        merchantId: '001001',
        // The request's time (the attempt's start); Q2 writes milliseconds unpadded and UYST is UTC-2.
        timestamp: '2014-12-18T15:12:40.014-02:00',
        type: 'preauth',
        amount: '41.00',
        currency: 'UYU',
        status: 'declined',
        responseCode: '1002',
        codeProfile: 'jpos',
        message: 'Card suspicious: Invalid CVV',
        entryMode: 'swipe',
        rrn: '180312760876',
        stan: '000000000012',
        cardRef: '600933******0021',
        mti: '2110',
        processingCode: '000000',
      });
    }
  });

  it('reads Q2 system, channel and network-management events as no rows at all', async () => {
    const text =
      HEAD +
      `<log realm="channel/127.0.0.1:9001" at="Thu Dec 18 15:12:40 UYST 2014.43" lifespan="1ms">
  <connect>
    127.0.0.1:9001
  </connect>
</log>
` +
      log({ fields: { '0': '2800', '7': '1218151240', '11': '000000000001' } }) +
      log({ fields: { '0': '2810', '7': '1218151240', '11': '000000000001', '39': '0000' } }) +
      `<log realm="debug" at="Thu Dec 18 15:12:40 UYST 2014.474">
  <abort>
    <context>
      <entry key='RESPONSE'>
       <isomsg direction="outgoing">
         <field id="0" value="2110"/>
         <field id="11" value="000000000002"/>
         <field id="39" value="1011"/>
         <field id="41" value="29110001        "/>
       </isomsg>
      </entry>
    </context>
  </abort>
</log>
`;
    const { rows, problems } = await read(text);
    expect(rows).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('converts the three shapes of field 4 to major units', async () => {
    const base = { '0': '2210', '3': '000000', '11': '1', '39': '0000', '41': 'T1' };
    const { rows } = await read(
      log({ fields: { ...base, '11': '1', '4': '840|12.30' } }) +
        log({ fields: { ...base, '11': '2', '4': '8582000000150000' } }) +
        log({ fields: { ...base, '11': '3', '4': '000000001500', '49': '392' } }) +
        log({ fields: { ...base, '11': '4', '4': '000000001500', '49': '840' } }) +
        log({ fields: { ...base, '11': '5', '4': '000000001500', '49': 'EUR' } }) +
        log({ fields: { ...base, '11': '6', '4': '8400000000001234' } }),
    );
    expect(rows.map((r) => [r.fields.amount, r.fields.currency])).toEqual([
      ['12.30', 'USD'],
      ['1500.00', 'UYU'],
      ['1500', 'JPY'],
      ['15.00', 'USD'],
      ['15.00', 'EUR'],
      ['1234', 'USD'],
    ]);
    expect(rows.every((r) => r.fields.type === 'sale' && r.fields.status === 'approved')).toBe(true);
  });

  it('reads status from the code: CMF approvals, declines, system errors, issuer timeout, 2-digit ISO codes', async () => {
    const base = { '0': '2210', '3': '000000', '4': '8402000000001000', '41': 'T1' };
    const codes = ['0000', '0001', '1016', '1002', '9109', '9111', '1833', '00', '05'];
    const { rows } = await read(codes.map((c, i) => log({ fields: { ...base, '11': String(i + 1), '39': c } })).join(''));
    expect(rows.map((r) => [r.fields.responseCode, r.fields.status, r.fields.codeProfile])).toEqual([
      ['0000', 'approved', 'jpos'],
      ['0001', 'approved', 'jpos'],
      ['1016', 'declined', 'jpos'],
      ['1002', 'declined', 'jpos'],
      ['9109', 'failed', 'jpos'],
      ['9111', 'timeout', 'jpos'],
      ['1833', 'failed', 'jpos'],
      // Two-character codes are ISO 8583:1987: the run's --profile reads them.
      ['00', 'approved', undefined],
      ['05', 'declined', undefined],
    ]);
  });

  it('types from the processing code and MTI; a reversal gets its own id', async () => {
    const base = { '4': '8402000000001000', '39': '0000', '41': 'T1', '37': 'RRN1' };
    const { rows } = await read(
      log({ fields: { ...base, '0': '2210', '3': '200000', '11': '1' } }) +
        log({ fields: { ...base, '0': '2210', '3': '020000', '11': '2', '37': 'RRN2' } }) +
        log({ fields: { ...base, '0': '2110', '3': '310000', '11': '3', '37': 'RRN3' } }) +
        log({ fields: { ...base, '0': '2230', '3': '000000', '11': '4', '37': 'RRN4' } }) +
        log({ fields: { ...base, '0': '2430', '3': '000000', '11': '5', '7': '1218151240' } }) +
        log({ fields: { ...base, '0': '2430', '3': '000000', '11': '6', '37': '' , '7': '1218151241' } }),
    );
    expect(rows.map((r) => [r.fields.type, r.fields.txnId])).toEqual([
      ['refund', 'RRN1'],
      ['void', 'RRN2'],
      ['balance', 'RRN3'],
      ['completion', 'RRN4-2230'],
      ['reversal', 'RRN1-2430'],
      ['reversal', 'T1-6-1218151241-2430'],
    ]);
  });

  it('turns a request that never got an answer into a timeout row (unknown when the log ends right after)', async () => {
    const req = { '0': '2200', '3': '000000', '4': '8582000000004000', '11': '7', '37': 'R7', '41': 'T9' };
    const later = `<log realm="Q2.system" at="Thu Dec 18 15:14:00 UYST 2014.1">\n  <info>\n    alive\n  </info>\n</log>\n`;
    const timedOut = await read(log({ fields: req, at: 'Thu Dec 18 15:12:40 UYST 2014.500' }) + later);
    expect(timedOut.rows).toHaveLength(1);
    expect(timedOut.rows[0]).toMatchObject({ line: 1, fields: { txnId: 'R7', status: 'timeout', amount: '40.00', timestamp: '2014-12-18T15:12:40.500-02:00' } });
    const cut = await read(log({ fields: req, at: 'Thu Dec 18 15:12:40 UYST 2014.500' }));
    expect(cut.rows[0].fields.status).toBe('unknown');
    // The STAN reused by a new attempt (new transmission time): the first attempt was never answered.
    const again = await read(
      log({ fields: { ...req, '7': '1218151240' } }) +
        log({ fields: { ...req, '7': '1218151300', '37': 'R8' } }) +
        log({ fields: { ...req, '0': '2210', '7': '1218151300', '37': 'R8', '39': '0000' } }),
    );
    expect(again.rows.map((r) => [r.fields.txnId, r.fields.status])).toEqual([
      ['R7', 'timeout'],
      ['R8', 'approved'],
    ]);
  });

  it('makes a problem of a message that cannot be mapped, with its <log> start line', async () => {
    const ok = log({ fields: { '0': '2210', '3': '000000', '4': '8402000000001000', '11': '1', '39': '0000', '41': 'T1' } });
    const noMti = log({ fields: { '3': '000000', '11': '2', '39': '0000', '41': 'T1' } });
    const noTid = log({ fields: { '0': '2210', '3': '000000', '11': '3', '39': '0000' } });
    const noCode = log({ fields: { '0': '2210', '3': '000000', '11': '4', '41': 'T1' } });
    const cut = '<log realm="channel/x" at="Thu Dec 18 15:12:41 UYST 2014.1">\n  <receive>\n    <isomsg direction="incoming">\n      <field id="0" value="2210"/>\n';
    const text = ok + noMti + noTid + noCode + cut;
    const starts = text.split('\n').flatMap((l, i) => (l.startsWith('<log ') ? [i + 1] : []));
    const { rows, problems } = await read(text, 5);
    expect(rows.map((r) => r.line)).toEqual([starts[0]]);
    expect(problems.map((p) => p.line)).toEqual(starts.slice(1));
    expect(problems[0].reason).toMatch(/MTI/);
    expect(problems[1].reason).toMatch(/field 41/);
    expect(problems[2].reason).toMatch(/field 39/);
    expect(problems[3].reason).toMatch(/cut off/);
    expect(problems[3].raw).toContain('value="2210"');
  });

  it('is detected by content whatever the extension', () => {
    expect(detectFormat('q2.log', '<?xml version="1.0" encoding="UTF-8"?>\n<logger class="x">')).toBe('xml');
    expect(detectFormat('q2.log', '<logger class="org.jpos.util.DailyLogListener">\n')).toBe('xml');
    expect(detectFormat('-', '\n<log realm="Q2.system" at="x">')).toBe('xml');
    expect(detectFormat('export.xml', '')).toBe('xml');
    expect(detectFormat('q2.log', '{"a":1}')).toBe('ndjson');
  });
});

describe.skipIf(!existsSync(SAMPLE))('real sample: lagotto jCard Q2 log', () => {
  it('yields the 13 transactions of terminal 29110001, declined with 4-digit jPOS codes', async () => {
    const { rows, problems } = await read(readFileSync(SAMPLE, 'utf8'), 4093);
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(13);
    expect(new Set(rows.map((r) => r.fields.terminalId))).toEqual(new Set(['29110001']));
    expect(new Set(rows.map((r) => r.fields.txnId)).size).toBe(13);
    for (const r of rows) {
      expect(r.fields.status).toBe('declined');
      expect(r.fields.responseCode).toMatch(/^\d{4}$/);
      expect(r.fields.codeProfile).toBe('jpos');
      expect(r.fields.timestamp).toMatch(/^2014-12-18T15:12:40\.\d{3}-02:00$/);
    }
    const codes: Record<string, number> = {};
    for (const r of rows) codes[r.fields.responseCode as string] = (codes[r.fields.responseCode as string] ?? 0) + 1;
    expect(codes).toEqual({ '1011': 1, '1015': 2, '1002': 2, '1014': 1, '1803': 7 });
    expect(rows.find((r) => r.fields.responseCode === '1011')?.fields.message).toBe('Card not found: Card not found on database');
    expect(rows.filter((r) => r.fields.type === 'reversal')).toHaveLength(1);
  });

  it('analyzes end to end: nothing lost, every finding classified through the jpos table', async () => {
    const result = await analyze({ inputs: [SAMPLE], out: null, generatedAt: '2026-01-01T00:00:00Z' });
    expect(result.exitCode).toBe(0);
    const input = result.report.inputs[0];
    // Every ISO message is counted: the 13 transactions, and each request read with its response, each copy
    // from the other side of the connection and each network management message skipped with its reason.
    expect(input).toMatchObject({ format: 'xml', kind: 'terminal', read: 56, accepted: 13, rejected: 0, skipped: 43 });
    expect(input.read).toBe(input.accepted + input.rejected + input.skipped);
    expect(Object.keys(input.skippedBy).some((r) => /network management message/.test(r))).toBe(true);
    expect(Object.keys(input.skippedBy).some((r) => /a request, read as one transaction with its response/.test(r))).toBe(true);
    expect(result.findings).toHaveLength(13);
    const table = builtinTables().responseCodes.jpos;
    for (const f of result.findings) {
      expect(f.cause).not.toBe('unknown');
      // The code decides unless the host's own text names something more specific (a field of bad length
      // is a format error, whatever code carried it).
      if (f.reasons[0].source === 'responseCode') expect(f.cause, f.responseCode!).toBe(table[f.responseCode!].cause);
      else expect(f.evidence[0].text).toContain(f.message!.slice(0, 20));
    }
    expect(result.findings.toArray().filter((f) => f.reasons[0].source === 'responseCode').length).toBeGreaterThanOrEqual(12);
    expect(result.findings.toArray().find((f) => f.responseCode === '1002')?.cause).toBe('fraud');
    expect(result.findings.toArray().find((f) => f.responseCode === '1011')?.cause).toBe('card');
  });
});
