// fleet3's own wording: host answers and terminal-side errors, English and Chinese, several phrasings
// each, SDK-style error codes per vendor family. Written from the reference tables' meanings and from
// how real terminals phrase things; nothing is copied from the analyzer.

// Host answers. Each reason has forms; a form names its field-39 code per profile (null: that profile
// has no code for it) and its display texts. `cause` is what an analyst gives it with no other context.
export const HOST = {
  insufficient_funds: { cause: 'cardholder_account', forms: [
    { iso: '51', cup: '51',
      en: ['Insufficient funds in account', 'NOT SUFFICIENT FUNDS', 'Declined - insufficient balance', 'Insufficient Balance', 'NSF - ask for another card'],
      zh: ['余额不足，请换卡', '可用余额不足', '账户余额不足', '卡内余额不足，交易失败', '余额不足'] } ] },
  no_account: { cause: 'cardholder_account', forms: [
    { iso: '39', cup: '42', en: ['NO CREDIT ACCOUNT', 'No such account'], zh: ['无此账户', '发卡行找不到此账户'] },
    { iso: '53', cup: '53', en: ['NO SAVINGS ACCOUNT', 'Savings account not found'], zh: ['无此储蓄卡账户', '储蓄账户不存在'] } ] },
  wrong_pin: { cause: 'input_error', forms: [
    { iso: '55', cup: '55',
      en: ['INCORRECT PIN', 'Wrong PIN, try again', 'PIN ERROR - RE-ENTER', 'Invalid PIN entered', 'Bad PIN'],
      zh: ['密码错误，请重新输入', '密码错', '持卡人密码错误', '密码不正确，请重试', '密码输错'] } ] },
  pin_tries: { cause: 'input_error', forms: [
    { iso: '75', cup: '75', en: ['PIN TRIES EXCEEDED', 'Allowable PIN tries exceeded', 'PIN locked - too many attempts'], zh: ['密码错误次数超限', '密码输入次数超限，请与发卡行联系', '密码已锁定'] },
    { iso: '38', cup: '38', en: ['PIN TRY LIMIT - PICK UP', 'Max PIN retries reached'], zh: ['密码错次数超限，请联系发卡方', '超过允许的密码输入次数'] } ] },
  expired: { cause: 'card', forms: [
    { iso: '54', cup: '54', en: ['EXPIRED CARD', 'Card expired', 'Card has expired - use another card'], zh: ['该卡已过期', '过期卡，请换卡', '卡片已过有效期'] },
    { iso: '33', cup: '33', en: ['EXPIRED CARD - PICK UP', 'Expired card, retain'], zh: ['过期的卡，请换卡重试', '过期卡'] } ] },
  do_not_honor: { cause: 'issuer_decline', forms: [
    { iso: '05', cup: null, en: ['DO NOT HONOR', 'Declined by issuer', 'Do not honour', 'DECLINED'], zh: ['发卡行拒绝交易', '交易被拒绝'] },
    { iso: '01', cup: '01', en: ['REFER TO CARD ISSUER', 'Call issuer', 'Please contact your bank'], zh: ['交易失败，请联系发卡行', '查发卡行', '请持卡人与发卡银行联系'] } ] },
  card_unsupported: { cause: 'card', forms: [
    { iso: '62', cup: '62', en: ['RESTRICTED CARD', 'Card restricted', 'Card not accepted'], zh: ['受限制的卡', '该卡受限，请换卡'] },
    { iso: '14', cup: '14', en: ['INVALID CARD NUMBER', 'Invalid card no.', 'No such card number'], zh: ['无效卡号', '无效卡号，请联系发卡行', '卡号无效'] },
    { iso: '56', cup: '56', en: ['NO CARD RECORD', 'Card record not found'], zh: ['无此卡记录', '无此卡记录，请换卡'] } ] },
  limit: { cause: 'limits', forms: [
    { iso: '61', cup: '61', en: ['EXCEEDS AMOUNT LIMIT', 'Over single transaction limit', 'Amount exceeds card limit', 'Exceeds withdrawal amount limit'], zh: ['交易金额超限', '超过单笔限额', '超出消费金额限制', '金额超限，请分笔交易'] },
    { iso: '65', cup: '65', en: ['EXCEEDS FREQUENCY LIMIT', 'Too many transactions today'], zh: ['超出消费次数限制', '当日交易次数超限'] } ] },
  lost_stolen: { cause: 'fraud', forms: [
    { iso: '41', cup: '41', en: ['LOST CARD - PICK UP', 'Lost card, retain'], zh: ['挂失卡，请没收', '挂失的卡'] },
    { iso: '43', cup: '43', en: ['STOLEN CARD - PICK UP', 'Stolen card'], zh: ['被窃卡，请没收', '被盗卡'] } ] },
  issuer_down: { cause: 'issuer_platform', forms: [
    { iso: '91', cup: '91', en: ['Issuer unavailable - try later', 'ISSUER OR SWITCH INOPERATIVE', 'Issuer not available', 'Issuer system down, retry'], zh: ['发卡方状态不正常，请稍后重试', '发卡行系统故障', '发卡方不能操作', '银行系统维护中，请稍后再试'] } ] },
  sys_malfunction: { cause: 'issuer_platform', forms: [
    { iso: '96', cup: '96', en: ['SYSTEM MALFUNCTION', 'System error, retry later', 'Switch malfunction', 'Host system error'], zh: ['交换中心异常，请稍后重试', '系统异常、失效', '银联系统故障', '支付平台异常'] } ] },
  cutover: { cause: 'cutoff', forms: [
    { iso: '90', cup: '90', en: ['CUTOFF IN PROGRESS', 'Day end in process - retry', 'Host cutover, try again in a few minutes'], zh: ['系统日切，请稍后重试', '日期切换正在处理', '正在日终处理'] } ] },
  format_error: { cause: 'terminal_software', forms: [
    { iso: '30', cup: '30', en: ['FORMAT ERROR', 'Message format error', 'Invalid message format'], zh: ['格式错误', '报文格式错误', '格式错误请联系客服'] } ] },
  mac_error: { cause: 'configuration', forms: [
    { iso: '88', cup: 'A0', en: ['MAC ERROR - SIGN ON AGAIN', 'MAC verification failed', 'Cryptographic failure'], zh: ['MAC校验错，请重新签到', 'MAC鉴别失败', 'MAC校验失败'] } ] },
  pin_key_error: { cause: 'configuration', forms: [
    { iso: '81', cup: '99', en: ['PIN CRYPTO ERROR', 'PIN block format error - sign on'], zh: ['PIN格式错，请重新签到', 'PIN格式错'] } ] },
  invalid_merchant: { cause: 'configuration', forms: [
    { iso: '03', cup: '03', en: ['INVALID MERCHANT', 'Merchant not registered', 'Merchant ID not on file'], zh: ['商户未登记', '无效商户', '商户未在中心登记'] } ] },
  terminal_unknown: { cause: 'configuration', forms: [
    { iso: null, cup: '97', en: ['TERMINAL NOT REGISTERED'], zh: ['终端未登记', 'POS终端号找不到'] } ] },
  not_permitted_terminal: { cause: 'configuration', forms: [
    { iso: '58', cup: '58', en: ['TXN NOT PERMITTED ON TERMINAL', 'Function not enabled for this terminal'], zh: ['该商户不允许进行的交易', '终端不支持此交易类型'] } ] },
  mag_reread: { cause: 'terminal_hardware', forms: [
    { iso: null, cup: '19', en: ['Card data read error, swipe again'], zh: ['刷卡读取数据有误，请重新刷卡', '磁道数据有误，请重刷'] } ] },
  chip_must_insert: { cause: 'input_error', forms: [
    { iso: null, cup: '45', en: ['Chip card - please insert'], zh: ['芯片卡交易，请插卡操作', '不允许降级交易，请插卡'] } ] },
};

