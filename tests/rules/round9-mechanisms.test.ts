// Round 9 (docs/vocabulary.md): a part of the terminal named as the subject of a way of failing that could be
// anyone's is that part's fault. The parts are classes of words, not strings: the terminal's own software (a
// thread, a callback, the kernel, an SDK), a device or peripheral (Bluetooth, "the device", a scanner, the SP),
// a step of the EMV kernel, the ISO message it packs, a key slot of the PED; and something the cardholder is
// asked to do, where a timeout is the wait for the cardholder. Each is stated over several wordings, in English
// and Chinese, with what must not change beside it.
import { describe, expect, it } from 'vitest';
import { phraseCause as causeOf } from './helpers.js';
import { builtinTables, makeLookups } from '../../rules/tables.js';
import { REASON_BY_ID } from '../../rules/reasons.js';

const read = makeLookups(builtinTables()).read;
const reasonOf = (t: string) => read.message(t, 'iso').filter((h) => h.reason !== 'uninformative' && !h.guessed).sort((a, b) => b.strength - a.strength)[0]?.reason;

const FAILS_EN = ['error', 'failed', 'exception', 'is null', 'malfunction'];
const FAILS_ZH = ['异常', '出错', '错误', '失败', '被异常中断', '为空', '异常中断'];
const TIMEOUTS_EN = ['timeout', 'timed out'];
const TIMEOUTS_ZH = ['超时', '超時'];

describe('A: a part of the terminal\'s own software, beside a way of failing', () => {
  const PARTS_EN = ['Thread', 'Callback', 'Kernel', 'SDK', 'Command', 'JNI'];
  const PARTS_ZH = ['线程', '回调', '内核', '进程', '函数', '回調', '執行緒'];

  it('is the terminal software\'s error, whatever the part and the word', () => {
    for (const p of PARTS_EN) for (const f of FAILS_EN) expect(causeOf(`${p} ${f}`), `${p} ${f}`).toBe('terminal_software');
    for (const p of PARTS_ZH) for (const f of FAILS_ZH) expect(causeOf(`${p}${f}`), `${p}${f}`).toBe('terminal_software');
    // SCREAMING_SNAKE SDK constants read as their words.
    for (const t of ['SDK_CMD_ERR', 'SDK_ERR', 'CALLBACK_ERR', 'KERNEL_FAIL']) expect(causeOf(t), t).toBe('terminal_software');
    // The part of the software leads over the device it belongs to.
    expect(causeOf('PINPAD回调为空')).toBe('terminal_software');
    expect(causeOf('PIN状态查询线程被异常中断')).toBe('terminal_software');
    expect(causeOf('打印机线程异常')).toBe('terminal_software');
  });

  it('beside a timeout is the software\'s too, not the link\'s', () => {
    for (const p of ['回调', '线程', '内核']) for (const t of TIMEOUTS_ZH) expect(causeOf(`${p}${t}`), `${p}${t}`).toBe('terminal_software');
    for (const t of TIMEOUTS_EN) expect(causeOf(`Callback ${t}`)).toBe('terminal_software');
  });

  it('says nothing alone, and leaves the host side and other readings alone', () => {
    for (const p of [...PARTS_EN, ...PARTS_ZH]) expect(causeOf(p), p).toBe('unknown');
    // A host or server named beside it keeps the failure the link's (or the platform's).
    expect(causeOf('SDK连接服务器失败')).toBe('network');
    expect(causeOf('SDK connection to the host failed')).toBe('network');
    // What else the text names still decides.
    expect(causeOf('SDK: insufficient funds')).toBe('cardholder_account');
    expect(causeOf('Callback URL not configured')).toBe('configuration');
    expect(causeOf('数据库异常')).toBe('issuer_platform');
  });

  it('names the software\'s own mistakes whole: a repeated call, a null object, the local database', () => {
    for (const t of ['重复调用', '重複調用', 'Duplicate call', 'CardInfo为null', 'object is null', '数据库保存终端参数出错', 'Local database error']) expect(causeOf(t), t).toBe('terminal_software');
    // A request sent twice to the host stays a duplicate transmission.
    expect(causeOf('重复交易')).toBe('reconciliation');
  });

  it('reads the app not allowed to call a service as its set-up (permission), not the device named', () => {
    for (const t of ['缺少PINPAD权限', '未被授权调用SPHS', '未被授權調用', 'Permission denied', 'not authorized to call the PIN pad']) expect(causeOf(t), t).toBe('configuration');
  });
});

