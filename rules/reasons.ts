import { z } from 'zod';
import type { CauseId } from './causes.js';

// The reason vocabulary: what a signal means, the same whether it arrived as an ISO or UnionPay code, an SDK
// error, a device event, a settlement status or an English or Chinese message (the jPOS CMF / Hyperswitch
// unified-code idea). Every code table entry and every phrase names one of these; cause rules decide from
// reasons, never from raw codes.
//
// `strength` is how specific the evidence is, declared once: when signals disagree the most specific wins.
// The scale, highest first:
//   90  settlement facts and the acquirer's own settlement reasons
//   80  the terminal's own device evidence (reader, printer, PIN pad, tamper, crash)
//   70  a specific host answer (no funds, expired card, wrong PIN, MAC error, limit)
//   60  the terminal's own communication evidence (it could not reach the host)
//   50  a host decline without a specific reason (do not honor, refer to issuer)
//   30  generic host codes that many faults produce (re-enter transaction 19, error 06, 96, 91, 68)
//   15  only the status says it (a timeout with no code or text)
//    5  a text that says nothing ("error", "failed")
// `generic` marks reasons context may reinterpret (inside a fleet incident, next to a device fault).

export const S = { settlement: 90, device: 80, specific: 70, comms: 60, decline: 50, generic: 30, status: 15, none: 5 } as const;

/** The device a reason can come from when that device is failing (context rules read it). */
/** `software`: the terminal's own software repeating itself (trace numbers reused: 94 at one terminal). */
export type Device = 'pinpad' | 'reader' | 'printer' | 'link' | 'software';

export const DEVICE_LABEL: Readonly<Record<Device, { en: string; zh: string }>> = {
  pinpad: { en: 'PIN pad', zh: '密码键盘' },
  reader: { en: 'card reader', zh: '读卡器' },
  printer: { en: 'printer', zh: '打印机' },
  link: { en: 'link', zh: '网络' },
  software: { en: 'terminal software', zh: '终端软件' },
};

export interface Reason {
  id: string;
  cause: CauseId;
  strength: number;
  generic?: boolean;
  device?: Device;
  /** Read from what is left of a text once no phrase names its subject ("Invalid Odometer"): the word model still reads the rest. */
  residual?: boolean;
  /** A bare refusal ("not allowed", "不支持") that no subject qualifies: the reason it sits beside in one clause says what is refused. */
  negation?: boolean;
  /**
   * What a phrase of this reason means when a bare refusal qualifies it in the same clause: its phrases name
   * something done (cancel, 3-D Secure, recurring, pre-authorization), and "3-D Secure not supported" or
   * "不支持取消" is a function not enabled, not a cardholder who cancelled or failed 3-D Secure.
   */
  refusedAs?: string;
  /** Names only a subject (a kind of card): it says nothing alone, and beside a bare refusal it is refusedAs. */
  subject?: boolean;
  /**
   * A device named as a subject ("card reader"): a way of failing that could be anyone's beside it (an error,
   * a failed start, a lost connection) is this device's fault; a timeout beside it is timeoutAs.
   */
  failsAs?: string;
  timeoutAs?: string;
  /** A subject that says nothing alone ("device", 线程, 最终选择): only a word of failing beside it makes it failsAs (rules/signals.ts FAILING). */
  quietAlone?: boolean;
  /** A field named as a subject ("card number"): "invalid" beside it in one clause is that field wrong. */
  invalidAs?: string;
  en: string;
  zh: string;
}

const r = (id: string, cause: CauseId, strength: number, en: string, zh: string, extra: Partial<Reason> = {}): Reason => ({ id, cause, strength, en, zh, ...extra });

