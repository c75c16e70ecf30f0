// The normalizer's fast path must be invisible: for any row, it gives exactly the record (same fields,
// same order) the general path gives, or it steps aside. fast-check generates rows of the common shape
// with hostile values mixed in: padding, card numbers, Excel's 3.1E+11, numbers for text, objects,
// synonyms, odd timestamps and amounts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeNormalizer } from '../../src/normalize.js';
import { CardKeys } from '../../src/pan.js';
import { PolicyStats } from '../../src/policy.js';
import { Zone } from '../../src/time.js';

const cards = new CardKeys('test-key');
const options = { zone: new Zone('Asia/Shanghai'), currency: 'CNY', cards };
const src = { file: 'f', line: 1 };

/** Mostly the common shape, now and then something hostile, so both paths and their border get exercised. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>) => fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: hostile });
const optional = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: a });

const hostileText = fc.oneof(
  fc.constantFrom('', ' ', ' padded ', 'card 6222021234567890123', '4111111111111111', '6222 0212 3456 7890', '3.10001E+11', 'x'.repeat(40) + '1234567890123'),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(true, null, { a: 1 }, [1], 1e21, 2 ** 60, 12.5, -3),
);
const text = mostly(fc.oneof(fc.constantFrom('A0', '05', 'Z3', 'COMM_TIMEOUT', '余额不足', 'Insufficient funds', 'V2.4.02', 'Newland N910', '4G', 'wifi'), fc.stringMatching(/^[A-Za-z0-9_ ]{0,10}[A-Za-z0-9]$/)), hostileText);
const id = mostly(
  fc.oneof(fc.constantFrom('T1', 'SZ-NS-7840', 'ORD-26111600174-000000', '000123', '898100070110982'), fc.integer({ min: 0, max: 1e9 }), fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,15}$/)),
  fc.constantFrom(' T2', '3.10001E+11', '6222021234567890123', '+1234', 2 ** 60, -5, null, ''),
);
const timestamp = mostly(
  fc.constantFrom('2026-11-16T05:56:48+08:00', '2026-11-16T05:56:48.125Z', '2026-03-29T02:30:00+01:00'),
  fc.constantFrom('2026-11-16 05:56:48', '2026/11/16 5:56', '20261116055648', '2026-02-30T10:00:00Z', '0001-01-01T00:00:00Z', 'yesterday', '', ' 2026-11-16T05:56:48Z', '2026-11-16T05:56:48+08', 1763272608, 1763272608123),
);
const status = mostly(fc.constantFrom('approved', 'declined', 'failed', 'timeout', 'terminated', 'reversed', 'unknown'), fc.constantFrom('SUCCESS', '交易成功', ' approved', 'nope', '', 7));
const type = optional(mostly(fc.constantFrom('sale', 'refund', 'void', 'balance', 'preauth'), fc.constantFrom('消费', 'Purchase', 'weird', '', 3)));
const amount = mostly(
  fc.oneof(fc.constantFrom('12.30', '0.01', '7'), fc.integer({ min: 0, max: 100000 }), fc.integer({ min: 0, max: 10000000 }).map((c) => c / 100)),
  fc.oneof(fc.constantFrom('-5.00', '¥1,234.56', '(99.00)', '1e-7', '12.345', '', ' 7.00', '9999999999999', null), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
);
const entry = optional(mostly(fc.constantFrom('chip', 'contactless', 'swipe', 'manual', 'fallback', 'qr'), fc.constantFrom('NFC', 'insert', 'magic', '', 5)));
const num = optional(mostly(fc.integer({ min: -120, max: 5000 }), fc.constantFrom('', '-81', 'abc', -500, 5000000, '1e3')));

const row = fc.record(
  {
    txnId: id, terminalId: id, merchantId: optional(id), timestamp, type, amount, currency: optional(mostly(fc.constantFrom('CNY', 'USD', 'JPY'), fc.constantFrom('usd', 'EURO', '', 4))), status,
    responseCode: optional(text), codeProfile: optional(mostly(fc.constantFrom('unionpay', 'iso'), fc.constantFrom('ISO', ' unionpay'))), errorCode: optional(text), message: optional(text), entryMode: entry,
    rrn: optional(id), stan: optional(id), authCode: optional(id), batchId: optional(id), cardRef: optional(mostly(fc.constantFrom('622848******1234', '4147 20** **** 1318', 'tok_2142fdfab85b5e46'), id)),
    softwareVersion: optional(text), model: optional(text), connection: optional(text), signalDbm: num, latencyMs: num,
    kind: optional(fc.constant('txn')), extraField: fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant('x') }),
  },
  { requiredKeys: [] },
);

describe('normalizer fast path', () => {
  it('gives exactly what the general path gives, for any row', () => {
    const quick = makeNormalizer(options, new PolicyStats());
    fc.assert(
      fc.property(row, (r) => {
        const fields = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
        const fast = quick.txn(fields, src, false);
        const general = makeNormalizer(options, new PolicyStats(), { fast: false }).txn(fields, src, false);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(general));
      }),
      { numRuns: 20_000 },
    );
    // Both paths were exercised, not one of them only.
    expect(quick.paths.fast).toBeGreaterThan(500);
    expect(quick.paths.general).toBeGreaterThan(500);
  });

  it('takes the fast path for the common shape', () => {
    const fields = { txnId: 'ORD-1', terminalId: 'SZ-1', timestamp: '2026-11-16T05:56:48+08:00', amount: 61.65, status: 'approved', responseCode: '00', entryMode: 'contactless', cardRef: '4147 20** **** 1318', signalDbm: -81 };
    const n = makeNormalizer(options, new PolicyStats());
    expect(n.txn(fields, src, false)).toMatchObject({ txnId: 'ORD-1', amount: 6165, cardKey: 'r:4147 20** **** 1318', signalDbm: -81 });
    expect(n.paths).toEqual({ fast: 1, general: 0 });
  });
});

const day = mostly(fc.constantFrom('2026-11-16', '2026-11-16T00:00:00+08:00', '2026-02-28'), fc.constantFrom('2026-02-30', '16/11/2026', ' 2026-11-16', '20261116', '', 'soon', 20261116, null));
const settlementStatus = mostly(fc.constantFrom('settled', 'failed', 'rejected', 'held', 'pending'), fc.constantFrom('SETTLED', '已结算', ' held', 'nope', '', 3));
const settlementRow = fc.record(
  {
    txnId: optional(id), rrn: optional(id), terminalId: id, merchantId: optional(id), settlementDate: day, batchId: optional(id), amount,
    currency: optional(mostly(fc.constantFrom('CNY', 'USD', 'JPY'), fc.constantFrom('usd', 'EURO', '', 4))), status: settlementStatus,
    reasonCode: optional(text), message: optional(text), kind: optional(fc.constant('settlement')),
  },
  { requiredKeys: [] },
);

describe('settlement fast path', () => {
  it('gives exactly what the general path gives, for any line', () => {
    const quick = makeNormalizer(options, new PolicyStats());
    fc.assert(
      fc.property(settlementRow, (r) => {
        const fields = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
        const fast = quick.settlement(fields, src);
        const general = makeNormalizer(options, new PolicyStats(), { fast: false }).settlement(fields, src);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(general));
      }),
      { numRuns: 20_000 },
    );
    expect(quick.paths.fast).toBeGreaterThan(500);
    expect(quick.paths.general).toBeGreaterThan(500);
  });
});
