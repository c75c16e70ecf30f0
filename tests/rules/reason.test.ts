import { rule } from '../../rules/reason.js';
import { mergeTables, builtinTables } from '../../rules/tables.js';
import { ruleTester, settlementSubject, txnSubject } from './helpers.js';

// The same fact through any channel gives the same cause; the most specific reason decides.
ruleTester(rule, {
  valid: [
    { name: 'no code, no text, declined', subject: txnSubject({ status: 'declined' }) },
    { name: 'approved code on a failed attempt', subject: txnSubject({ status: 'failed', responseCode: '00' }) },
    { name: 'a settlement finding is the settlement rules\' business', subject: settlementSubject('settlement_failed', { status: 'failed', reasonCode: 'R1' }) },
    { name: 'unknown code, no text', subject: txnSubject({ responseCode: 'QQ' }) },
  ],
  invalid: [
    { name: 'ISO 51', subject: txnSubject({ responseCode: '51' }), cause: 'cardholder_account', evidence: 'response code 51 (iso): Insufficient funds' },
    { name: 'ISO 05', subject: txnSubject({ responseCode: '05' }), cause: 'issuer_decline', evidence: 'response code 05 (iso)' },
    { name: 'ISO 54', subject: txnSubject({ responseCode: '54' }), cause: 'card', evidence: 'Expired card' },
    { name: 'ISO 55', subject: txnSubject({ responseCode: '55' }), cause: 'input_error', evidence: 'Incorrect PIN' },
    { name: 'UnionPay A0', subject: txnSubject({ responseCode: 'A0', codeProfile: 'unionpay' }), cause: 'configuration', evidence: 'response code A0 (unionpay)' },
    { name: 'ISO 96', subject: txnSubject({ responseCode: '96' }), cause: 'issuer_platform', evidence: 'System malfunction' },
    { name: 'ISO 61', subject: txnSubject({ responseCode: '61' }), cause: 'limits', evidence: 'response code 61' },
    { name: 'ISO 43', subject: txnSubject({ responseCode: '43' }), cause: 'fraud', evidence: 'Stolen card' },
    { name: 'ISO 60', subject: txnSubject({ responseCode: '60' }), cause: 'merchant_risk', evidence: 'response code 60' },
    { name: 'ISO 12', subject: txnSubject({ responseCode: '12' }), cause: 'transaction_data', evidence: 'response code 12' },
    { name: 'ISO 93', subject: txnSubject({ responseCode: '93' }), cause: 'compliance', evidence: 'response code 93' },
    { name: 'ISO 95', subject: txnSubject({ responseCode: '95' }), cause: 'reconciliation', evidence: 'response code 95' },
    { name: 'ISO 90', subject: txnSubject({ responseCode: '90' }), cause: 'cutoff', evidence: 'response code 90' },
    { name: 'Z3', subject: txnSubject({ responseCode: 'Z3', status: 'failed' }), cause: 'network', evidence: 'response code Z3' },
    { name: 'ISO 30', subject: txnSubject({ responseCode: '30' }), cause: 'terminal_software', evidence: 'response code 30' },
    { name: 'a code Excel stripped of its zero', subject: txnSubject({ responseCode: '5' }), cause: 'issuer_decline', evidence: 'response code 5 (iso)' },
    { name: 'terminal error code', subject: txnSubject({ status: 'timeout', errorCode: 'COMM_TIMEOUT' }), cause: 'network', evidence: 'terminal error COMM_TIMEOUT' },
    { name: 'an SDK name no table knows, read as text', subject: txnSubject({ status: 'terminated', errorCode: 'CANCELLED_BY_USER' }), cause: 'input_error', evidence: 'terminal error CANCELLED_BY_USER' },
    { name: 'message only, English', subject: txnSubject({ status: 'failed', message: 'Insufficient Balance' }), cause: 'cardholder_account', evidence: 'message "Insufficient Balance" reads as Insufficient funds' },
    { name: 'message only, Chinese', subject: txnSubject({ status: 'failed', message: '余额不足' }), cause: 'cardholder_account', evidence: '余额不足' },
    { name: 'a specific text beats a generic code', subject: txnSubject({ responseCode: '05', message: 'Insufficient funds' }), cause: 'cardholder_account', evidence: 'also read' },
    { name: 'a code quoted in the text', subject: txnSubject({ message: 'Declined, RC=51' }), cause: 'cardholder_account', evidence: 'Declined, RC=51' },
    { name: 'a device text', subject: txnSubject({ status: 'failed', message: 'PIN pad not responding' }), cause: 'terminal_hardware', evidence: 'PIN pad' },
    { name: 'power, in Chinese', subject: txnSubject({ status: 'terminated', message: '终端断电' }), cause: 'environment', evidence: '断电' },
    { name: "the merchant's own account", subject: txnSubject({ status: 'declined', message: 'merchant settlement account frozen' }), cause: 'merchant_account', evidence: 'merchant settlement account' },
    { name: 'a generic decline word beside a specific code', subject: txnSubject({ responseCode: '96', message: 'Declined: System error, retry later' }), cause: 'issuer_platform', evidence: 'System malfunction' },
    { name: 'a code in parentheses after the decline word', subject: txnSubject({ message: 'DECLINED (90) Day end in progress' }), cause: 'cutoff', evidence: 'Day-end cutover' },
    { name: 'a plain decline word alone', subject: txnSubject({ message: '拒绝交易' }), cause: 'issuer_decline', evidence: '拒绝交易' },
    { name: 'bare timeout', subject: txnSubject({ status: 'timeout' }), cause: 'network', evidence: 'status timeout: the terminal got no answer' },
    { name: 'a user profile code', subject: txnSubject({ responseCode: 'Q7', codeProfile: 'mybank' }), tables: mergeTables(builtinTables(), { responseCodes: { mybank: { Q7: { cause: 'limits', en: 'daily limit', source: 'user' } } } }), cause: 'limits', evidence: 'response code Q7 (mybank)' },
  ],
});
