// Classes of wording added in round 6 (docs/vocabulary.md): each reads as its cause, and the generic word it
// contains no longer decides (a PIN-entry timeout is the cardholder's wait, not the link's; a field that
// disagrees with the original transaction is the data, not a missing original; a platform's journal write
// failing is the platform).
import { describe, expect, it } from 'vitest';
import { phraseCause as causeOf } from './helpers.js';

const CASES: [string, string][] = [
  ['退货卡号与原交易不匹配', 'transaction_data'],
  ['原交易类型错误，请核对', 'transaction_data'],
  ['更新交易流水失败', 'issuer_platform'],
  ['商户黑名单控制出现故障', 'issuer_platform'],
  ['应用尚未生效', 'card'],
  ['應用已失效', 'card'],
  ['脱机数据认证失败', 'card'],
  ['发卡行脚本执行失败', 'issuer_platform'],
  ['请尝试其他通信界面', 'input_error'],
  ['交易中卡片被移开', 'input_error'],
  ['输入PIN超时', 'input_error'],
  ['輸入密碼超時', 'input_error'],
  ['未搜寻到卡片', 'input_error'],
  ['感应区内卡片过多', 'input_error'],
  
  ['Modem not initialized', 'terminal_hardware'],
  ['Message does not start with STX', 'terminal_software'],
  ['RKI key load error', 'configuration'],
  ['IC卡参数下载失败', 'configuration'],
  ['Card profile not found', 'cardholder_account'],
  ['Transaction result is unknown, query later', 'network'],
  ['Bank communications error', 'issuer_platform'],
  ['Unable to verify address', 'input_error'],
  ['Terminal is not ready', 'terminal_software'],
  ['设备序列号有误', 'configuration'],
  ['账户未启用', 'card'],
  ['The reader configuration does not support this card type', 'card'],
];

describe('round 6 phrase classes', () => {
  for (const [text, cause] of CASES) it(`${text} → ${cause}`, () => expect(causeOf(text)).toBe(cause));

  it('a longer phrase still beats the generic journal wording', () => {
    // 清算流水失败 is a reconciliation failure, not the platform's journal write.
    expect(causeOf('清算流水失败')).toBe('reconciliation');
  });
});