export const APPROVED_TEXT = {
  en: ['APPROVED', 'Approved', 'Transaction approved', 'APPROVAL'],
  zh: ['交易成功', '承兑或交易成功', '成功', '交易成功，请签名'],
};

// Terminal-side outcomes (no host answer). codes: per vendor family, SDK style.
export const TERM = {
  comm_timeout: { status: 'timeout',
    codes: { newland: ['-306', '-312', '-354'], pax: ['ERR_COMM_-4', 'ERR_RECV_TIMEOUT'], sunmi: ['CONN_TIMEOUT', 'SDK_NET_-7'], verifone: ['E1021', 'E1024'], ingenico: ['COMM_TIMEOUT', 'TLS_RECV_TIMEOUT'] },
    en: ['No response from host', 'HOST TIMEOUT', 'Receive timeout', 'Response timeout - please retry', 'COMMS TIMEOUT'],
    zh: ['接收超时', '通讯超时，请重试', '后台无应答', '网络超时', '等待主机应答超时'] },
  connect_fail: { status: 'failed',
    codes: { newland: ['-308', '-310', '-311'], pax: ['ERR_COMM_-2', 'ERR_CONNECT'], sunmi: ['NET_UNREACHABLE', 'SDK_NET_-3'], verifone: ['E1004', 'E1011'], ingenico: ['CONNECT_FAILED', 'SOCKET_ERR_111'] },
    en: ['CONNECT FAIL', 'Unable to connect to host', 'Host unreachable', 'Connection failed - check network', 'NO CONNECTION'],
    zh: ['连接后台失败', '网络连接失败', '无法连接服务器', '连接主机失败，请检查网络', '通讯失败'] },
  wifi_fail: { status: 'failed',
    codes: { newland: ['-3003', '-3004'], pax: ['ERR_WIFI_-3'], sunmi: ['WIFI_DISCONNECTED'], verifone: ['E1031'], ingenico: ['WIFI_NO_AP'] },
    en: ['WiFi not connected', 'No network - WiFi AP unreachable', 'WLAN DISCONNECTED'],
    zh: ['WiFi连接失败', '无线网络未连接', '无法连接AP热点'] },
  cable_unplugged: { status: 'failed',
    codes: { newland: ['-250'], pax: ['ERR_ETH_LINK'], sunmi: ['ETH_LINK_DOWN'], verifone: ['E1040'], ingenico: ['ETH_NO_LINK'] },
    en: ['Ethernet cable unplugged', 'LAN LINK DOWN', 'Network cable disconnected'],
    zh: ['网线未连接', '以太网断开', '网络线缆未插好'] },
  no_carrier: { status: 'failed',
    codes: { newland: ['-521', '-523'], pax: ['ERR_MODEM_NOCARRIER'], sunmi: ['MODEM_NO_CARRIER'], verifone: ['E1052'], ingenico: ['MODEM_NO_CARRIER'] },
    en: ['NO CARRIER', 'NO DIAL TONE', 'Phone line not connected'],
    zh: ['无载波', '无拨号音', '电话线未接好'] },
  cell_weak: { status: 'failed',
    codes: { newland: ['-310', '-202'], pax: ['ERR_PPP_-6'], sunmi: ['MOBILE_NET_WEAK'], verifone: ['E1060'], ingenico: ['GPRS_ATTACH_FAIL'] },
    en: ['Weak signal - connection failed', '4G network unavailable', 'GPRS link down'],
    zh: ['无线信号弱，连接失败', '4G网络不可用', '信号差，拨号失败'] },
  offline_declined: { status: 'declined', rc: 'Z3',
    en: ['Unable to go online - declined', 'DECLINED OFFLINE (NO HOST)', 'Offline decline, host unreachable'],
    zh: ['无法联机，交易拒绝', '联机失败，脱机拒绝'] },
  chip_read: { status: 'failed',
    codes: { newland: ['-603', '-604'], pax: ['ERR_ICC_-2', 'ICC_POWERON_FAIL'], sunmi: ['IC_DEVICE_ABNORMAL'], verifone: ['E3004'], ingenico: ['CHIP_ERROR', 'ICC_MUTE'] },
    en: ['Card read failure, retry', 'CHIP READ ERROR', 'Chip error - insert again', 'Cannot read chip'],
    zh: ['读IC卡失败', 'IC卡上电失败', '读卡失败，请重试', '芯片读取错误'] },
  rf_read: { status: 'failed',
    codes: { newland: ['-2005'], pax: ['ERR_PICC_-1'], sunmi: ['RF_DEVICE_ABNORMAL'], verifone: ['E3101'], ingenico: ['CLESS_HW_ERR'] },
    en: ['Contactless reader error', 'RF DEVICE FAULT', 'Tap failed - reader error'],
    zh: ['非接模块故障', '非接读卡器异常', '挥卡失败，读卡器故障'] },
  pinpad_err: { status: 'failed',
    codes: { newland: ['ERR_PINPAD'], pax: ['PED_ERR_-1', 'PED_NO_DEVICE'], sunmi: ['PINPAD_NO_DEVICE'], verifone: ['E4002'], ingenico: ['PINPAD_NOT_RESPONDING'] },
    en: ['PIN pad not responding', 'PINPAD ERROR', 'PED device error'],
    zh: ['密码键盘故障', '密码键盘无响应', '密码键盘异常'] },
  app_crash: { status: 'failed',
    codes: { newland: ['APP_ABORT'], pax: ['APP_EXCEPTION'], sunmi: ['ANR_MAIN'], verifone: ['E9001'], ingenico: ['EXC_0x0B'] },
    en: ['Application error - restarting', 'Unexpected error, app closed', 'SYSTEM ERROR - APP RESTART'],
    zh: ['应用程序异常', '程序异常退出，请重新交易', '系统错误，应用已重启'] },
  no_aid: { status: 'failed',
    codes: { newland: ['EMV_NO_PARAM'], pax: ['EMV_NO_AID'], sunmi: ['NO_AID_PARAM', 'NO_CAPK'], verifone: ['E5010'], ingenico: ['EMV_AID_MISSING'] },
    en: ['No EMV parameters - download required', 'CAPK NOT FOUND', 'No AID loaded - download parameters'],
    zh: ['无AID参数，请下载参数', 'IC卡参数未下载', '公钥未下载，请下载CAPK'] },
  user_cancel: { status: 'terminated',
    codes: { newland: ['USER_CANCEL'], pax: ['ERR_USER_CANCEL'], sunmi: ['CANCELED_BY_USER'], verifone: ['CANCEL'], ingenico: ['ABORTED_BY_USER'] },
    en: ['Cancelled by user', 'USER CANCEL', 'Transaction aborted by cardholder', 'Cancelled'],
    zh: ['用户取消', '持卡人取消交易', '交易已取消', '操作员取消'] },
  pin_timeout: { status: 'terminated',
    codes: { newland: ['PIN_INPUT_TIMEOUT'], pax: ['PIN_INPUT_TIMEOUT'], sunmi: ['PIN_ENTRY_TIMEOUT'], verifone: ['PIN_TIMEOUT_USER'], ingenico: ['PIN_ENTRY_TIMEOUT'] },
    en: ['PIN entry timed out', 'PIN INPUT TIMEOUT', 'No PIN entered'],
    zh: ['输入密码超时', '密码输入超时', '持卡人未输入密码'] },
  card_removed: { status: 'terminated',
    codes: { newland: ['-605'], pax: ['ERR_CARD_REMOVED'], sunmi: ['CARD_REMOVED'], verifone: ['E3007'], ingenico: ['CARD_REMOVED'] },
    en: ['Card removed too early', 'CARD REMOVED', 'Do not remove card - cancelled'],
    zh: ['卡片被拔出', '请勿提前拔卡', '卡片过早拔出，交易取消'] },
  insert_chip: { status: 'terminated',
    codes: { newland: ['USE_CHIP'], pax: ['ERR_NEED_IC'], sunmi: ['USE_ICC'], verifone: ['E3012'], ingenico: ['USE_CHIP_READER'] },
    en: ['PLEASE INSERT CHIP', 'Chip card - use chip reader', 'Swipe not allowed, insert card'],
    zh: ['芯片卡请插卡', '请使用芯片读卡', 'IC卡请插卡交易'] },
};

