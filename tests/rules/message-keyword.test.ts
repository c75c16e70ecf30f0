import { rule } from '../../rules/message-keyword.js';
import { builtinTables, mergeTables } from '../../rules/tables.js';
import { ruleTester, txnSubject } from './helpers.js';
import type { CauseId } from '../../rules/causes.js';
import type { InvalidCase } from './helpers.js';

const byCause: [string, CauseId, string][] = [
  ['Insufficient Balance', 'cardholder_account', 'contains "Insufficient Balance"'],
  ['交易失败：可用余额不足', 'cardholder_account', '可用余额不足'],
  ['Bad PIN', 'input_error', 'Bad PIN'],
  ['密码错误次数超限', 'input_error', '密码错误次数超限'],
  ['Bad Expiration', 'card', 'Bad Expiration'],
  ['Bad Card Number', 'card', 'Bad Card Number'],
  ['Technical Glitch', 'issuer_platform', 'processing-side fault'],
  ['网络超时，请重试', 'network', '网络超时'],
  ['Connection reset by peer', 'network', 'Connection'],
  ['打印机缺纸', 'terminal_hardware', '打印机缺纸'],
  ['程序闪退', 'terminal_software', '闪退'],
  ['MAC校验错，请重新签到', 'configuration', 'MAC校验错'],
  ['交易金额超限', 'limits', '交易金额超限'],
  ['挂失卡，请没收', 'fraud', '挂失'],
  ['商户风险', 'merchant_risk', '商户风险'],
  ['商户账户冻结', 'merchant_account', '商户账户冻结'],
  ['账户冻结', 'cardholder_account', '"账户冻结"'],
  ['交易信息错误', 'transaction_data', '交易信息错误'],
  ['交易违法', 'compliance', '违法'],
  ['重复交易', 'reconciliation', '重复交易'],
  ['系统日切，请稍后重试', 'cutoff', '日切'],
  ['门店停电', 'environment', '停电'],
  ['交易失败，请联系发卡行', 'issuer_decline', '请联系发卡行'],
  ['发卡方超时', 'issuer_platform', '发卡方超时'],
];

const userTables = mergeTables(builtinTables(), { keywords: [{ pattern: 'ERR-\\d{3}', regex: true, cause: 'terminal_software' }, { pattern: '余额', cause: 'limits' }] });

ruleTester(rule, {
  valid: [
    { name: 'no message', subject: txnSubject({ status: 'failed' }) },
    { name: 'message with no keyword', subject: txnSubject({ message: 'see receipt' }) },
    { name: 'settlement outcome', subject: { ...txnSubject({ status: 'approved', message: '余额不足' }), outcome: 'unsettled' } },
    { name: 'known error code is not text', subject: txnSubject({ status: 'failed', errorCode: 'COMM_TIMEOUT' }) },
  ],
  invalid: [
    ...byCause.map(([message, cause, evidence]): InvalidCase => ({ name: message, subject: txnSubject({ message }), cause, evidence })),
    { name: 'case-insensitive', subject: txnSubject({ message: 'INSUFFICIENT FUNDS' }), cause: 'cardholder_account', evidence: 'contains "INSUFFICIENT FUNDS"' },
    { name: 'unknown error code read as text', subject: txnSubject({ status: 'failed', errorCode: 'socket connection reset' }), cause: 'network', evidence: 'terminal error "socket connection reset"' },
    { name: 'user keywords first', subject: txnSubject({ message: '余额不足' }), tables: userTables, cause: 'limits', evidence: '余额' },
    { name: 'user regex keyword', subject: txnSubject({ message: 'fatal ERR-042 in kernel' }), tables: userTables, cause: 'terminal_software', evidence: 'ERR-042' },
  ],
});