describe('C: a named device or peripheral, beside a link verb or a way of failing', () => {
  const DEVICES_EN = ['Device', 'Bluetooth', 'BT', 'USB device', 'Scanner', 'Barcode scanner', 'Peripheral', 'SP', 'VSD'];
  const DEVICES_ZH = ['设备', '蓝牙', '外设', '扫码模块', '蜂鸣器', '藍牙', '設備', '安全芯片'];
  const LINKS_EN = ['connection error', 'connect error', 'not connected', 'open error', 'scan error', 'send error', 'receive error', 'not responding', 'not found'];
  const LINKS_ZH = ['连接失败', '未连接', '连接断开', '打开失败', '未打开', '通讯失败', '无响应', '未搜索到', '連接失敗'];

  it('is that device\'s fault, not the network', () => {
    for (const d of DEVICES_EN) for (const l of LINKS_EN) expect(causeOf(`${d} ${l}`), `${d} ${l}`).toBe('terminal_hardware');
    for (const d of DEVICES_ZH) for (const l of LINKS_ZH) expect(causeOf(`${d}${l}`), `${d}${l}`).toBe('terminal_hardware');
    for (const t of ['未搜索到ETC设备', '与SP通讯失败', 'UART发送失败']) expect(causeOf(t), t).toBe('terminal_hardware');
  });

  it('reads SCREAMING_SNAKE device constants as words (BT, DEV, CONN, RECV, ERR)', () => {
    for (const t of ['DEVICE_CONN_ERR', 'DEV_CONN_ERR', 'DEVICE_OPEN_ERR', 'BT_NOT_OPEN', 'BT_SCAN_ERR', 'BT_SCAN_TIMEOUT', 'BT_CONN_FAIL', 'BT_NOT_SUPPORT', 'DEVICE_NOT_SUPPORT', 'BT_NO_BONDED_DEVICE', 'BLE_RECV_ERR']) {
      expect(causeOf(t), t).toBe('terminal_hardware');
    }
  });

  it('beside a timeout is the device\'s (a scan, a reply from it), not the host link', () => {
    for (const d of ['Bluetooth scan', 'Device', 'SP']) for (const t of TIMEOUTS_EN) expect(causeOf(`${d} ${t}`), `${d} ${t}`).toBe('terminal_hardware');
    for (const d of ['蓝牙', '设备', 'SP通讯']) expect(causeOf(`${d}超时`), `${d}超时`).toBe('terminal_hardware');
  });

  it('says nothing alone, and leaves the host link, identifiers and busy states alone', () => {
    for (const d of ['Device', '设备', 'Bluetooth', '蓝牙', '设备重启']) expect(causeOf(d), d).toBe('unknown');
    // A host-side link named beside the device is the link.
    expect(causeOf('设备连接主机失败')).toBe('network');
    expect(causeOf('Device could not connect to the host')).toBe('network');
    // The device's identifier wrong is the terminal's registration, not the device.
    for (const t of ['设备号错误', '设备序列号有误', '安全模块号绑定错误', 'Invalid device id']) expect(causeOf(t), t).toBe('configuration');
    // A device busy with what it is doing is busy (terminal software), not failing.
    for (const t of ['PRN_PRINTING', '打印中', '正在打印', '输PIN进行中', 'Device busy']) expect(reasonOf(t), t).toBe('device_busy');
    // Link timeouts with no device named stay the network's.
    for (const t of ['通讯超时', '交易超时', 'Connection timeout', 'Host timeout', 'RECV_TIMEOUT', '连接主机超时', '接收超时']) expect(causeOf(t), t).toBe('network');
  });

  it('lets a bare device noun give way to a reason of the software or set-up beside it', () => {
    // "PED", "PINPAD", "printer" name where it happened; what happened decides.
    expect(reasonOf('往ped里存密钥失败')).toBe('key_error');
    expect(reasonOf('往PED里写RSA PUK 失败')).toBe('key_error');
    expect(reasonOf('PRN_UNKNOWN_CMD')).toBe('format_error');
    expect(reasonOf('EXT PCI PINPAD NOT IMPLEMENTED.')).toBe('function_not_supported');
    // Beside a way of failing that could be anyone's, or alone, the bare noun is still that device's fault.
    for (const t of ['PINPAD', 'PED通讯错误', 'PINPAD_TIMEOUT', 'printer connection failed', '打印机连接失败', 'Printer', '密码键盘无响应']) expect(causeOf(t), t).toBe('terminal_hardware');
    // "PIN pad" is a device, not a PIN typed wrong; a PIN typed wrong at it is still the cardholder's.
    expect(causeOf('PIN pad error')).toBe('terminal_hardware');
    expect(causeOf('PED输入超时')).not.toBe('network');
  });
});

