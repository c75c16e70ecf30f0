import { rule } from '../../rules/settlement-message.js';
import { ruleTester, settlementSubject, txnSubject } from './helpers.js';
import type { CauseId } from '../../rules/causes.js';

// One settlement message per cause the keyword table can name at settlement.
const byCause: [CauseId, string, string][] = [
  ['network', '网络超时，结算未完成', '网络超时'],
  ['issuer_decline', 'Do not honor', 'Do not honor'],
  ['card', '卡已过期', '卡已过期'],
  ['input_error', '密码错误', '密码错误'],
  ['terminal_hardware', '打印机缺纸', '打印机缺纸'],
  ['terminal_software', '格式错误', '格式错误'],
  ['configuration', '终端未登记', '终端未登记'],
  ['issuer_platform', '银行系统维护中', '系统维护'],
  ['limits', '超过限额', '超过限额'],
  ['fraud', '疑似盗刷', '盗刷'],
  ['merchant_risk', '风控冻结，延迟结算', '风控冻结'],
  ['merchant_account', '商户账户冻结', '商户账户冻结'],
  ['transaction_data', '交易信息错误', '交易信息错误'],
  ['compliance', '违反监管规定', '监管'],
  ['reconciliation', '对账不平', '对账不平'],
  ['cutoff', 'batch arrived after cutoff', 'cutoff'],
  ['environment', '门店停电', '停电'],
];

ruleTester(rule, {
  valid: [
    { name: 'no message', subject: settlementSubject('settlement_failed', { status: 'failed' }) },
    { name: 'message with no keyword', subject: settlementSubject('settlement_failed', { status: 'failed', message: 'see attachment' }) },
    { name: 'authorization outcome', subject: txnSubject({ message: '余额不足' }) },
  ],
  invalid: [
    ...byCause.map(([cause, message, match]) => ({
      name: message,
      subject: settlementSubject('settlement_failed', { status: 'rejected', message }),
      cause,
      evidence: `contains "${match}"`,
    })),
    {
      name: 'cardholder account wording reads as the merchant settlement account',
      subject: settlementSubject('settlement_failed', { status: 'failed', message: '账户冻结' }),
      cause: 'merchant_account',
      evidence: "merchant's settlement account",
    },
  ],
});
