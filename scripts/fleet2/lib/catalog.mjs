// What a terminal can log for each reason, written from the public code tables in shared/reference and
// from how real POS logs read (host texts in English, UnionPay POS display texts and SDK toasts in
// Chinese). A reason is "what happened"; the cause in the truth file is decided where the reason is
// injected, because the same 55 is input_error from a cardholder and terminal_hardware from a broken
// PIN pad.
//
// Per reason: status; iso / up = field 39 under each code profile (absent: not a host response);
// err = terminal-side error code per SDK family (ndk: Newland-style negative numbers, sym: symbolic
// names of Android smart-POS SDKs); host = the host answered (the record gets an RRN); en / zh = two
// or three phrasings, a terminal keeps to one of them.

export const REASONS = {
  approved: { status: 'approved', iso: '00', up: '00', host: true,
    en: ['Approved', 'APPROVAL', 'Transaction approved'], zh: ['交易成功', '承兑或交易成功', '成功'] },

  // issuer / switch decisions
  nsf: { status: 'declined', iso: '51', up: '51', host: true,
    en: ['Insufficient funds', 'Not sufficient funds', 'Declined - insufficient balance'],
    zh: ['余额不足', '可用余额不足', '账户余额不足，交易失败'] },
  wrong_pin: { status: 'declined', iso: '55', up: '55', host: true,
    en: ['Incorrect PIN', 'Wrong PIN', 'PIN incorrect, please retry'],
    zh: ['密码错误', '密码错', '密码输入错误，请重新输入'] },
  pin_tries: { status: 'declined', iso: '75', up: ['75', '38'], host: true,
    en: ['PIN tries exceeded', 'Allowable PIN tries exceeded', 'PIN try limit reached'],
    zh: ['密码错误次数超限', '允许的输入PIN次数超限', '密码错误次数超限，请与发卡方联系'] },
  dnh: { status: 'declined', iso: '05', up: '05', host: true,
    en: ['Do not honor', 'Do not honour', 'Declined by issuer'],
    zh: ['发卡行拒绝交易', '不予承兑', '发卡行拒绝，请联系发卡行'] },
  referral: { status: 'declined', iso: '01', up: '01', host: true,
    en: ['Refer to card issuer', 'Call issuer', 'Refer to issuer'],
    zh: ['查发卡行', '请持卡人与发卡银行联系', '交易失败，请联系发卡行'] },
  expired: { status: 'declined', iso: '54', up: ['54', '33'], host: true,
    en: ['Expired card', 'Card expired', 'EXPIRED CARD'], zh: ['卡片已过期', '过期的卡', '该卡已过期'] },
  invalid_card: { status: 'declined', iso: '14', up: '14', host: true,
    en: ['Invalid card number', 'Bad Card Number', 'No such card number'],
    zh: ['无效卡号', '卡号无效', '无效卡号，请联系发卡行'] },
  limit: { status: 'declined', iso: '61', up: '61', host: true,
    en: ['Exceeds amount limit', 'Exceeds withdrawal amount limit', 'Amount over limit'],
    zh: ['超出金额限制', '交易金额超限', '超出消费金额限制'] },
  freq_limit: { status: 'declined', iso: '65', up: '65', host: true,
    en: ['Exceeds frequency limit', 'Exceeds withdrawal frequency limit'], zh: ['超出消费次数限制', '交易次数超限'] },
  restricted: { status: 'declined', iso: ['62', '57'], up: ['62', '57'], host: true,
    en: ['Restricted card', 'Transaction not permitted to card', 'Card restricted'],
    zh: ['受限制的卡', '不允许此卡交易', '该卡受限'] },
  lost: { status: 'declined', iso: '41', up: '41', host: true,
    en: ['Lost card, pick up', 'Lost card', 'Pick up card - lost'], zh: ['挂失卡', '挂失卡，请没收', '丢失卡'] },
  stolen: { status: 'declined', iso: '43', up: '43', host: true,
    en: ['Stolen card, pick up', 'Stolen card'], zh: ['被窃卡', '被窃卡，请没收'] },
  // UnionPay answers 45 when a chip card is swiped; an ISO terminal refuses the swipe itself (use_chip)
  chip_swiped: { status: 'declined', up: '45', host: true,
    en: ['Chip card - please insert', 'Fallback not allowed, insert chip'],
    zh: ['芯片卡交易，请插卡', '不允许降级交易，请插IC卡', 'IC卡请插卡操作'] },

  // cardholder / cashier at the terminal
  use_chip: { status: 'terminated', err: { ndk: 'USE_CHIP', sym: 'CHIP_CARD_SWIPED' },
    en: ['Please insert chip card', 'Chip card detected, insert card', 'Use chip reader'],
    zh: ['芯片卡请插卡', '请插IC卡', '检测到IC卡，请插卡'] },
  cancel: { status: 'terminated', err: { ndk: 'USER_CANCEL', sym: 'CANCELLED_BY_USER' },
    en: ['Cancelled by user', 'Transaction cancelled', 'User cancel'], zh: ['用户取消', '交易已取消', '持卡人取消交易'] },
  card_removed: { status: 'failed', err: { ndk: '-605', sym: 'CARD_REMOVED' },
    en: ['Card removed', 'Card removed too early', 'Card pulled out'], zh: ['卡片被拔出', '读卡中卡片被移走', '请勿拔卡，交易失败'] },
  multi_card: { status: 'failed', err: { ndk: '-2009', sym: 'MULTIPLE_CARDS' },
    en: ['Multiple cards detected', 'Present one card only'], zh: ['检测到多张卡', '请只出示一张卡'] },

  // link between terminal and host
  timeout: { status: 'timeout', err: { ndk: ['-306', '-312'], sym: ['COMM_TIMEOUT', 'RECV_TIMEOUT'] },
    en: ['Host timeout', 'Communication timeout', 'No response from host'], zh: ['交易超时', '通讯超时', '接收超时，请重试'] },
  not_connected: { status: 'failed',
    errByConnection: {
      '4g': { ndk: ['-308', '-310'], sym: 'NETWORK_UNAVAILABLE' },
      wifi: { ndk: '-3003', sym: 'WIFI_CONNECT_FAILED' },
      ethernet: { ndk: '-250', sym: 'ETH_LINK_DOWN' },
      dialup: { ndk: ['-521', '-523'], sym: 'NO_CARRIER' },
    },
    en: ['Network not connected', 'Connection failed', 'Unable to connect to host'],
    zh: ['网络连接失败，请检查网络', '连接主机失败', '网络未连接'] },
  unable_online: { status: 'declined', iso: 'Z3', up: 'Z3', host: false,
    en: ['Unable to go online - declined', 'Declined offline', 'Unable to go online'],
    zh: ['无法联机，交易拒绝', '脱机拒绝', '联机失败，交易拒绝'] },
  tls_fail: { status: 'failed', err: { ndk: ['-354', '-350'], sym: 'SSL_HANDSHAKE_FAILED' },
    en: ['SSL connection failed', 'TLS handshake timeout', 'Secure connection failed'],
    zh: ['SSL连接失败', '安全连接超时', 'SSL握手失败'] },

  // issuer or platform down
  issuer_down: { status: 'declined', iso: '91', up: '91', host: true,
    en: ['Issuer or switch inoperative', 'Issuer unavailable', 'Issuer inoperative'],
    zh: ['发卡方状态不正常，请稍后重试', '发卡方不能操作', '发卡行系统故障'] },
  sys_malfunction: { status: 'declined', iso: '96', up: '96', host: true,
    en: ['System malfunction', 'System error', 'System malfunction, try later'],
    zh: ['交换中心异常', '系统异常、失效', '拒绝，交换中心异常，请稍后重试'] },
  issuer_no_answer: { status: 'declined', up: '98', host: true,
    en: ['No response from issuer', 'Issuer timeout'], zh: ['银联收不到发卡方应答', '发卡方超时'] },
  late_response: { status: 'declined', iso: '68', up: '68', host: true,
    en: ['Response received too late', 'Issuer response timeout'], zh: ['交易超时，请重试', '发卡行响应超时', '收到的回答太迟'] },
  outage_timeout: { status: 'timeout', err: { ndk: '-312', sym: 'HOST_TIMEOUT' },
    en: ['No response from host', 'Host timeout', 'Transaction timed out'], zh: ['交易超时', '等待应答超时', '主机无应答'] },

  // terminal hardware
  chip_read: { status: 'failed', err: { ndk: ['-603', '-601'], sym: ['ICC_POWERON_ERROR', 'CHIP_READ_ERROR'] },
    en: ['Card read error', 'Chip read failure', 'ICC power-on error'], zh: ['读卡失败', 'IC卡读卡失败，请重试', 'IC卡上电失败'] },
  reread: { status: 'declined', iso: '19', up: '19', host: true,
    en: ['Re-enter transaction', 'Card read error, re-swipe', 'Please re-swipe card'],
    zh: ['刷卡读取数据有误，请重新刷卡', '重新送入交易', '读卡数据有误'] },
  rf_fault: { status: 'failed', err: { ndk: '-2005', sym: 'RF_DEVICE_FAULT' },
    en: ['Contactless reader error', 'RF module fault', 'Contactless not available'],
    zh: ['非接读卡器故障', '射频模块异常', '非接触读卡失败'] },
  pinpad_err: { status: 'failed', err: { ndk: 'PED_ERR', sym: 'PINPAD_ERROR' },
    en: ['PIN pad error', 'PIN entry device fault', 'PIN pad not responding'],
    zh: ['密码键盘故障', '密码键盘无响应', 'PIN输入设备异常'] },
  printer_out: { status: 'terminated', err: { ndk: '-5001', sym: 'PRINTER_PAPER_OUT' },
    en: ['Printer out of paper', 'Out of paper, load paper', 'Paper out'], zh: ['打印机缺纸', '缺纸，请装纸', '打印纸用完'] },
  printer_fault: { status: 'terminated', err: { ndk: '-5001', sym: 'PRINTER_FAULT' },
    en: ['Printer fault', 'Printer error', 'Printer overheated'], zh: ['打印机故障', '打印失败，打印机异常', '打印机过热'] },
  tamper: { status: 'failed', err: { ndk: ['-1013', '-804'], sym: 'TAMPER_DETECTED' },
    en: ['Terminal tampered - locked', 'Security attack detected', 'Device locked (tamper)'],
    zh: ['存在安全攻击', '终端被锁定，请联系服务商', '安全触发，终端锁定'] },
  low_battery: { status: 'failed', err: { ndk: 'LOW_BATTERY', sym: 'BATTERY_LOW' },
    en: ['Battery low, transaction aborted', 'Low battery'], zh: ['电量不足，交易中止', '电池电量低，请充电'] },

  // terminal software
  app_error: { status: 'failed', err: { ndk: 'APP_CRASH', sym: 'APP_ERROR' },
    en: ['Application error', 'Application not responding', 'Unexpected error, restart terminal'],
    zh: ['应用程序异常', '应用无响应', '程序异常退出'] },
  device_busy: { status: 'failed', err: { ndk: ['-3101', '-3103'], sym: 'DEVICE_BUSY' },
    en: ['Device busy', 'Reader busy, try again'], zh: ['设备忙', '设备忙，请稍后重试'] },
  format_error: { status: 'declined', iso: '30', up: '30', host: true,
    en: ['Format error', 'Message format error', 'Invalid message format'], zh: ['格式错误', '报文格式错误', '格式错误请联系客服'] },
  duplicate_txn: { status: 'declined', iso: '94', up: '94', host: true,
    en: ['Duplicate transmission', 'Duplicate transaction'], zh: ['重复交易', '拒绝，重复交易，请稍后重试'] },

  // configuration
  mac_error: { status: 'declined', iso: '88', up: 'A0', host: true,
    en: ['MAC error', 'MAC verification failed', 'Cryptographic failure'], zh: ['MAC校验错，请重新签到', 'MAC鉴别失败', 'MAC校验错'] },
  pin_key_error: { status: 'declined', iso: '81', up: '99', host: true,
    en: ['PIN block error', 'PIN cryptographic error'], zh: ['PIN格式错，请重新签到', 'PIN格式错'] },
  not_permitted: { status: 'declined', iso: '58', up: '58', host: true,
    en: ['Transaction not permitted to terminal', 'Function not permitted', 'Transaction not allowed on this terminal'],
    zh: ['不允许终端进行的交易', '该商户不允许进行此交易', '终端不支持此交易'] },
  invalid_merchant: { status: 'declined', iso: '03', up: '03', host: true,
    en: ['Invalid merchant', 'Merchant not registered'], zh: ['无效商户', '商户未登记'] },
  terminal_unregistered: { status: 'declined', iso: '03', up: '97', host: true,
    en: ['Terminal not registered', 'Unknown terminal ID'], zh: ['终端未登记', 'POS终端号找不到'] },
  emv_param: { status: 'failed', err: { ndk: 'NO_CAPK', sym: 'EMV_NO_AID' },
    en: ['No CA public key', 'EMV parameters missing', 'AID not supported'],
    zh: ['无CA公钥', 'IC卡参数缺失，请下载参数', '应用参数错误'] },

  // environment
  power_interrupt: { status: 'failed', err: { ndk: 'TXN_INTERRUPTED', sym: 'POWER_FAIL' },
    en: ['Transaction interrupted', 'Power failure during transaction'], zh: ['交易中断', '断电，交易未完成'] },
};

