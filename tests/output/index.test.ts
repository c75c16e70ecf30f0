import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTPUTS, renderSummary, writeOutputs } from '../../src/output/index.js';
import { sampleResult } from './sample-report.js';

const LANGS = ['en', 'zh'] as const;

describe('OUTPUTS', () => {
  it('registers the contracted files', () => {
    expect(OUTPUTS.map((o) => [o.id, o.file])).toEqual([
      ['json', 'report.json'],
      ['findings', 'findings.ndjson'],
      ['csv', 'terminals.csv'],
      ['markdown', 'report.md'],
      ['html', 'report.html'],
    ]);
  });

  it.each(OUTPUTS.flatMap((o) => LANGS.map((lang) => [o.id, lang, o] as const)))('%s (%s) is deterministic', (_, lang, o) => {
    const first = o.render(sampleResult(), { lang });
    expect(o.render(sampleResult(), { lang })).toBe(first);
    expect(o.render(structuredClone(sampleResult()), { lang })).toBe(first);
    if (o.chunks) expect(Array.from(o.chunks(sampleResult(), { lang })).join('')).toBe(first);
  });

  it('renders the summary deterministically', () => {
    for (const lang of LANGS) {
      expect(renderSummary(sampleResult(), { lang, color: true })).toBe(renderSummary(sampleResult(), { lang, color: true }));
    }
  });

  it('does not mutate the result', () => {
    const result = sampleResult();
    const before = structuredClone(result);
    for (const o of OUTPUTS) for (const lang of LANGS) o.render(result, { lang });
    renderSummary(result, { lang: 'zh', color: true });
    expect(result).toEqual(before);
  });
});

describe('writeOutputs', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes every file whole into its directory, nothing else', async () => {
    dir = await mkdtemp(join(tmpdir(), 'txlog-out-'));
    const out = dir;
    const result = sampleResult();
    const written = await writeOutputs(out, result, { lang: 'zh' });
    expect(written).toEqual(OUTPUTS.map((o) => join(out, o.file)));
    for (const o of OUTPUTS) expect(await readFile(join(out, o.file), 'utf8')).toBe(o.render(result, { lang: 'zh' }));
    expect((await readdir(out)).sort()).toEqual(OUTPUTS.map((o) => o.file).sort());
  });

  it('replaces existing files', async () => {
    dir = await mkdtemp(join(tmpdir(), 'txlog-out-'));
    await writeFile(join(dir, 'report.json'), 'stale');
    await writeOutputs(dir, sampleResult(), { lang: 'en' });
    expect(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')).schemaVersion).toBe(2);
  });
});