export const REASONS: readonly Reason[] = [
  // issuer_decline
  r('do_not_honor', 'issuer_decline', S.decline, 'Do not honor', '发卡行不予承兑'),
  r('refer_to_issuer', 'issuer_decline', S.decline, 'Refer to card issuer', '请持卡人与发卡行联系'),
  // "Declined" says no more than the status does: any code or specific word beside it decides.
  r('generic_decline', 'issuer_decline', S.generic - 5, 'Declined by the issuer', '发卡行拒绝交易'),
  
  r('stop_payment_order', 'cardholder_account', S.specific, 'Stop payment or revocation order', '止付或撤销授权', { refusedAs: 'function_not_supported' }),
  // cardholder_account
  r('insufficient_funds', 'cardholder_account', S.specific, 'Insufficient funds', '余额不足'),
  r('account_closed', 'cardholder_account', S.specific, 'Account closed', '账户已销户'),
  r('account_frozen', 'cardholder_account', S.specific, 'Account frozen or blocked', '账户冻结'),
  r('no_account', 'cardholder_account', S.specific, 'No such account (cheque, savings or credit)', '无此账户'),
  // card
  r('expired_card', 'card', S.specific, 'Expired card', '卡片已过期'),
  r('invalid_card_number', 'card', S.specific, 'Invalid card number (no such number)', '无效卡号'),
  r('card_not_activated', 'card', S.specific, 'Card not activated', '卡片未激活'),
  r('restricted_card', 'card', S.specific, 'Restricted card, or transaction not permitted to the cardholder', '受限制的卡'),
  r('card_not_supported', 'card', S.specific, 'Card or card type not supported here', '此卡不能受理'),
  // A kind of card ("prepaid cards", "Amex", 外卡, 银联卡): alone it names no reason; beside a bare refusal
  // ("... not supported", 不支持...) it is that card not supported here.
  r('card_kind', 'card', S.none, 'A kind of card, named as what is refused', '卡种', { subject: true, refusedAs: 'card_not_supported' }),
  r('no_such_issuer', 'card', S.specific, 'No such issuer', '无此发卡行'),
  r('card_damaged', 'card', S.specific, 'Card damaged or chip unreadable', '卡片损坏', { device: 'reader' }),
  r('card_replaced', 'card', S.specific, 'Card replaced by a new one', '卡片已换卡'),
  // input_error
  r('wrong_pin', 'input_error', S.specific, 'Incorrect PIN', '密码错误', { device: 'pinpad' }),
  r('pin_tries_exceeded', 'input_error', S.specific, 'PIN tries exceeded', '密码错误次数超限', { device: 'pinpad' }),
  r('pin_required', 'input_error', S.specific, 'PIN required but not entered', '需要输入密码', { device: 'pinpad' }),
  r('wrong_cvv', 'input_error', S.specific, 'Incorrect CVV / security code', 'CVN 校验失败'),
  r('wrong_expiry', 'input_error', S.specific, 'Incorrect expiry date', '有效期错误'),
  r('wrong_zip', 'input_error', S.specific, 'Address or postal code does not match', '地址或邮编不符'),
  r('card_number_typed_wrong', 'input_error', S.specific, 'Card number typed wrong', '卡号输入错误'),
  r('cardholder_cancelled', 'input_error', S.specific, 'Cancelled by the cardholder or operator', '交易已取消', { refusedAs: 'function_not_supported' }),
  r('card_removed', 'input_error', S.specific, 'Card removed too early', '卡片被拔出', { device: 'reader' }),
  r('cardholder_timeout', 'input_error', S.specific, 'Timed out waiting for the cardholder (card or PIN)', '等待持卡人操作超时'),
  r('chip_card_swiped', 'input_error', S.specific, 'Chip card swiped or fallback refused: the chip must be used', '芯片卡请插卡', { device: 'reader' }),
  r('wrong_amount', 'input_error', S.specific, 'Wrong amount entered', '金额输入错误'),
  // A notch below the specific readings: "PIN entered incorrectly" is the PIN, "卡号输入错误" the card number.
  r('entry_error', 'input_error', S.specific - 1, 'Something typed or selected wrong at the terminal', '输入错误'),
  r('operator_password_wrong', 'input_error', S.specific, 'Operator password wrong', '操作员密码错误'),
  r('cardholder_auth_failed', 'input_error', S.specific, 'Cardholder authentication failed (3-D Secure, identity check)', '持卡人身份认证失败', { refusedAs: 'function_not_supported' }),
  r('multiple_cards', 'input_error', S.specific, 'More than one card presented to the contactless reader', '感应区内多卡', { device: 'reader' }),
  // terminal_hardware
  r('card_read_error', 'terminal_hardware', S.device, 'Card read error at the terminal (chip, magstripe or contactless reader)', '读卡失败', { device: 'reader' }),
  r('pinpad_fault', 'terminal_hardware', S.device, 'PIN pad fault', '密码键盘故障', { device: 'pinpad' }),
  r('printer_fault', 'terminal_hardware', S.device, 'Printer fault', '打印机故障', { device: 'printer' }),
  r('paper_out', 'terminal_hardware', S.device, 'Printer out of paper', '打印机缺纸', { device: 'printer' }),
  r('battery_low', 'terminal_hardware', S.device, 'Battery low', '电池电量低'),
  r('tamper_detected', 'terminal_hardware', S.device, 'Tamper detected: the terminal locked itself', '终端被攻击/防拆触发'),
  r('hardware_fault', 'terminal_hardware', S.device, 'Terminal hardware fault', '终端硬件故障'),
  // terminal_software
  r('app_crash', 'terminal_software', S.device, 'Application crashed', '应用程序崩溃'),
  r('software_error', 'terminal_software', S.device, 'Terminal software error', '终端软件错误'),
  r('format_error', 'terminal_software', S.specific, 'Message format error', '报文格式错误'),
  r('update_failed', 'terminal_software', S.device, 'Software update failed', '软件更新失败'),
  r('device_busy', 'terminal_software', S.device, 'Device busy (another operation in progress)', '设备忙'),
  r('buffer_overflow', 'terminal_software', S.specific, 'Buffer or field overflow in the terminal software', '域缓冲超限'),
  r('clock_error', 'terminal_software', S.device, 'Terminal clock wrong', '终端时钟错误'),
  // configuration
  r('invalid_merchant', 'configuration', S.specific, 'Invalid merchant (not registered or blocked)', '无效商户'),
  r('terminal_not_registered', 'configuration', S.specific, 'Terminal not registered or not enabled', '终端未登记'),
  r('transaction_not_permitted_terminal', 'configuration', S.specific, 'Transaction not permitted to the terminal', '不允许终端进行的交易'),
  r('function_not_supported', 'configuration', S.specific, 'Function or transaction type not supported', '请求的功能尚不支持'),
  // A bare "not allowed" / "not supported" / 不允许 names no subject: read as configuration only when nothing
  // else in the text says who or what does not allow it ("日切中，不允许交易" is the cutover, "该储种不允许…"
  // the product's restriction), like invalid_field below any specific reading.
  r('not_permitted', 'configuration', S.generic, 'Not allowed or not supported, with no subject named', '不允许或不支持', { residual: true, negation: true }),
  r('mac_error', 'configuration', S.specific, 'MAC check failed (keys out of sync)', 'MAC校验错'),
  r('key_error', 'configuration', S.specific, 'Key or PIN-block error (keys out of sync)', '密钥错误'),
  r('sign_on_required', 'configuration', S.specific, 'Sign-on required or failed', '需要重新签到'),
  r('config_missing', 'configuration', S.specific, 'Terminal parameters missing (CA keys, AIDs, host settings)', '终端参数缺失'),
  // issuer_platform
  r('issuer_unavailable', 'issuer_platform', S.generic, 'Issuer or switch inoperative', '发卡方不能操作', { generic: true }),
  r('system_malfunction', 'issuer_platform', S.generic, 'System malfunction', '系统异常', { generic: true }),
  r('issuer_error', 'issuer_platform', S.generic, 'Error at the issuer', '发卡行故障', { generic: true }),
  r('platform_maintenance', 'issuer_platform', S.specific, 'Bank or platform under maintenance', '系统维护'),
  r('pin_verification_unavailable', 'issuer_platform', S.specific, 'PIN cannot be verified now', '无法验证密码'),
  r('invalid_response', 'issuer_platform', S.generic, 'Invalid response from the host', '无效应答', { generic: true }),
  r('stand_in', 'issuer_platform', S.generic, 'Stand-in processing', '代授权处理', { generic: true }),
  // limits
  r('exceeds_amount_limit', 'limits', S.specific, 'Exceeds the amount limit', '超出金额限制'),
  r('exceeds_frequency_limit', 'limits', S.specific, 'Exceeds the frequency limit', '超出次数限制'),
  r('invalid_amount', 'limits', S.specific, 'Invalid amount (zero or too large)', '无效金额'),
  r('channel_restricted', 'limits', S.specific, 'Not allowed through this channel, region or branch', '渠道或地区限制'),
  // fraud
  r('suspected_fraud', 'fraud', S.specific, 'Suspected fraud', '有作弊嫌疑'),
  r('lost_card', 'fraud', S.specific, 'Lost card', '挂失卡'),
  r('stolen_card', 'fraud', S.specific, 'Stolen card', '被窃卡'),
  r('pickup_card', 'fraud', S.specific, 'Pick up card', '没收卡'),
  r('security_violation', 'fraud', S.specific, 'Security violation', '违反安全保密规定'),
  r('risk_decline', 'fraud', S.specific, 'Declined by risk control', '风控拒绝'),
  // merchant_risk / merchant_account
  r('merchant_risk_hold', 'merchant_risk', S.settlement, 'Merchant risk hold', '商户风险冻结'),
  r('contact_acquirer', 'merchant_risk', S.specific, 'Card acceptor to contact the acquirer', '受卡方与收单行联系'),
  r('merchant_account_problem', 'merchant_account', S.settlement, "Merchant's settlement account frozen, closed or wrong", '商户结算账户异常'),
  // transaction_data
  r('invalid_transaction', 'transaction_data', S.specific, 'Invalid transaction', '无效交易'),
  r('transaction_data_error', 'transaction_data', S.specific, 'Transaction data error', '交易信息错误'),
  r('original_amount_incorrect', 'transaction_data', S.specific, 'Original amount incorrect', '原始金额不正确'),
  // "Invalid X" / "missing X" about a field no phrase names: a data error, below any specific reading.
  r('invalid_field', 'transaction_data', S.generic, 'A field of the request is invalid or missing', '字段无效或缺失', { residual: true }),
  // compliance
  r('violation_of_law', 'compliance', S.specific, 'Violation of law', '交易违法'),
  r('regulatory_requirement', 'compliance', S.specific, 'Regulatory or certification requirement', '监管要求'),
  // reconciliation
  r('duplicate_transmission', 'reconciliation', S.specific, 'Duplicate transmission', '重复交易', { device: 'software' }),
  r('reconcile_error', 'reconciliation', S.settlement, 'Reconciliation totals do not agree', '对账不平'),
  r('original_not_found', 'reconciliation', S.specific, 'Original transaction not found', '找不到原始交易'),
  r('batch_mismatch', 'reconciliation', S.specific, 'Batch number mismatch: re-sign-on needed', '批次号不符'),
  r('offline_upload_failed', 'reconciliation', S.specific, 'Offline transaction upload failed', '脱机交易上送失败'),
  r('already_processed', 'reconciliation', S.specific, 'Already processed or completed', '交易已处理'),
  r('authorization_expired', 'reconciliation', S.specific, 'Authorization expired before completion', '授权已过期', { refusedAs: 'function_not_supported' }),
  r('amount_mismatch', 'reconciliation', S.settlement, 'Settled amount differs from the terminal', '结算金额不符'),
  r('settlement_missing', 'reconciliation', S.status, 'Approved but not in settlement', '未结算'),
  r('orphan_settlement', 'reconciliation', S.settlement, 'Settlement line without a terminal transaction', '结算记录无对应交易'),
  r('duplicate_record', 'reconciliation', S.settlement, 'The same transaction twice', '重复记录'),
  // cutoff
  r('cutover_in_progress', 'cutoff', S.specific, 'Day-end cutover in progress', '日期切换正在处理'),
  r('settled_after_cutoff', 'cutoff', S.settlement, 'Received after the cutoff, settles later', '日切后上送，顺延结算'),
  r('batch_not_closed', 'cutoff', S.settlement, 'Batch not closed in time', '批结算未完成'),
  r('outside_business_hours', 'cutoff', S.specific, 'Outside business hours', '非营业时间'),
  // environment
  r('power_failure', 'environment', S.device, 'Power failure', '断电'),
  r('environment_problem', 'environment', S.device, 'Environment: temperature, interference', '环境异常'),
  // network
  r('no_response', 'network', S.status, 'No response from the host', '无应答', { generic: true, device: 'link' }),
  r('late_response', 'network', S.generic, 'Response received too late', '收到的回答太迟', { generic: true, device: 'link' }),
  r('request_in_progress', 'network', S.generic, 'Request in progress', '请求正在处理中', { generic: true }),
  r('comm_timeout', 'network', S.comms, 'Communication timeout', '通讯超时', { device: 'link' }),
  r('comm_error', 'network', S.comms, 'Communication error', '通讯失败', { device: 'link' }),
  r('no_carrier', 'network', S.comms, 'No carrier / no signal', '无信号', { device: 'link' }),
  r('host_unreachable', 'network', S.comms, 'Host unreachable', '无法连接主机', { device: 'link' }),
  r('tls_error', 'network', S.comms, 'TLS/SSL failure', 'SSL连接失败', { device: 'link' }),
  r('sim_error', 'network', S.comms, 'SIM or modem error', 'SIM卡错误', { device: 'link' }),
  r('offline_unable_online', 'network', S.comms, 'Unable to go online (terminal-generated Z3/Y3)', '无法联机', { device: 'link' }),
  r('card_number_named', 'card', S.none, 'The card number, named as what is invalid', '卡号', { subject: true, invalidAs: 'invalid_card_number' }),
  r('merchant_id_named', 'configuration', S.none, "The merchant's identifier, named as what is invalid", '商户号', { subject: true, invalidAs: 'invalid_merchant' }),
  r('terminal_id_named', 'configuration', S.none, "The terminal's identifier, named as what is invalid", '终端号', { subject: true, invalidAs: 'terminal_not_registered' }),
  r('amount_named', 'limits', S.none, 'The amount, named as what is invalid', '金额', { subject: true, invalidAs: 'invalid_amount' }),
  r('reader_named', 'terminal_hardware', S.none, 'The card reader, named as what failed', '读卡器', { subject: true, refusedAs: 'function_not_supported', failsAs: 'card_read_error', timeoutAs: 'cardholder_timeout' }),
  // Round 9: subjects that name a part of the terminal (a device, its own software, a step of the EMV kernel, the
  // ISO message it builds, a key slot): a way of failing that could be anyone's beside one is that part's fault.
  r('device_named', 'terminal_hardware', S.none, 'A device or peripheral of the terminal, named as what failed', '外设', { subject: true, quietAlone: true, refusedAs: 'hardware_fault', failsAs: 'hardware_fault', timeoutAs: 'hardware_fault' }),
  r('software_named', 'terminal_software', S.none, "A part of the terminal's own software (a thread, a callback, the kernel, an SDK call), named as what failed", '终端软件部件', { subject: true, quietAlone: true, refusedAs: 'software_error', failsAs: 'software_error', timeoutAs: 'software_error', invalidAs: 'software_error' }),
  r('emv_step_named', 'terminal_software', S.none, 'A step of the EMV kernel (risk management, GAC, data exchange), named as what failed', 'EMV 流程步骤', { subject: true, quietAlone: true, failsAs: 'software_error', timeoutAs: 'software_error', invalidAs: 'software_error' }),
  r('selection_step_named', 'terminal_software', S.none, 'An EMV step that waits for the cardholder (application selection, final selection): failing, the card could not be read (as "application selection failed"); timing out, the cardholder did not choose', 'EMV 应用选择步骤', { subject: true, quietAlone: true, failsAs: 'card_read_error', timeoutAs: 'cardholder_timeout', invalidAs: 'card_read_error' }),
  r('cardholder_step_named', 'input_error', S.none, 'Something the cardholder is asked to do (confirm, select, authenticate at the ACS), named as what timed out', '持卡人操作', { subject: true, quietAlone: true, timeoutAs: 'cardholder_timeout' }),
  r('message_part_named', 'terminal_software', S.none, 'Packing or unpacking the ISO message, or one of its fields (BIT 55, 55域), named as what failed', '报文打包/解包', { subject: true, quietAlone: true, failsAs: 'format_error', timeoutAs: 'format_error', invalidAs: 'format_error' }),
  r('key_slot_named', 'configuration', S.none, 'A key slot or key material of the PED (key index, group index, check value), named as what is invalid', '密钥索引', { subject: true, quietAlone: true, failsAs: 'key_error', timeoutAs: 'key_error', invalidAs: 'key_error' }),
  r('reenter_transaction', 'terminal_hardware', S.generic, 'Re-enter transaction (the card data read was faulty)', '重新送入交易', { generic: true, device: 'reader' }),
  // unknown
  r('uninformative', 'unknown', S.none, 'A message that names no reason', '原因不明'),
];

