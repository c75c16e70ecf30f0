import { rule } from '../../rules/response-code.js';
import { ruleTester, txnSubject } from './helpers.js';
import type { CauseId } from '../../rules/causes.js';
import type { InvalidCase } from './helpers.js';

// One code per cause the iso and unionpay tables can name, plus profile differences.
const cases: [string, string, CauseId, string][] = [
  ['05', 'iso', 'issuer_decline', 'response code 05 (iso): Do not honour'],
  ['51', 'iso', 'cardholder_account', 'response code 51 (iso): Not sufficient funds'],
  ['54', 'iso', 'card', 'Expired card'],
  ['55', 'iso', 'input_error', 'Incorrect PIN'],
  ['19', 'unionpay', 'terminal_hardware', 'response code 19 (unionpay)'],
  ['30', 'iso', 'terminal_software', 'Format error'],
  ['A0', 'unionpay', 'configuration', 'MAC校验错'],
  ['96', 'iso', 'issuer_platform', 'System malfunction'],
  ['61', 'iso', 'limits', 'Exceeds withdrawal amount limit'],
  ['43', 'iso', 'fraud', 'Stolen card'],
  ['60', 'iso', 'merchant_risk', 'Card acceptor contact acquirer'],
  ['12', 'iso', 'transaction_data', 'Invalid transaction'],
  ['93', 'iso', 'compliance', 'violation of law'],
  ['95', 'iso', 'reconciliation', 'Reconcile error'],
  ['90', 'iso', 'cutoff', 'Cutoff is in process'],
  ['Z3', 'iso', 'network', 'Unable to go online, offline declined'],
  ['y3', 'iso', 'network', 'response code Y3 (iso)'],
  ['98', 'iso', 'network', 'Host unreachable'],
  ['98', 'unionpay', 'issuer_platform', '收不到发卡行应答'],
  ['59', 'iso', 'fraud', 'Suspected fraud'],
  ['59', 'unionpay', 'input_error', 'CVN'],
  ['5', 'iso', 'issuer_decline', 'Do not honour'],
  ['54', 'unionpay', 'card', '过期的卡'],
  ['6P', 'iso', 'compliance', 'KYC'],
];

ruleTester(rule, {
  valid: [
    { name: 'no response code', subject: txnSubject({ status: 'failed' }) },
    { name: 'blank response code', subject: txnSubject({ responseCode: '  ' }) },
    { name: 'approved code on a failed attempt falls through', subject: txnSubject({ status: 'failed', responseCode: '00' }) },
    { name: 'Y1 offline approved falls through', subject: txnSubject({ status: 'failed', responseCode: 'Y1' }) },
    { name: 'unknown code', subject: txnSubject({ responseCode: 'QQ' }) },
    { name: 'settlement outcome', subject: { ...txnSubject({ responseCode: '51', status: 'approved' }), outcome: 'unsettled' } },
  ],
  invalid: [
    ...cases.map(([code, profile, cause, evidence]): InvalidCase => ({ name: `${code} (${profile})`, subject: txnSubject({ responseCode: code, codeProfile: profile }), cause, evidence })),
    { name: 'run profile applies when the txn has none', subject: txnSubject({ responseCode: '98' }), profile: 'unionpay', cause: 'issuer_platform', evidence: '(unionpay)' },
    { name: 'unknown profile reads iso', subject: txnSubject({ responseCode: '51', codeProfile: 'acme' }), cause: 'cardholder_account', evidence: 'response code 51 (acme)' },
  ],
});
