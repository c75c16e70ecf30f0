import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
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