describe('B: a step of the EMV kernel', () => {
  const STEPS_ZH = ['交易预处理', '数据交换', '处理限制', 'CVM处理', '第一次GAC', '第二次GAC', '建立候选列表', '數據交換'];
  const STEPS_EN = ['Preprocessing', 'Data exchange', 'Processing restrictions', 'CVM processing', 'First GAC', 'Candidate list'];

  it('beside an error or a timeout is the kernel\'s (terminal software), not the link, the card or fraud', () => {
    for (const s of STEPS_ZH) for (const w of ['出错', '失败', '超时', '错误']) expect(causeOf(`${s}${w}`), `${s}${w}`).toBe('terminal_software');
    for (const s of STEPS_EN) for (const w of ['error', 'timeout', 'timed out', 'exception']) expect(causeOf(`${s} ${w}`), `${s} ${w}`).toBe('terminal_software');
    // ("CVM processing failed" is read as "processing failed", a longer phrase that says nothing, beside "CVM": left as it was.)
    expect(causeOf('Data exchange failed')).toBe('terminal_software');
    expect(causeOf('第一次GAC前回调超时')).toBe('terminal_software');
  });

  it('reads terminal risk management and terminal action analysis as kernel steps, in both languages, not risk control', () => {
    for (const t of ['终端风险管理超时', '终端风险管理出错', '終端風險管理失敗', '终端行为分析失败', 'Terminal risk management failed', 'Terminal action analysis error']) expect(causeOf(t), t).toBe('terminal_software');
    for (const t of ['风控拒绝', '风险交易', '交易存在风险', 'Declined by risk control', '风险控制拒绝']) expect(causeOf(t), t).toBe('fraud');
  });

  it('beside a timeout at an application-selection step is the wait for the cardholder', () => {
    for (const t of ['最终选择超时', '应用选择超时', '最終選擇超時', 'Final select timeout', 'Application selection timed out']) expect(causeOf(t), t).toBe('input_error');
    // Failing there, the card could not be read (as "application selection failed" always read).
    expect(causeOf('最终选择出错')).toBe(causeOf('Application selection failed'));
  });

  it('leaves what the step itself does not cause alone', () => {
    // A CVM type the kernel does not know is the kernel's; a cardholder failing verification is the cardholder's.
    expect(causeOf('未知的CVM类型')).toBe('terminal_software');
    expect(causeOf('非接卡CVM处理出错')).toBe('terminal_software');
    expect(causeOf('持卡人认证失败')).toBe('input_error');
    // A host named beside the step keeps it the host link's.
    expect(causeOf('与主机数据交换失败')).not.toBe('terminal_software');
  });
});

describe('I: a timeout whose subject is something the cardholder is asked to do', () => {
  it('is the wait for the cardholder, not the link', () => {
    for (const t of ['确认卡号信息失败，或者超时', '确认金额超时', '持卡人确认超时', '確認金額超時', 'Transaction timed out at the ACS', 'Cardholder confirmation timeout', 'Challenge timed out']) {
      expect(causeOf(t), t).toBe('input_error');
    }
    expect(causeOf('Decoupled authentication was provided insufficient time to authenticate cardholder')).toBe('input_error');
  });

  it('says nothing alone, and a bare or host timeout stays the link\'s', () => {
    for (const t of ['确认金额', 'ACS', 'Challenge']) expect(causeOf(t), t).toBe('unknown');
    for (const t of ['超时', 'Timeout', '主机超时', 'Host response timeout']) expect(causeOf(t), t).toBe('network');
  });
});

