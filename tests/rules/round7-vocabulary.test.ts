// Classes of wording added in round 7 (docs/vocabulary.md): each reads as its cause, and the generic word it
// contains no longer decides (an authorization window passing is not an expired card, a merchant's reserve
// balance is not the cardholder's, Taiwan's 網路交易 is a channel, not the link, and 發卡系統 is the issuer).
import { describe, expect, it } from 'vitest';
import { phraseCause as causeOf } from './helpers.js';

const CASES: [string, string][] = [
  // Taiwan acquirer wording: 發卡系統 is the issuer, 特店 the merchant, 網路交易 an online transaction.
  ['請與發卡系統聯絡', 'issuer_decline'],
  ['无效的发卡系统', 'card'],
  ['查無此特店資料', 'configuration'],
  ['暫時停止特店交易', 'configuration'],
  ['拒絕商家進行此網路交易', 'configuration'],
  ['網路特店編號錯誤', 'configuration'],
  // A gateway's or server's own processing failing, restarting or shutting down.
  ['伺服器忙碌，請稍後再試', 'issuer_platform'],
  ['数据库连接失败', 'issuer_platform'],
  ['记忆体配置异常', 'issuer_platform'],
  ['系統重新啟動中', 'issuer_platform'],
  // The batch's state at the host, and a batch settlement that did not complete.
  ['批次狀態不正確', 'reconciliation'],
  ['交易批次编号已使用中', 'reconciliation'],
  ['Batch error', 'reconciliation'],
  ['批次结帐作业失败', 'cutoff'],
  // An authorization or refund window passing; an operation on a transaction already done.
  ['授權交易已超過有效期限', 'reconciliation'],
  ['Refund expired', 'reconciliation'],
  ['授权已被取消', 'reconciliation'],
  ['Transaction has been settled', 'reconciliation'],
  // A field compared with the original; a request the transaction's state or flow does not allow.
  ['授權碼比對有問題', 'transaction_data'],
  ['原交易状态不允许此操作', 'transaction_data'],
  ['违反交易法则', 'transaction_data'],
  ['Wrong transaction state', 'transaction_data'],
  // 3-D Secure on the issuer's side, and bank-side errors.
  ['無法取得 3D 發卡行資訊', 'issuer_platform'],
  ['其他银行端错误', 'issuer_platform'],
  // The merchant's own funds at the platform; quick-pay agreements.
  ['备付金余额不足', 'merchant_account'],
  ['預存款餘額不足', 'merchant_account'],
  ['协议已解约', 'cardholder_account'],
  ['Mandate not found', 'cardholder_account'],
  // A PIN called a password; SMS check codes.
  ['Max password tries reached', 'input_error'],
  ['短信校验码已过期', 'input_error'],
  ['动态码已过期', 'input_error'],
  // SDK names of devices, sessions, versions and settings; request field values.
  ['Payment device timeout', 'input_error'],
  ['Card interface error', 'terminal_hardware'],
  ['沒有連接設備', 'terminal_hardware'],
  ['Invalid session token', 'configuration'],
  ['Unsupported SDK version', 'terminal_software'],
  ['EMV parameters missing', 'configuration'],
  ['Mandatory value amount in wrong format', 'limits'],
  ['Order reference is non numeric', 'transaction_data'],
  ['Invalid price', 'limits'],
  // Taiwan link wording (連線, 等不到 an answer), 失竊, 安全識別碼; payer and 3-D Secure outcomes.
  ['與主機連線錯誤', 'network'],
  ['等不到主機回應', 'network'],
  ['失竊卡', 'fraud'],
  ['安全識別碼錯誤', 'input_error'],
  ['User dropped off the payment page', 'input_error'],
  ['ECI 7 returned', 'input_error'],
  ['Cardholder did not return from the ACS', 'input_error'],
  ['Card BIN not present', 'card'],
];

describe('round 7 phrase classes', () => {
  for (const [text, cause] of CASES) it(`${text} → ${cause}`, () => expect(causeOf(text)).toBe(cause));

  it('leaves the generic words their old readings', () => {
    // 有效期限 alone is still the card's expiry; the cardholder's balance is still theirs; a bare
    // "invalid password" stays a credential, as the earlier rounds read it.
    expect(causeOf('信用卡有效期限過期')).toBe('card');
    expect(causeOf('账户余额不足')).toBe('cardholder_account');
    expect(causeOf('Invalid password')).toBe('configuration');
  });
});
