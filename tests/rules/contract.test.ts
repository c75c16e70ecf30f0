import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CAUSES } from '../../rules/causes.js';
import { RULES } from '../../rules/index.js';
import { CONTEXT_RULES } from '../../rules/context/index.js';
import type { Rule } from '../../rules/types.js';

// The build check of architecture.md: whatever was forgotten (registry line, test, cause) is named here.
const here = dirname(fileURLToPath(import.meta.url));
const rulesDir = join(here, '../../rules');
/** Files under rules/ that are not rules. */
const NOT_RULES = new Set(['causes.ts', 'reasons.ts', 'signals.ts', 'types.ts', 'tables.ts', 'vocabulary.ts', 'index.ts']);
const ruleFiles = readdirSync(rulesDir).filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f)).map((f) => f.slice(0, -3)).sort();
const registered = RULES.map((r) => r.meta.id);

const contextDir = join(rulesDir, 'context');
const contextFiles = readdirSync(contextDir).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.slice(0, -3)).sort();

describe('context rule contract', () => {
  it('every rules/context/<id>.ts is registered, has its test, and its meta.id is its file name', async () => {
    expect(contextFiles).toEqual(CONTEXT_RULES.map((r) => r.meta.id).sort());
    for (const id of contextFiles) {
      expect(existsSync(join(here, 'context', `${id}.test.ts`)), `tests/rules/context/${id}.test.ts`).toBe(true);
      const mod = (await import(`../../rules/context/${id}.ts`)) as { rule?: { meta: { id: string } } };
      expect(mod.rule?.meta.id).toBe(id);
    }
  });

  it('every rule, cause or context, writes each message in both languages with the same slots', () => {
    for (const r of [...RULES, ...CONTEXT_RULES]) {
      expect(Object.keys(r.meta.messages).length, r.meta.id).toBeGreaterThan(0);
      expect(typeof r.meta.strength, r.meta.id).toBe('number');
      for (const [key, m] of Object.entries(r.meta.messages)) {
        const slots = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1].replace(/Zh$/, '')).sort();
        expect(m.zh, `${r.meta.id}.${key}`).toMatch(/[\u4e00-\u9fff]/);
        expect(slots(m.zh), `${r.meta.id}.${key} slots`).toEqual(slots(m.en));
      }
    }
  });
});

describe('rule contract', () => {
  it('every rules/<id>.ts is in the registry', () => {
    expect(ruleFiles.filter((id) => !registered.includes(id)), 'rule files missing from rules/index.ts').toEqual([]);
  });

  it('every registered rule has rules/<id>.ts and tests/rules/<id>.test.ts', () => {
    expect(registered.filter((id) => !ruleFiles.includes(id)), 'meta.id without a rules/<id>.ts').toEqual([]);
    expect(registered.filter((id) => !existsSync(join(here, `${id}.test.ts`))), 'rules without tests/rules/<id>.test.ts').toEqual([]);
  });

  it('each rule file exports the registered rule and its meta.id is its file name', async () => {
    for (const id of ruleFiles) {
      const mod = (await import(`../../rules/${id}.ts`)) as { rule?: Rule };
      expect(mod.rule, `rules/${id}.ts exports no \`rule\``).toBeDefined();
      expect(mod.rule!.meta.id, `rules/${id}.ts`).toBe(id);
      expect(RULES, `rules/${id}.ts: the registry holds another object`).toContain(mod.rule);
    }
  });

  it('ids are unique and kebab-case; meta is complete', () => {
    expect(new Set(registered).size).toBe(registered.length);
    for (const r of RULES) {
      expect(r.meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.meta.causes.length, r.meta.id).toBeGreaterThan(0);
      expect(r.meta.needs.length, r.meta.id).toBeGreaterThan(0);
      expect(r.meta.title.trim(), r.meta.id).not.toBe('');
      expect(r.meta.description.trim(), r.meta.id).not.toBe('');
      for (const c of r.meta.causes) expect(CAUSES.map((x) => x.id), `${r.meta.id} declares ${c}`).toContain(c);
    }
  });

  it('every cause in the catalogue has a rule that can produce it', () => {
    const covered = new Set(RULES.flatMap((r) => r.meta.causes));
    expect(CAUSES.map((c) => c.id).filter((id) => !covered.has(id)), 'causes no rule declares').toEqual([]);
  });

  it('the last rule decides `unknown`, so every finding gets a rule', () => {
    expect(RULES[RULES.length - 1].meta.causes).toEqual(['unknown']);
  });

  it('each rule test file mentions every cause its rule declares', () => {
    for (const r of RULES) {
      const path = join(here, `${r.meta.id}.test.ts`);
      if (!existsSync(path)) continue; // reported above
      const text = readFileSync(path, 'utf8');
      const missing = r.meta.causes.filter((c) => !text.includes(`'${c}'`));
      expect(missing, `tests/rules/${r.meta.id}.test.ts does not test these causes`).toEqual([]);
    }
  });
});
