import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingest, planInput } from '../../src/ingest.js';
import { Zone } from '../../src/time.js';
import type { Reject } from '../../src/model.js';

const dir = mkdtempSync(join(tmpdir(), 'txlog-prop-'));
const normalizeOptions = { zone: new Zone('UTC'), currency: 'CNY' };

const validTxn = fc.record({
  txnId: fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim().length > 0),
  terminalId: fc.constantFrom('T1', 'T2', '终端3'),
  timestamp: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  amount: fc.integer({ min: 0, max: 10_000_000 }).map((n) => (n / 100).toFixed(2)),
  status: fc.constantFrom('approved', 'declined', 'failed', 'timeout', 'terminated'),
  responseCode: fc.option(fc.constantFrom('00', '05', '51', 'Z3', 'A0'), { nil: undefined }),
}).map((o) => JSON.stringify(o));

// Lines that must never crash the run: noise, half objects, wrong types, bad dates, negative amounts.
const garbage = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('latin1')),
  validTxn.map((s) => s.slice(0, Math.max(1, Math.floor(s.length / 2)))),
  fc.constantFrom('[1,2]', '"text"', 'null', '{}', '{"txnId":"x","terminalId":"T","timestamp":"2026-02-30","amount":"1","status":"approved"}',
    '{"txnId":"x","terminalId":"T","timestamp":"2026-01-01T00:00:00Z","amount":"-1","status":"approved"}'),
);

async function run(path: string) {
  const rejects: Reject[] = [];
  let accepted = 0;
  const planned = await planInput(path, undefined, {});
  const account = await ingest(planned, normalizeOptions, {
    txn: () => accepted++,
    event: () => accepted++,
    settlement: () => accepted++,
    reject: (r) => rejects.push(r),
  }, {});
  return { account, rejects, accepted };
}

describe('ingest never loses a row', () => {
  it('NDJSON: for any mix of valid and garbage lines, read = accepted + rejected and every reject has its line', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(validTxn, garbage), { maxLength: 30 }), async (lines) => {
        const clean = lines.map((l) => l.replace(/[\r\n]/g, ' '));
        const path = join(dir, `p${n++}.ndjson`);
        writeFileSync(path, clean.join('\n'));
        const { account, rejects, accepted } = await run(path);
        expect(account.read).toBe(account.accepted + account.rejected);
        expect(account.accepted).toBe(accepted);
        expect(account.rejected).toBe(rejects.length);
        expect(account.read).toBe(clean.filter((l) => l.trim() !== '').length);
        for (const r of rejects) expect(clean[r.line - 1].trim() === '' ? 'blank' : 'line').toBe('line');
      }),
      { numRuns: 150 },
    );
  });

  it('JSON array: accounting holds for valid and broken arrays', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(validTxn, garbage), { maxLength: 15 }), async (items) => {
        const path = join(dir, `a${n++}.json`);
        writeFileSync(path, `[\n${items.map((l) => l.replace(/[\r\n]/g, ' ')).join(',\n')}\n]`);
        const { account } = await run(path);
        expect(account.read).toBe(account.accepted + account.rejected);
      }),
      { numRuns: 100 },
    );
  });
});
