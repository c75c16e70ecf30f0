// Data that must never be kept (PCI DSS 3.3: track data, PIN blocks, chip data, card verification values)
// under the many names exports and SDKs give it, and card numbers in rejected lines however long the line.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { keptRaw } from '../../src/ingest.js';
import { neverKept } from '../../src/policy.js';

const SECRET_NAMES = ['Track 2 Data', 'Track2 Equivalent Data', 'trk2', 'EMV Data', 'emvTags', 'ICC Data', 'ICC_Related_Data', 'Field 55', 'DE 55', 'field_55_icc', 'Tag 57', 'tag5A', 'tag_9F26', 'PIN Block', 'PINBLK', 'pin_block_hex', 'Encrypted PIN', 'ARQC', 'Cryptogram', 'CVV', 'cvv2', 'CVC2', '磁道信息', '二磁道数据', '55域数据', 'IC卡数据', '密码', '交易密码'];
const PLAIN_NAMES = ['terminalId', 'txnId', 'merchantId', 'trackingNumber', 'pinpad', 'PinPad status', '密码键盘状态', 'mapping', 'shipping', 'tag', 'deviceTag', 'field 39', 'responseCode', 'batchId', 'cardRef', 'stan', 'rrn', 'emvSupported', 'technology'];

async function analyze(dir: string, file: string): Promise<number> {
  return main(['analyze', '-q', file, '--tz', 'UTC', '--out', join(dir, 'out')], { stdout: () => {}, stderr: () => {}, color: false });
}

describe('data never kept', () => {
  it('is known by the names exports give it, and only by those', () => {
    for (const name of SECRET_NAMES) expect(neverKept(name), name).toBe(true);
    for (const name of PLAIN_NAMES) expect(neverKept(name), name).toBe(false);
  });

  it('is emptied from a rejected CSV line by its column, quoted or not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'txlog-secret-'));
    const file = join(dir, 't.csv');
    const header = 'txnId,terminalId,timestamp,amount,status,密码,CVV,PIN Block,ICC_Related_Data';
    writeFileSync(file, `${header}\nA1,T1,2026-11-16T09:00:00Z,5.00,BOGUS,123456,737,"12 34 56 78",9F26\nA2,T1,2026-11-16T09:01:00Z,5.00,approved,654321,838,1,2\n`);
    return analyze(dir, file).then((code) => {
      expect(code).toBe(0);
      const rejects = readFileSync(join(dir, 'out', 'rejects.ndjson'), 'utf8');
      for (const secret of ['123456', '737', '12 34 56 78', '9F26']) expect(rejects).not.toContain(secret);
      expect(rejects).toContain('A1,T1');
      for (const out of ['report.json', 'findings.ndjson', 'report.html']) {
        const text = readFileSync(join(dir, 'out', out), 'utf8');
        for (const secret of ['654321', '838']) expect(text, out).not.toContain(secret);
      }
    });
  });
});

describe('a rejected line', () => {
  it('is masked before it is cut, so no cut leaves a card number to rebuild', () => {
    for (let pad = 3980; pad <= 4000; pad++) {
      const raw = `{"x":"${'a'.repeat(pad)}","card":"4111111111111111"}`;
      const kept = keptRaw(raw);
      expect(kept.length).toBeLessThanOrEqual(4001);
      expect(kept.replace(/\D/g, ' ').split(' ').some((d) => d.length >= 12), String(pad)).toBe(false);
    }
  });
});

describe('a row nested too deeply to write', () => {
  it('is still read, its deep field said to be too deep', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'txlog-deep-'));
    const file = join(dir, 't.ndjson');
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    writeFileSync(file, `{"txnId":"A1","terminalId":"T1","timestamp":"2026-11-16T09:00:00Z","amount":5,"status":"declined","responseCode":"51","deep":${deep}}\n`);
    expect(await analyze(dir, file)).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { totals: { accepted: number } };
    expect(report.totals.accepted).toBe(1);
  });
});
