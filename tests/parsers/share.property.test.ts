// A share reads a line's terminal without parsing it (parsers/share.ts). Properties, on lines of every shape
// around the terminal field: a line the shares tell apart is kept by exactly one of them, every other line
// by all; and a kept row's terminal, as the normalizer will read it, hashes to the owner the line was given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvParser } from '../../parsers/csv.js';
import { ndjsonParser } from '../../parsers/ndjson.js';
import { RowShare, shardOf } from '../../parsers/share.js';
import type { FormatParser, RowItem } from '../../parsers/types.js';
import { camelKey } from '../../src/normalize.js';

const N = 3;

/** The items a core gives for the text, with a share (dropping from the start) or without. */
async function items(parser: FormatParser, text: string, k?: number): Promise<RowItem[]> {
  const share = k === undefined ? undefined : new RowShare(k, N);
  if (share) share.dropping = true;
  const core = await parser.open({ name: 'p', share, kind: 'terminal' }, { format: parser.id, profile: null, skippedLines: 0 });
  return [...core.push(text), ...core.end()];
}

const lineOf = (i: RowItem) => i.row?.line ?? i.problem?.line ?? i.skip!.line;
const kindOf = (i: RowItem) => (i.row ? 'row' : i.problem ? 'problem' : 'skip');

/** The terminal the normalizer reads from a row: the field, else a key that camel-cases to it; trimmed. */
function terminalOf(fields: Record<string, unknown>): string | undefined {
  let v = fields.terminalId;
  if (v === undefined) for (const [key, value] of Object.entries(fields)) if (camelKey(key) === 'terminalId') v = value;
  return typeof v === 'string' ? v.trim() : undefined;
}

async function holds(parser: FormatParser, text: string): Promise<void> {
  const all = await items(parser, text);
  const kinds = new Map(all.map((i) => [lineOf(i), kindOf(i)]));
  const seen = new Map<number, number>();
  for (let k = 0; k < N; k++) {
    for (const item of await items(parser, text, k)) {
      // What a line is (a row, a reject, a skipped non-record) does not depend on the lines a share dropped.
      expect(kindOf(item), `line ${lineOf(item)} in share ${k}`).toBe(kinds.get(lineOf(item)));
      const owner = item.owner ?? -1;
      if (owner >= 0) {
        expect(owner).toBe(k);
        seen.set(lineOf(item), (seen.get(lineOf(item)) ?? 0) + 1);
        const t = item.row ? terminalOf(item.row.fields) : undefined;
        if (t) expect(shardOf(t, N), `line ${lineOf(item)}: ${item.row!.raw}`).toBe(owner);
      } else seen.set(lineOf(item), (seen.get(lineOf(item)) ?? 0) + (k === 0 ? 1 : 0));
    }
  }
  // Every line the reader without a share gives is given by the shares: once if told apart, else by all.
  for (const item of all) expect(seen.get(lineOf(item)), `line ${lineOf(item)}`).toBe(1);
}

const plain = fc.stringMatching(/^[0-9A-Za-z_.:-]{1,14}$/);
const awkward = fc.oneof(
  plain,
  plain.map((s) => ` ${s} `),
  plain.map((s) => `${s}\u00e9`),
  plain.map((s) => `a"b${s}`),
  plain.map((s) => `${s}\\n`),
  fc.constant(''),
  fc.constant('terminal busy'),
  fc.constant('4111111111111111'),
);

describe('a share of NDJSON lines', () => {
  const member = fc.tuple(fc.constantFrom('terminalId', 'terminal_id', 'TerminalId', 'TERMINAL_ID', 'message', 'txnId', 'x"terminalId'), fc.oneof(awkward, fc.integer(), fc.record({ terminalId: awkward })));
  const line = fc.tuple(fc.array(member, { maxLength: 5 }), fc.constantFrom(0, 1), fc.boolean()).map(([members, space, broken]) => {
    const text = JSON.stringify(Object.fromEntries(members), null, space ? ' ' : undefined).replace(/\n\s*/g, space ? ' ' : '');
    return broken ? text.slice(0, -1) : text;
  });

  it('is kept by its owner alone when told apart, by every share otherwise, and the owner is the terminal the record has', async () => {
    await fc.assert(fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), (lines) => holds(ndjsonParser, lines.join('\n') + '\n')), { numRuns: 150 });
  });
});

describe('a share of CSV lines', () => {
  const cell = fc.oneof(
    awkward,
    plain.map((s) => `"${s}"`),
    plain.map((s) => `="${s}"`),
    plain.map((s) => `"${s},x"`),
  );
  const row = fc.tuple(fc.oneof(plain, fc.constantFrom('# note', '合计', 'Total:', '', '---', '总交易单数')), cell, fc.constantFrom('2026-11-16T10:00:00Z', 'x'), fc.constantFrom('approved', 'declined'), fc.boolean()).map(
    ([id, terminal, ts, status, short]) => (short ? `${id},${terminal}` : `${id},${terminal},${ts},sale,1.00,CNY,${status}`),
  );

  it('is kept by its owner alone when told apart, by every share otherwise, and the owner is the terminal cell as read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }), (rows) => holds(csvParser, ['txnId,terminalId,timestamp,type,amount,currency,status', ...rows].join('\n') + '\n')),
      { numRuns: 150 },
    );
  });
});