export const REASON_BY_ID: ReadonlyMap<string, Reason> = new Map(REASONS.map((x) => [x.id, x]));

/**
 * When one message gives several reasons of the same strength ("Bad PIN,Insufficient Balance",
 * "Bad Expiration,Insufficient Balance": TabFormer joins them in alphabetical order, so their order says
 * nothing), the one an authorization checks first decides: the terminal and transaction data, then the
 * card and what was typed for it (number, expiry, CVV, postcode, PIN), then risk, then the cardholder's
 * account and limits. A later check is not what stopped the payment while an earlier one failed; every
 * reason is still listed in the finding's evidence. Causes not listed come after, in catalogue order.
 */
export const AUTHORIZATION_ORDER: readonly CauseId[] = ['configuration', 'transaction_data', 'card', 'input_error', 'fraud', 'cardholder_account', 'limits'];
const STAGE = new Map<string, number>();
/** Position of a reason in AUTHORIZATION_ORDER (ties of strength only). */
export function authorizationStage(reason: string): number {
  let s = STAGE.get(reason);
  if (s === undefined) {
    const cause = REASON_BY_ID.get(reason)?.cause;
    const i = cause ? AUTHORIZATION_ORDER.indexOf(cause) : -1;
    s = i >= 0 ? i : AUTHORIZATION_ORDER.length;
    STAGE.set(reason, s);
  }
  return s;
}


export const ReasonId = z.string().refine((id) => REASON_BY_ID.has(id), {
  error: (issue) => `"${String(issue.input)}" is not a reason; see rules/reasons.ts`,
});
export type ReasonId = z.infer<typeof ReasonId>;

export function reasonOf(id: string): Reason {
  const reason = REASON_BY_ID.get(id);
  if (!reason) throw new Error(`unknown reason ${id}`);
  return reason;
}

export function reasonLabel(id: string, lang: 'en' | 'zh'): string {
  return REASON_BY_ID.get(id)?.[lang] ?? id;
}
