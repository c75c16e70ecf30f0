// A small merchant export with Chinese headers, a card number in a cell and in a message, and one bad row.
export const PAN = '4111111111111111';

export const EXPORT_CSV = [
  '交易单号,商户号,终端号,交易时间,交易金额,交易状态,应答码,失败原因,卡号',
  `A1,M1,T001,2026-11-20 10:00:00,12.30,成功,00,,${PAN}`,
  `A2,M1,T001,2026-11-20 10:05:00,8.00,失败,51,卡 ${PAN} 余额不足,${PAN}`,
  'A3,M1,T002,2026-11-20 10:06:00,5.00,失败,55,密码错误,',
  'A4,M1,T002,2026-11-20 10:07:00,abc,成功,00,,',
].join('\r\n') + '\r\n';

export const SETTLEMENT_CSV = 'txnId,terminalId,settlementDate,amount,currency,status\r\nA1,T001,2026-11-21,12.30,CNY,settled\r\n';
