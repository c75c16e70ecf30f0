// Round 8 (docs/vocabulary.md): three ways a message is built, read by how it is built rather than phrase by
// phrase. A heading names where an error came from and the rest says what it was; a failed comparison is data
// disagreeing with its record; "cannot do X" beside a reason is the consequence, the reason is why.
import { describe, expect, it } from 'vitest';
import { phraseCause as causeOf } from './helpers.js';

const HEADINGS = ['Pinpad error', 'System error', 'Device error', 'General error in fiscal device', 'ECR error', '读卡器异常', '系统错误'];
/** Details that name a reason of their own, with that reason's cause. */
const DETAILS: [string, string][] = [
  ['Invalid key number', 'configuration'],
  ['TMK is not loaded', 'configuration'],
  ['Insufficient funds', 'cardholder_account'],
  ['Transaction not found', 'reconciliation'],
  ['Use the chip reader', 'input_error'],
  ['卡已过期', 'card'],
  ['密码错误', 'input_error'],
];

describe('a heading, a colon, then what the error was', () => {
  it('reads as what follows the heading, whatever the heading', () => {
    for (const heading of HEADINGS) {
      for (const [detail, cause] of DETAILS) {
        expect(causeOf(`${heading}: ${detail}`), `${heading}: ${detail}`).toBe(cause);
        expect(causeOf(`${heading}：${detail}`), `${heading}：${detail}`).toBe(cause);
      }
    }
  });

  it('keeps the heading when what follows is a way of failing that could be anyone\'s', () => {
    // A timeout at a named device is that device's (or the cardholder's wait at it), not the link's.
    expect(causeOf('Card reader error: timeout')).toBe(causeOf('Card reader error timeout'));
    expect(causeOf('Card reader error: timeout')).not.toBe('network');
    expect(causeOf('Pinpad error: Timeout occurs')).toBe('terminal_hardware');
    // Nothing read after the heading: the heading's own reading stands.
    expect(causeOf('Pinpad error: Wrong PAN')).toBe(causeOf('Pinpad error'));
  });

  it('is no heading without a colon, or with a long sentence before it', () => {
    // Without the colon the words are one clause, and the PIN pad's error leads, as before.
    expect(causeOf('Pinpad error Invalid key number')).toBe('terminal_hardware');
    expect(causeOf('The terminal reported that the host had a communication error and then: insufficient funds')).toBe(
      causeOf('The terminal reported that the host had a communication error and then insufficient funds'),
    );
  });
});

describe('a failed comparison', () => {
  const COMPARED = ['銀行授權碼', '交易序號', '銀行幣值代號', '参考号', '流水号'];
  const WORDS = ['不符', '不一致', '不匹配'];

  it('is data disagreeing with its record, whatever was compared', () => {
    for (const what of COMPARED) for (const word of WORDS) expect(causeOf(`${what}${word}`), `${what}${word}`).toBe('transaction_data');
    expect(causeOf('Reference does not match')).toBe('transaction_data');
  });

  it('is what the cardholder typed wrong when it is the PIN, and still reads phrases of its own', () => {
    for (const word of WORDS) expect(causeOf(`密码${word}`)).toBe('input_error');
    expect(causeOf('PIN mismatch')).toBe('input_error');
    expect(causeOf('户名不符')).toBe('input_error');
    expect(causeOf('金额不符')).toBe('reconciliation');
  });

  it('says nothing alone about anything but a value', () => {
    expect(causeOf('不符')).toBe('transaction_data');
    expect(causeOf('mismatch')).toBe('transaction_data');
  });
});

describe('an error while a step was done', () => {
  it('is the platform failing, not the step happening', () => {
    for (const step of ['灰记录取消', '记账撤销', '取账户信息', '商户结算']) {
      expect(causeOf(`${step}发生错误：`), step).toBe('issuer_platform');
      expect(causeOf(`${step}時發生錯誤`), step).toBe('issuer_platform');
    }
    // Without the error, the step reads as itself.
    expect(causeOf('取消')).toBe('input_error');
  });

  it('stays the device\'s when the step names one', () => {
    expect(causeOf('读卡器发生错误')).toBe(causeOf('读卡器错误'));
    expect(causeOf('打印机发生错误')).toBe('terminal_hardware');
  });
});

describe('what could not be done, beside why', () => {
  it('reads the reason, not the refusal', () => {
    expect(causeOf('卡已过期,不支持该交易')).toBe('card');
    expect(causeOf('该笔订单号未找到,无法撤销或退款')).toBe('reconciliation');
    expect(causeOf('Transaction not found, cannot refund')).toBe('reconciliation');
  });

  it('keeps the refusal when nothing else is said', () => {
    expect(causeOf('不支持该交易')).toBe('configuration');
    expect(causeOf('3-D Secure not supported')).toBe('configuration');
  });
});
