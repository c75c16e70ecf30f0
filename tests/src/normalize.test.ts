import { describe, expect, it } from 'vitest';
import { camelKey, eventKey, makeNormalizer, rowKind } from '../../src/normalize.js';
import { CardKeys } from '../../src/pan.js';
import { Zone } from '../../src/time.js';
import type { TerminalTxn } from '../../src/model.js';

const n = makeNormalizer({ zone: new Zone('Asia/Shanghai'), currency: 'CNY', cards: new CardKeys('test-key') });
const src = { file: 'f', line: 1 };
const base = { txnId: 't1', terminalId: 'T1', timestamp: '2026-11-20T10:00:00+08:00', amount: '12.30', status: 'declined' };

describe('normalize terminal transactions', () => {
  it('normalizes amounts, time, defaults and synonyms', () => {
    const t = n.txn({ ...base, status: 'Declined', entryMode: 'Chip Transaction', responseCode: '05' }, src, false) as TerminalTxn;
    expect(t).toMatchObject({ amount: 1230, currency: 'CNY', type: 'sale', status: 'declined', entryMode: 'chip', ts: Date.UTC(2026, 10, 20, 2) });
    expect((n.txn({ ...base, status: '交易成功' }, src, false) as TerminalTxn).status).toBe('approved');
  });

  it('reads a currency\'s name (RMB) as its ISO code and refuses a code ISO 4217 does not have', () => {
    expect((n.txn({ ...base, currency: 'RMB' }, src, false) as TerminalTxn).currency).toBe('CNY');
    expect((n.txn({ ...base, currency: 'usd' }, src, false) as TerminalTxn).currency).toBe('USD');
    expect(n.txn({ ...base, currency: 'XYZ' }, src, false)).toMatch(/currency: "XYZ" is not an ISO 4217 currency code/);
    expect(n.settlement({ txnId: 't1', terminalId: 'T1', settlementDate: '2026-11-21', amount: '1.00', status: 'settled', currency: 'RMB' }, src)).toMatchObject({ currency: 'CNY' });
  });

  it('reads a timestamp without offset in --tz', () => {
    const t = n.txn({ ...base, timestamp: '2026-11-20 10:00:00' }, src, false) as TerminalTxn;
    expect(t.ts).toBe(Date.UTC(2026, 10, 20, 2));
  });

  it.each([
    [{ ...base, timestamp: '2026-02-31 10:00' }, /timestamp/],
    [{ ...base, amount: 'twelve' }, /amount: "twelve" is not a decimal amount/],
    [{ ...base, amount: '-3.00' }, /negative; write refunds as type "refund"/],
    [{ ...base, status: 'maybe' }, /"maybe" is not a transaction status \(allowed: approved, declined/],
    [{ ...base, terminalId: '' }, /missing terminalId/],
    [{ ...base, txnId: undefined }, /missing txnId/],
    [{ ...base, amount: undefined }, /amount: missing/],
    [{ ...base, currency: 'yuan' }, /ISO 4217/],
    [{ ...base, type: 'gift' }, /not a transaction type/],
  ])('rejects %o with a reason', (fields, reason) => {
    const r = n.txn(fields as Record<string, unknown>, src, false);
    expect(typeof r).toBe('string');
    expect(r).toMatch(reason);
  });

  it('takes a negative amount in a merchant export as a refund', () => {
    expect(n.txn({ ...base, amount: '(99.00)' }, src, true)).toMatchObject({ type: 'refund', amount: 9900 });
  });

  it('keeps unknown fields in extra and masks full card numbers everywhere', () => {
    const t = n.txn({ ...base, cardRef: '4111111111111111', message: 'card 4111111111111111 refused', operator: 'amy', pan: '5555555555554444' }, src, false) as TerminalTxn;
    expect(t.cardRef).toBe('411111******1111');
    expect(t.message).toBe('card 411111******1111 refused');
    expect(t.extra).toEqual({ operator: 'amy', pan: '555555******4444' });
    expect(JSON.stringify(t)).not.toMatch(/4111111111111111|5555555555554444/);
  });

  it('does not lose a row for an unfamiliar entry mode', () => {
    const t = n.txn({ ...base, entryMode: 'telepathy' }, src, false) as TerminalTxn;
    expect(t.entryMode).toBeUndefined();
    expect(t.extra).toEqual({ entryMode: 'telepathy' });
  });

  it('allows a balance inquiry without an amount', () => {
    expect(n.txn({ ...base, type: 'balance', amount: undefined }, src, false)).toMatchObject({ type: 'balance' });
  });
});

describe('normalize events and settlement', () => {
  it('upper-snakes event names', () => {
    expect(n.event({ kind: 'event', terminalId: 'T1', timestamp: '2026-11-20T10:00:00Z', event: 'network down' }, src)).toMatchObject({ event: 'NETWORK_DOWN' });
  });
  it('reads the settlement status words of Chinese acquirers (清算, 入账)', () => {
    const line = (status: string) => n.settlement({ txnId: 't1', terminalId: 'T1', settlementDate: '2026-11-21', amount: '1.00', status }, src);
    for (const w of ['清算成功', '已清算', '入账成功', '已入账']) expect(line(w), w).toMatchObject({ status: 'settled' });
    for (const w of ['结算中', '清算中', '待入账']) expect(line(w), w).toMatchObject({ status: 'pending' });
  });

  it('needs txnId or rrn on a settlement line', () => {
    expect(n.settlement({ terminalId: 'T1', settlementDate: '2026-11-21', amount: '1', status: 'settled' }, src)).toMatch(/needs txnId or rrn/);
    expect(n.settlement({ rrn: '1', terminalId: 'T1', settlementDate: '2026-11-21', amount: '1', status: '已结算' }, src)).toMatchObject({ status: 'settled', amount: 100 });
    expect(n.settlement({ rrn: '1', terminalId: 'T1', settlementDate: '21/11/2026', amount: '1', status: 'settled' }, src)).toMatch(/business date/);
  });
});

describe('event names', () => {
  it('are one name however they are written: camelCase, PascalCase, spaces, hyphens, any case', () => {
    for (const n of ['NETWORK_DOWN', 'NetworkDown', 'networkDown', 'network down', 'Network-Down', 'network_down']) expect(eventKey(n), n).toBe('NETWORK_DOWN');
    for (const n of ['PINPadFault', 'PinpadFault', 'PINPAD_FAULT', 'pinpad fault']) expect(eventKey(n), n).toBe('PINPAD_FAULT');
    expect(eventKey('BatchCloseFailed')).toBe('BATCH_CLOSE_FAILED');
    // A name the tables do not know keeps its words.
    expect(eventKey('MyCustomEvent')).toBe('MY_CUSTOM_EVENT');
  });
});

describe('row kinds and keys', () => {
  it('tells transactions, events and settlement apart', () => {
    expect(rowKind({ kind: 'event', event: 'X' })).toBe('event');
    expect(rowKind({ event: 'REBOOT', terminalId: 'T' })).toBe('event');
    expect(rowKind({ settlementDate: '2026-01-01' })).toBe('settlement');
    expect(rowKind({ status: 'approved' })).toBe('txn');
  });
  it('camel-cases snake keys', () => {
    expect(camelKey('terminal_id')).toBe('terminalId');
    expect(camelKey('response-code')).toBe('responseCode');
    expect(camelKey('txnId')).toBe('txnId');
  });
});
