import { z } from 'zod';

// The cause catalogue as data (rendered into docs/causes.md by npm run docs). Ids are stable API.
export const CauseId = z.enum([
  'network',
  'issuer_decline',
  'cardholder_account',
  'card',
  'input_error',
  'terminal_hardware',
  'terminal_software',
  'configuration',
  'issuer_platform',
  'limits',
  'fraud',
  'merchant_risk',
  'merchant_account',
  'transaction_data',
  'compliance',
  'reconciliation',
  'cutoff',
  'environment',
  'unknown',
]);
export type CauseId = z.infer<typeof CauseId>;

export type Party = 'cardholder' | 'merchant' | 'terminal' | 'acquirer' | 'issuer' | 'network';
export type Retryable = 'yes' | 'later' | 'no' | null;

export interface Cause {
  id: CauseId;
  zh: string;
  en: string;
  whoActs: Party[];
  retryable: Retryable;
  remediation: { en: string; zh: string };
  /** Cardholder-side causes are background noise unless anomalous for a terminal. */
  background: boolean;
  /**
   * The evidence is about the card, not the attempt (a lost or stolen card, an expired one): a card tried again
   * and again at one terminal, over hours or days, is still one card there.
   */
  perCard: boolean;
}

const c = (
  id: CauseId,
  zh: string,
  en: string,
  whoActs: Party[],
  retryable: Retryable,
  remediationEn: string,
  remediationZh: string,
  background = false,
  perCard = false,
): Cause => ({ id, zh, en, whoActs, retryable, remediation: { en: remediationEn, zh: remediationZh }, background, perCard });