// Terminal-side reasons whose cause needs no context (the rest take the cause of the fault that caused them).
export const TERM_CAUSE = {
  user_cancel: 'input_error', pin_timeout: 'input_error', card_removed: 'input_error', insert_chip: 'input_error',
};

export const EVENT_TEXT = {
  NETWORK_DOWN: { en: ['link down', 'PPP disconnected', 'network lost', 'no route to host'], zh: ['网络断开', '链路中断', '网络不可用'] },
  NETWORK_UP: { en: ['link up', 'network restored', 'PPP connected'], zh: ['网络恢复', '网络已连接'] },
  SIGNAL_LOW: { en: ['RSSI {dbm}dBm', 'signal weak {dbm} dBm', 'CSQ low ({dbm}dBm)'], zh: ['信号强度弱 {dbm}dBm', '无线信号差 {dbm}dBm'] },
  POWER_LOSS: { en: ['external power lost, on battery', 'AC adapter removed', 'mains power failure'], zh: ['外部电源断开，电池供电', '市电中断', '充电座断电'] },
  BATTERY_LOW: { en: ['battery {pct}%', 'low battery {pct}%'], zh: ['电量低 {pct}%', '电池电量不足 {pct}%'] },
  REBOOT: { en: ['scheduled restart', 'system restart', 'watchdog restart'], zh: ['系统重启', '定时重启'] },
  APP_CRASH: { en: ['payment app crashed: NullPointerException', 'app terminated unexpectedly (SIGSEGV)', 'ANR in payment service'], zh: ['支付应用崩溃', '应用程序异常终止', '收单应用无响应'] },
  SOFTWARE_UPDATE: { en: ['{from} -> {to}', 'updated to {to}'], zh: ['应用升级 {from} -> {to}', '升级到 {to}'] },
  PRINTER_PAPER_OUT: { en: ['paper out', 'printer: no paper'], zh: ['打印机缺纸', '缺纸，请装纸'] },
  READER_FAULT: { en: ['IC card module power-on error', 'contactless module not responding', 'card reader self-test failed'], zh: ['IC卡模块上电失败', '非接模块无响应', '读卡器自检失败'] },
  PINPAD_FAULT: { en: ['PED key scan error', 'PIN pad self-test failed', 'keypad stuck key detected'], zh: ['密码键盘自检失败', '按键异常', '密码键盘按键粘连'] },
  KEY_SYNC_FAILED: { en: ['working key download failed', 'TPK/TAK update rejected', 'key exchange failed'], zh: ['工作密钥下载失败', '密钥同步失败', '签到密钥校验失败'] },
  SIGN_ON_FAILED: { en: ['sign-on rejected by host', 'logon failed'], zh: ['签到失败', '终端签到被拒'] },
  SIGN_ON_FAILED_REG: { en: ['sign-on rejected: terminal not registered', 'logon failed RC=97'], zh: ['签到失败：终端未登记', '签到失败(03)商户未登记'] },
  BATCH_CLOSE_FAILED_CUTOFF: { en: ['RC=90 CUTOFF IN PROCESS', 'Settlement window closed', 'CUTOFF PASSED - SETTLE TOMORROW'], zh: ['结算失败：已过日切时间', '结算超时，已过日切', '结算失败(90)日期切换正在处理'] },
  BATCH_CLOSE_FAILED_COMM: { en: ['CONNECT FAIL', 'settlement failed: host unreachable', 'comms error during settlement'], zh: ['结算失败：通讯失败', '结算失败，连接后台失败', '结算时网络中断'] },
  BATCH_CLOSE: { en: ['batch {batch} closed, totals agree', 'settlement OK batch {batch}'], zh: ['批次{batch}结算成功，对账平', '结算完成 批次号{batch}'] },
  PARAM_DOWNLOAD_FAILED: { en: ['EMV parameter download failed', 'TMS parameter download incomplete'], zh: ['参数下载失败', 'IC卡参数下载不完整'] },
};

export const SETTLE_TEXT = {
  risk_hold: { code: ['R01', 'RH'], en: ['RISK HOLD - merchant under review', 'Settlement held: risk review', 'Funds held pending merchant risk review'], zh: ['风控冻结，暂缓结算', '商户风险核查中，延迟清算', '风险交易，暂停入账'] },
  merchant_acct: { code: ['E107', 'AC02'], en: ['Payout failed - merchant account frozen', 'Invalid settlement account details', 'Credit to merchant account rejected by bank'], zh: ['入账失败：商户结算账户已冻结', '结算账户户名不符', '商户收款账户异常，退汇'] },
};