describe('E: packing or unpacking the ISO message, and its numbered fields', () => {
  it('is a message format error, whatever the field number', () => {
    for (const n of ['2', '39', '55', '62', '128']) {
      for (const t of [`BIT ${n} DEF ERR`, `BIT${n} ERR`, `UNPACK ${n} ERR`, `PACK ${n} ERROR`, `${n}域错误`, `第${n}域出错`, `${n}域錯誤`]) expect(reasonOf(t), t).toBe('format_error');
    }
    for (const t of ['PACK HEADER ERR', 'UNPACK HEAD ERR', 'Unpacking failed', '打包出错', '解包异常', '组包失败', '非法包', '非法报文', 'Illegal packet']) expect(reasonOf(t), t).toBe('format_error');
  });

  it('leaves a request field a host names, and response codes quoted by field, alone', () => {
    // "报文参数" is a request parameter in a host's reply: not a format error of the terminal's packing.
    expect(causeOf('报文参数错误')).not.toBe('transaction_data');
    expect(causeOf('Invalid card number')).toBe('card');
    // A response code quoted as field 39 is still that code.
    expect(causeOf('Field 39: 51')).toBe('cardholder_account');
    expect(causeOf('DE39=05 Do not honour')).toBe('issuer_decline');
  });
});

describe('D: a key slot or key material of the PED', () => {
  it('beside invalid or an error is a key error, not a request field nor the PED', () => {
    for (const s of ['DST INDEX', 'SRC INDEX', 'GROUP INDEX', 'KEY INDEX', 'KEY SLOT', 'Check value']) for (const v of ['INVALID ', '']) {
      const t = v ? `${v}${s}` : `${s} ERROR`;
      expect(reasonOf(t), t).toBe('key_error');
    }
    for (const t of ['目的密钥错误', '源密钥索引错误', '组索引非法', '写入密钥失败', '注入密钥失败', '寫入密鑰失敗']) expect(reasonOf(t), t).toBe('key_error');
    // Alone, an index is nothing; "INVALID" alone is a field.
    expect(causeOf('Group index')).toBe('unknown');
    expect(causeOf('INVALID')).toBe('transaction_data');
  });
});

describe('J and K: terse EDC screen forms, and magnetic tracks', () => {
  it('expands screen abbreviations', () => {
    expect(causeOf('UNSUPPORT CARD')).toBe(causeOf('Unsupported card'));
    expect(causeOf('UNSUPPORT CARD')).toBe('card');
    expect(reasonOf('ALREADY ADJUST')).toBe('already_processed');
    expect(reasonOf('ALREADY VOID')).toBe(reasonOf('ALREADY ADJUST'));
    expect(causeOf('CARD NOT READY')).toBe('input_error');
    expect(causeOf('CARD NOT INIT')).toBe('terminal_hardware');
    expect(causeOf("Card not in authorizer's database")).toBe('card');
    expect(causeOf('Function not implemented')).toBe('configuration');
  });

  it('reads every magnetic track\'s error alike', () => {
    const first = reasonOf('二磁错误');
    expect(first).toBeDefined();
    for (const t of ['一磁错误', '三磁错误', '一,二磁错误', '一,二,三磁错误', '二,三磁错误', '一磁錯誤', 'Track 1 error', 'Track 2 error']) expect(reasonOf(t), t).toBe(first);
  });
});

describe('round 9 subjects', () => {
  it('are subjects that say nothing alone, each declaring what it fails as', () => {
    for (const id of ['device_named', 'software_named', 'emv_step_named', 'selection_step_named', 'cardholder_step_named', 'message_part_named', 'key_slot_named']) {
      const r = REASON_BY_ID.get(id);
      expect(r?.subject, id).toBe(true);
      expect(r?.quietAlone, id).toBe(true);
      expect(r?.failsAs ?? r?.timeoutAs, id).toBeDefined();
    }
  });

  it('leave host decline answers as they were', () => {
    const HOST: [string, string][] = [
      ['Insufficient funds', 'cardholder_account'],
      ['余额不足', 'cardholder_account'],
      ['Do not honour', 'issuer_decline'],
      ['发卡行拒绝交易', 'issuer_decline'],
      ['Expired card', 'card'],
      ['卡已过期', 'card'],
      ['密码错误', 'input_error'],
      ['Lost card, pick up', 'fraud'],
      ['Exceeds withdrawal amount limit', 'limits'],
      ['无效商户', 'configuration'],
      ['Issuer or switch inoperative', 'issuer_platform'],
      ['拒绝但不没收卡', causeOf('拒绝但不没收卡')!],
    ];
    for (const [t, c] of HOST) expect(causeOf(t), t).toBe(c);
  });
});
