import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mappingJsonSchema, mappingJsonSchemaText } from '../../parsers/mapping-schema.js';
import { parseProfile } from '../../parsers/mapping.js';
import { TxlogError } from '../../src/errors.js';

const SCHEMA_FILE = resolve('docs/mapping.schema.json');

function error(json: unknown): TxlogError {
  try {
    parseProfile(json, 'm.json');
  } catch (e) {
    return e as TxlogError;
  }
  throw new Error('expected the mapping to be refused');
}

describe('mapping keys', () => {
  it('docs/mapping.schema.json is the zod schema as generated (run `npm run docs` when this fails)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(mappingJsonSchemaText());
  });

  it('the schema names every key with a description, dateFormat and decimal included', () => {
    const props = mappingJsonSchema().properties as Record<string, { description?: string }>;
    expect(Object.keys(props)).toEqual(expect.arrayContaining(['$schema', 'name', 'columns', 'dateFormat', 'decimal', 'timeZone']));
    for (const [k, v] of Object.entries(props)) expect(v.description, k).toBeTruthy();
    expect(props.dateFormat.description).toContain('dd.MM.yyyy HH:mm:ss');
  });

  it('an unknown key lists the valid keys, at the top and among the fields', () => {
    expect(error({ pan: 'x' }).message).toMatch(/^invalid mapping profile m\.json at \$: unknown key "pan"; valid keys: \$schema, name, description, kind, .*dateFormat, decimal, timeZone$/);
    const e = error({ name: 'x', columns: { pan: 'Card', terminalId: 'T', timestamp: 'D', status: 'S', amount: 'A' } });
    expect(e.message).toMatch(/at \$\.columns: unknown key "pan"; valid keys: txnId, terminalId, .*cardRef/);
  });

  it('Moment-style DD.MM.YYYY is refused with the date-fns spelling to paste (exit 2)', () => {
    const e = error({ dateFormat: 'DD.MM.YYYY HH:mm' });
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('write "dd.MM.yyyy HH:mm" instead');
  });

  it('a mapping without columns only says how values are read; column-bound keys need columns', () => {
    expect(parseProfile({ $schema: './mapping.schema.json', dateFormat: 'dd.MM.yyyy', decimal: ',' }, 'm.json')).toMatchObject({ decimal: ',' });
    expect(error({ defaults: { currency: 'EUR' } }).message).toContain('defaults needs "columns"');
    expect(error({ columns: { terminalId: 'T', timestamp: 'D', status: 'S', amount: 'A' } }).message).toContain('needs a name');
  });

  it('the CLI refuses a bad mapping with exit 2 and one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'txlog-map-'));
    writeFileSync(join(dir, 'm.json'), '{"pan": 1}');
    writeFileSync(join(dir, 'x.csv'), 'terminalId,timestamp,amount,status\nT1,2025-03-04 09:00,1.00,approved\n');
    const r = spawnSync(process.execPath, [resolve('dist/src/cli.js'), 'analyze', join(dir, 'x.csv'), '--mapping', join(dir, 'm.json'), '-o', join(dir, 'out')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown key "pan"; valid keys:');
  });
});

describe('mapping conditions', () => {
  it('a "matches" that is no regular expression is refused when the mapping is read, naming where and how to fix it', () => {
    const when = (matches: string) => ({ name: 'x', kind: 'terminal', columns: { terminalId: 'T', timestamp: 'At', amount: 'Amt', status: 'S' }, when: [{ if: { note: { matches } }, set: { status: 'declined' } }] });
    for (const bad of ['[unclosed', '(', 'a{2,1}', '\\']) {
      const e = error(when(bad));
      expect(e.code, bad).toBe('MAPPING_INVALID');
      expect(e.message, bad).toMatch(/when\[0\]\.if\.note\.matches: .* is not a valid regular expression.*fix:/);
    }
    expect(() => parseProfile(when('^timeout|超时$'), 'm.json')).not.toThrow();
  });
});