export const CAUSES: readonly Cause[] = [
  c('network', '网络问题', 'Network / connectivity', ['network', 'merchant'], 'yes',
    'Check signal strength; move the terminal or switch to a stronger source; verify IP address, port and gateway settings; add bandwidth; contact the network provider or the acquirer\'s support.',
    '检查网络信号，移动终端或使用更强的信号源；核对IP地址、端口号、网关等连接配置；增加带宽；联系网络服务商或收单机构技术支持。'),
  c('issuer_decline', '发卡行拒绝', 'Issuer declined (no specific reason)', ['cardholder', 'issuer'], 'later',
    'Ask the cardholder to contact the issuing bank; offer another payment method.',
    '请持卡人联系发卡银行；建议更换其他支付方式。', true),
  c('cardholder_account', '持卡人账户问题', 'Cardholder account: insufficient funds, closed, frozen', ['cardholder'], 'later',
    'Ask the cardholder to check the balance or account status with the issuing bank; offer another payment method.',
    '请持卡人核对账户余额或状态并联系发卡银行；建议更换其他支付方式。', true),
  c('card', '卡片问题', 'Card problem: expired, damaged, restricted, not activated, unknown number', ['cardholder'], 'no',
    'Check the card\'s validity and condition; reinsert or use another card; chip cards must be inserted.',
    '检查卡片是否有效、有无损坏；重新插卡或更换卡片；芯片卡请插卡操作。', true, true),
  c('input_error', '输入或操作错误', 'Cardholder or operator input: wrong PIN, PIN tries exceeded, wrong amount or card number, cancelled, chip card swiped', ['cardholder', 'merchant'], 'yes',
    'Give clear prompts and input validation; confirm large amounts; train staff; a terminal locked by too many wrong PINs needs the vendor to unlock it.',
    '提供清晰的提示与输入校验；大额交易增加确认步骤；加强员工培训；密码错误次数过多导致锁机需联系供应商解锁。', true),
  c('terminal_hardware', '终端硬件故障', 'Terminal hardware: printer, card reader, PIN pad, power/battery, display, storage, tamper', ['terminal'], 'no',
    'Check display, keyboard, printer and reader; restart; clean the reader; replace paper; contact after-sales service for repair or replacement.',
    '检查显示屏、键盘、打印机和读卡器；重启终端；清洁读卡器；更换纸卷；联系售后维修或更换。'),
  c('terminal_software', '终端软件问题', 'Terminal software: crash, outdated version, failed update, message format errors', ['terminal', 'acquirer'], 'no',
    'Restart; update to the latest version and patches; contact technical support.',
    '重启终端；更新到最新版本并安装补丁；联系技术支持。'),
  c('configuration', '配置问题', 'Configuration: merchant/terminal not registered, transaction type not enabled, security settings, keys/MAC, network settings', ['acquirer', 'merchant'], 'no',
    'Review the terminal\'s security and permission settings and the merchant registration; re-sign-on to refresh keys.',
    '检查终端的安全与权限设置及商户登记信息；重新签到以更新密钥。'),
  c('issuer_platform', '银行或支付平台故障', 'Issuer, bank or payment platform outage or maintenance', ['issuer', 'acquirer'], 'yes',
    'Check the bank\'s or platform\'s status; wait for maintenance to end; use another channel; escalate to the bank or platform when it recurs.',
    '了解银行或支付平台状态，等待维护结束；尝试其他支付渠道；频繁发生时与银行或平台协商解决。'),
  c('limits', '限额或渠道限制', 'Amount or frequency limits, channel restrictions', ['cardholder', 'merchant'], 'later',
    'Follow the channel\'s limits; split or lower the amount, or use another payment method.',
    '遵守支付渠道限额规定；拆分或降低金额，或更换支付方式。', true),
  c('fraud', '欺诈嫌疑', 'Suspected fraud: lost/stolen card, security violation, risk decline', ['issuer', 'merchant'], 'no',
    'Stop and review; keep evidence (receipts, records, video); report to the issuer or acquirer; strengthen monitoring.',
    '立即停止并核查；保存小票、交易记录和监控录像等证据；向发卡行或收单机构报告；加强监控。', false, true),
  c('merchant_risk', '商户风险', 'Merchant credit risk or risk hold', ['acquirer', 'merchant'], 'no',
    'Review the hold with the acquirer; provide the documents requested; strengthen merchant credit review.',
    '与收单机构核实风控冻结原因并提供所需材料；加强商户信用评估与审核。'),
  c('merchant_account', '商户账户问题', 'Merchant account: frozen, abnormal, wrong bank details (settlement cannot pay out)', ['merchant', 'acquirer'], 'no',
    'Check the settlement account\'s status and details; contact the bank when it is frozen.',
    '检查结算账户状态及账户信息是否准确；账户被冻结时联系银行处理。'),
  c('transaction_data', '交易信息错误', 'Transaction data error: invalid transaction, wrong type or merchant data', ['merchant', 'terminal'], 'no',
    'Verify amount, type and merchant information; tighten review before submission.',
    '核实交易金额、类型和商户信息；加强提交前的审核。'),
  c('compliance', '法规与合规', 'Legal or regulatory restriction, certification', ['acquirer', 'issuer'], 'no',
    'Bring the terminal and process up to current standards and certification.',
    '使终端和业务流程符合现行标准与认证要求。'),
  c('reconciliation', '对账不一致', 'Terminal and settlement records disagree: missing, orphaned, amount mismatch, duplicate', ['acquirer', 'merchant'], 'no',
    'Check transaction records and vouchers; confirm the status with the bank; run a batch upload for missing records.',
    '核对交易记录和凭证；与银行核实交易状态；对缺失记录执行批上送。'),
  c('cutoff', '日切或时间问题', 'Settlement cutoff, day-end processing, batch not closed in time, non-business hours', ['merchant', 'acquirer'], 'later',
    'Settle within the business window; re-run settlement after the cutover.',
    '在营业时间窗口内完成结算；日切完成后重新结算。'),
  c('environment', '环境或外部因素', 'Environment: power supply, temperature, interference; region-wide events', ['merchant'], 'later',
    'Keep the terminal clean, dry, away from heat and magnetic sources; provide stable power (UPS).',
    '保持终端清洁干燥，远离热源和磁干扰源；保证电力稳定（使用UPS）。'),
  c('unknown', '原因不明', 'No rule matched the evidence', [], null,
    'Inspect the evidence; add a code mapping or keyword rule with --rules when the cause is known.',
    '查看证据；确定原因后可通过 --rules 添加应答码映射或关键词规则。'),
];

export const CAUSE_BY_ID: ReadonlyMap<CauseId, Cause> = new Map(CAUSES.map((x) => [x.id, x]));

export function causeLabel(id: CauseId, lang: 'en' | 'zh'): string {
  const cause = CAUSE_BY_ID.get(id);
  return cause ? cause[lang] : id;
}

/**
 * Background rates per attempt, for measuring a terminal when the fleet is too small to be its baseline (a
 * merchant with one or a few terminals). Deliberately generous, so only a real fault stands out: card-present
 * approval rates run at 95–98% (Visa, Mastercard and UnionPay acquirer reports put declines at 2–5% of
 * attempts, most of them issuer and cardholder-side), and device, link and settlement problems at a fraction of
 * a percent each on a healthy terminal. Override any with `backgroundRates` in a --rules file; a --baseline
 * report of a previous run gives measured ones.
 */
export const EXPECTED_RATES: Readonly<Record<Exclude<CauseId, 'unknown'>, number>> = {
  issuer_decline: 0.025,
  cardholder_account: 0.02,
  card: 0.008,
  input_error: 0.02,
  limits: 0.005,
  fraud: 0.002,
  network: 0.008,
  issuer_platform: 0.004,
  terminal_hardware: 0.003,
  terminal_software: 0.002,
  configuration: 0.002,
  environment: 0.002,
  transaction_data: 0.002,
  compliance: 0.001,
  merchant_risk: 0.002,
  merchant_account: 0.002,
  reconciliation: 0.004,
  cutoff: 0.003,
};