// Settlement line texts (the acquirer's file).
export const SETTLE = {
  settled: { status: 'settled', code: ['', '00', ''], en: ['', 'settled', 'OK'], zh: ['', '清算成功', '已入账'] },
  pending_cutoff: { status: 'pending', code: ['CUTOFF', 'T01', 'LATE_BATCH'],
    en: ['batch received after cutoff', 'received after cut-off, next settlement cycle', 'late batch - deferred'],
    zh: ['日切后上送，顺延结算', '超过清算截止时间，顺延至下一清算日', '批次晚于日切，顺延处理'] },
  frozen: { status: 'failed', code: ['ACCT_FROZEN', 'E51', 'R16'],
    en: ['merchant account frozen', 'settlement account frozen', 'payout failed: account frozen'],
    zh: ['商户账户冻结', '结算账户已冻结', '商户结算账户状态异常（冻结）'] },
  wrong_bank: { status: 'rejected', code: ['ACCT_NAME_MISMATCH', 'E14', 'R03'],
    en: ['beneficiary account name mismatch', 'invalid settlement account', 'account number/name does not match'],
    zh: ['收款账户户名不符', '结算账户信息有误', '入账账户与户名不一致'] },
  risk_hold: { status: 'held', code: ['RISK_HOLD', 'R01', 'H02'],
    en: ['risk review hold', 'held for merchant risk review', 'funds held pending review'],
    zh: ['风控延迟结算', '商户交易异常，暂缓结算', '风险审查中，资金暂缓'] },
};

