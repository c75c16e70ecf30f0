import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../parsers/index.js';
import { expandInputs, openSource, sniffEncoding } from '../../parsers/source.js';
import { TxlogError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'txlog-src-'));

async function readAll(path: string, encoding?: string): Promise<{ text: string; encoding: string; compressed: boolean }> {
  const s = await openSource(path, encoding);
  let text = '';
  for await (const chunk of s.text) text += chunk;
  return { text, encoding: s.encoding, compressed: s.compressed };
}

describe('source', () => {
  it('strips a UTF-8 BOM', async () => {
    const p = join(dir, 'bom.csv');
    writeFileSync(p, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n1,2\n')]));
    expect((await readAll(p)).text).toBe('a,b\n1,2\n');
  });

  it('detects GBK (as GB18030) from Excel exports', async () => {
    const gbk = Buffer.from([0xd6, 0xd5, 0xb6, 0xcb, 0xba, 0xc5, 0x2c, 0xbd, 0xf0, 0xb6, 0xee, 0x0a]); // 终端号,金额
    const p = join(dir, 'gbk.csv');
    writeFileSync(p, gbk);
    const r = await readAll(p);
    expect(r.encoding).toBe('gb18030');
    expect(r.text).toBe('终端号,金额\n');
  });

  it('keeps UTF-8 when a few bytes of noise sit among UTF-8 Chinese', () => {
    const buf = Buffer.concat([Buffer.from('{"m":"余额不足"}\n{"m":"密码错误"}\n'), Buffer.from([0xff, 0x00, 0x0a])]);
    expect(sniffEncoding(buf).encoding).toBe('utf-8');
  });

  it('decompresses gzip by its magic bytes, whatever the name', async () => {
    const p = join(dir, 'data.ndjson');
    writeFileSync(p, gzipSync('{"a":1}\n'));
    const r = await readAll(p);
    expect(r).toMatchObject({ text: '{"a":1}\n', compressed: true });
  });

  it('expands a directory to its data files, leaving out expectations and ground truth', async () => {
    const d = mkdtempSync(join(tmpdir(), 'txlog-dir-'));
    for (const f of ['b.csv', 'a.ndjson', 'expected.json', 'truth.ndjson', 'notes.md', 'c.json.gz']) writeFileSync(join(d, f), '');
    expect((await expandInputs([d])).map((p) => p.slice(d.length + 1))).toEqual(['a.ndjson', 'b.csv', 'c.json.gz']);
  });

  it('refuses a missing file with a TxlogError that names it', async () => {
    await expect(expandInputs(['/nope/terminal.ndjson'])).rejects.toThrow(TxlogError);
    await expect(expandInputs(['/nope/terminal.ndjson'])).rejects.toThrow(/\/nope\/terminal.ndjson: no such file/);
  });

  it('detects the format from the extension, else from the content', () => {
    expect(detectFormat('x.ndjson.gz', '')).toBe('ndjson');
    expect(detectFormat('x.json', '  [ {"a":1} ]')).toBe('json');
    expect(detectFormat('x.json', '{"a":1}\n{"a":2}')).toBe('ndjson');
    expect(detectFormat('-', 'a\tb\n1\t2')).toBe('tsv');
    expect(detectFormat('-', 'a,b\n1,2')).toBe('csv');
  });
});

describe('encoding by evidence', () => {
  const utf8Lines = ['余额不足', '密码错误', '交易超时'].map(
    (m, i) => JSON.stringify({ txnId: `X${i}`, terminalId: `T${i}`, timestamp: '2026-11-20T10:00:00Z', amount: '1.00', status: 'declined', message: m }),
  );
  it('300 UTF-8 files with a line of binary noise on top stay UTF-8, and the noise is the only reject', async () => {
    const { ingest, planInput } = await import('../../src/ingest.js');
    const { CardKeys } = await import('../../src/pan.js');
    const { Zone } = await import('../../src/time.js');
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let k = 0; k < 300; k++) {
      const noise = Buffer.from(Array.from({ length: 200 }, () => Math.floor(rand() * 256)).map((b) => (b === 10 || b === 13 ? 0x41 : b)));
      const body = Array.from({ length: 1 + Math.floor(rand() * 40) }, (_, i) => utf8Lines[i % 3].replace(/"X\d"/, `"X${i}"`)).join('\n');
      const p = join(dir, `noise${k}.ndjson`);
      writeFileSync(p, Buffer.concat([noise, Buffer.from('\n' + body + '\n')]));
      const s = await openSource(p);
      expect(s.encoding, `file ${k}`).toBe('utf-8');
      if (k % 30 === 0) {
        const rejects: string[] = [];
        const planned = await planInput(p, 'terminal', {});
        const account = await ingest(planned, { zone: new Zone('UTC'), currency: 'CNY', cards: new CardKeys() }, { txn() {}, event() {}, settlement() {}, reject: (r) => rejects.push(`${r.line}`) }, {});
        expect(rejects).toEqual(['1']);
        expect(account.read).toBe(account.accepted + account.rejected + account.skipped);
      }
    }
  });

  it('reads GB18030 when the bytes say so, with the reason, and rejects a UTF-8-invalid line in a UTF-8 file', async () => {
    const gb = join(dir, 'gbk.csv');
    writeFileSync(gb, iconv.encode('终端号,交易时间,交易金额,交易状态\nT1,2024-05-04 02:18,1.00,交易成功\n', 'gbk'));
    const s = await openSource(gb);
    expect(s.encoding).toBe('gb18030');
    expect(s.encodingReason).toMatch(/valid GB18030 and not UTF-8/);
    const r = await readAll(gb);
    expect(r.text).toContain('交易成功');
  });
});