// Event detail texts, {en, zh} lists; a terminal keeps to one phrasing.
export const EVENT_TEXT = {
  SIGN_ON: { en: ['sign-on OK', 'logon approved, keys updated', 'sign on successful'], zh: ['签到成功', '签到成功，工作密钥已更新'] },
  SIGN_ON_FAILED: { en: ['sign-on failed: MAC key verify error', 'logon rejected (A0)', 'sign on failed, check keys'], zh: ['签到失败：MAC密钥校验错', '签到失败，请检查密钥', '签到失败(A0)'] },
  KEY_SYNC_FAILED: { en: ['working key download failed', 'TMK/TPK sync failed', 'key exchange failed: check value mismatch'], zh: ['工作密钥下载失败', '密钥同步失败', '密钥校验值不符'] },
  BATCH_CLOSE: { en: ['settlement OK, totals agree', 'batch closed, totals confirmed', 'auto settlement done'], zh: ['结算成功，对账平', '批结算完成', '自动结算成功'] },
  BATCH_CLOSE_LATE: { en: ['manual settlement (late)', 'batch closed manually', 'settlement done after midnight'], zh: ['手工结算（延迟）', '补结算完成', '隔日结算完成'] },
  BATCH_CLOSE_FAILED_CUTOVER: { en: ['settlement rejected: cutover in process (90)', 'batch close failed: host day-end processing', 'settlement failed, totals not accepted'], zh: ['结算失败：日切处理中(90)', '结算失败，主机日终处理中', '批结算失败，对账未受理'] },
  BATCH_CLOSE_FAILED_UNREACHABLE: { en: ['batch close failed: host unreachable', 'settlement failed: no connection to host (-308)', 'totals unconfirmed: could not contact acquirer'], zh: ['结算失败：连接主机失败', '批结算失败，网络未连接', '结算失败，无法连接收单主机'] },
  NETWORK_DOWN: { en: ['link down', 'PPP disconnected', 'connection lost'], zh: ['网络断开', '无线网络断开', '连接中断'] },
  NETWORK_UP: { en: ['link up', 'PPP connected', 'connection restored'], zh: ['网络已连接', '网络恢复', '连接成功'] },
  SIGNAL_LOW: { en: ['weak signal', 'RSSI low', 'signal below threshold'], zh: ['信号弱', '无线信号弱', '信号强度低'] },
  POWER_LOSS: { en: ['mains power lost', 'external power removed', 'power failure'], zh: ['外部电源断开', '市电中断', '断电'] },
  POWER_LOSS_BATTERY: { en: ['battery depleted, shutting down', 'battery exhausted'], zh: ['电池耗尽，自动关机', '电量耗尽关机'] },
  BATTERY_LOW: { en: ['battery 8%', 'battery low', 'battery below 10%'], zh: ['电量低于10%', '电池电量低', '电量不足'] },
  REBOOT: { en: ['boot completed', 'system restart', 'restarted'], zh: ['开机完成', '系统重启', '设备重启'] },
  REBOOT_NIGHTLY: { en: ['scheduled restart', 'nightly reboot'], zh: ['定时重启', '夜间自动重启'] },
  APP_CRASH: { en: ['payment app crashed (ANR)', 'application terminated unexpectedly', 'NullPointerException in TransProcess'], zh: ['支付应用崩溃', '应用程序异常退出', '应用无响应(ANR)'] },
  SOFTWARE_UPDATE: { en: ['update installed', 'app upgraded', 'TMS update applied'], zh: ['应用更新成功', '程序升级完成', 'TMS更新完成'] },
  SOFTWARE_UPDATE_FAILED: { en: ['install failed: INSUFFICIENT_STORAGE', 'update failed: signature check error', 'TMS download interrupted'], zh: ['安装失败：存储空间不足', '升级失败：签名校验错误', 'TMS下载中断'] },
  PRINTER_PAPER_OUT: { en: ['paper out', 'printer: no paper', 'paper roll empty'], zh: ['打印机缺纸', '打印纸用完', '缺纸'] },
  PRINTER_PAPER_OK: { en: ['paper loaded', 'printer ready'], zh: ['纸已装好', '打印机就绪'] },
  PRINTER_FAULT: { en: ['printer overheat', 'printer head error', 'cutter jammed'], zh: ['打印机过热', '打印头故障', '切刀卡纸'] },
  READER_FAULT: { en: ['ICC power-on error (-603)', 'chip reader not responding', 'ICC slot fault'], zh: ['IC卡上电失败(-603)', 'IC卡读卡器无响应', 'IC卡座故障'] },
  READER_FAULT_RF: { en: ['RF module fault (-2005)', 'contactless reader error'], zh: ['射频模块故障(-2005)', '非接读卡器异常'] },
  PINPAD_FAULT: { en: ['PIN pad key stuck', 'PED error', 'keypad scan error'], zh: ['密码键盘按键异常', '密码键盘故障', '键盘扫描异常'] },
  TAMPER_DETECTED: { en: ['tamper switch triggered, keys erased', 'security attack detected (-1013)'], zh: ['安全触发，密钥已清除', '存在安全攻击(-1013)'] },
  CLOCK_ERROR: { en: ['RTC reset, time resynced from host', 'clock drift corrected'], zh: ['时钟复位，已与主机同步', '时间校准'] },
  PARAM_DOWNLOAD: { en: ['terminal parameters updated', 'EMV parameters downloaded'], zh: ['终端参数更新', 'IC卡参数下载完成'] },
};

export const CAUSES = [
  'network', 'issuer_decline', 'cardholder_account', 'card', 'input_error', 'terminal_hardware',
  'terminal_software', 'configuration', 'issuer_platform', 'limits', 'fraud', 'merchant_risk',
  'merchant_account', 'transaction_data', 'compliance', 'reconciliation', 'cutoff', 'environment', 'unknown',
];
