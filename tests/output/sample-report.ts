import type { Finding, Report, TerminalReport } from '../../src/model.js';
import type { AnalysisResult } from '../../src/output/types.js';

// A hand-built result with hostile input in every place input can reach: markup in a terminal id, a
// spreadsheet formula as merchant id, quotes, pipes and newlines in messages, Chinese text.

export const XSS_TERMINAL = '<script>alert(1)</script>';
export const FORMULA_MERCHANT = '=HYPERLINK("http://x")';
export const CHINESE_MERCHANT = '北京朝阳便利店';
export const HOSTILE_MESSAGE = 'Host said "quotes" | pipe\nsecond line';

const none = {} as Record<string, number>;

function terminal(p: Partial<TerminalReport> & Pick<TerminalReport, 'terminalId' | 'attempts' | 'failures'>): TerminalReport {
  const rate = p.attempts ? p.failures / p.attempts : 0;
  return {
    merchantId: null,
    approved: p.attempts - p.failures,
    failureRate: { rate, low: Math.max(0, rate - 0.04), high: Math.min(1, rate + 0.05) },
    unsettled: 0,
    unsettledAmount: '0.00',
    failedAmount: '0.00',
    findings: p.failures,
    byCause: none,
    byOutcome: none,
    firstSeen: '2024-05-04T09:00:00+08:00',
    lastSeen: '2024-05-04T10:30:00+08:00',
    softwareVersion: null,
    model: null,
    connection: null,
    events: none,
    rootCauses: [],
    ...p,
  };
}

function finding(p: Partial<Finding> & Pick<Finding, 'terminalId' | 'cause'>): Finding {
  return {
    txnId: 'X',
    rrn: null,
    merchantId: null,
    timestamp: '2024-05-04T09:15:00+08:00',
    type: 'sale',
    amount: '12.30',
    currency: 'CNY',
    outcome: 'failed',
    ruleId: 'response-code',
    evidence: [],
    status: 'failed',
    responseCode: null,
    codeProfile: null,
    errorCode: null,
    message: null,
    entryMode: null,
    cardRef: null,
    settlement: null,
    src: { file: 'fleet/txns.ndjson', line: 1 },
    ...p,
  };
}

export function sampleResult(): AnalysisResult {
  const terminals: TerminalReport[] = [
    terminal({
      terminalId: 'T001',
      merchantId: 'M001',
      attempts: 200,
      failures: 30,
      unsettled: 2,
      unsettledAmount: '45.60',
      failedAmount: '369.00',
      byCause: { network: 20, card: 5, unknown: 5 },
      byOutcome: { timeout: 20, declined: 5, failed: 5 },
      softwareVersion: '-1.2.3',
      model: 'A920',
      connection: '4g',
    }),
    terminal({
      terminalId: XSS_TERMINAL,
      merchantId: FORMULA_MERCHANT,
      attempts: 50,
      failures: 10,
      failedAmount: '123.00',
      byCause: { terminal_hardware: 10 },
      byOutcome: { failed: 10 },
      model: 'P|pipe',
      connection: 'wifi',
    }),
    terminal({
      terminalId: 'T-北京-01',
      merchantId: CHINESE_MERCHANT,
      attempts: 100,
      failures: 5,
      failedAmount: '61.50',
      byCause: { cardholder_account: 3, input_error: 2 },
      byOutcome: { declined: 5 },
      softwareVersion: '@SUM(A1)',
    }),
    terminal({ terminalId: 'T003', attempts: 30, failures: 0 }),
  ];
  const findings: Finding[] = [
    finding({ txnId: 'a1', terminalId: 'T001', cause: 'network', outcome: 'timeout', errorCode: 'COMM_TIMEOUT', ruleId: 'terminal-error', evidence: [{ source: 'errorCode', code: 'COMM_TIMEOUT', text: 'communication timeout' }] }),
    finding({ txnId: 'a2', terminalId: 'T001', cause: 'card', outcome: 'declined', responseCode: '54', ruleId: 'response-code' }),
    finding({ txnId: 'b1', terminalId: XSS_TERMINAL, merchantId: FORMULA_MERCHANT, cause: 'terminal_hardware', message: HOSTILE_MESSAGE, ruleId: 'keyword', evidence: [{ source: 'message', text: '<img src=x onerror=alert(2)>' }] }),
    finding({ txnId: 'c1', terminalId: 'T-北京-01', merchantId: CHINESE_MERCHANT, cause: 'cardholder_account', outcome: 'declined', message: '余额不足', ruleId: 'keyword' }),
  ];
  const report: Report = {
    schemaVersion: 1,
    generatedAt: '2024-05-05T08:00:00+08:00',
    tool: { name: 'txlog', version: '0.1.0' },
    options: {
      tz: 'Asia/Shanghai',
      currency: 'CNY',
      settlementGraceDays: 1,
      amountTolerance: '0.00',
      profile: 'iso',
      lang: 'en',
      rulesFile: null,
      bucketMinutes: 15,
    },
    inputs: [
      {
        path: 'fleet/txns.ndjson',
        kind: 'terminal',
        format: 'ndjson',
        encoding: 'utf-8',
        compressed: false,
        profile: null,
        read: 390,
        accepted: 380,
        rejected: 10,
        records: { transactions: 380, events: 0, settlement: 0 },
      },
      {
        path: 'fleet/settle "<b>x</b>".csv',
        kind: 'settlement',
        format: 'csv',
        encoding: 'gb18030',
        compressed: true,
        profile: null,
        read: 120,
        accepted: 120,
        rejected: 0,
        records: { transactions: 0, events: 0, settlement: 120 },
      },
    ],
    totals: { read: 510, accepted: 500, rejected: 10 },
    summary: {
      terminals: 4,
      attempts: 380,
      approved: 335,
      failures: 45,
      failureRate: { rate: 45 / 380, low: 0.0897, high: 0.1553 },
      unsettled: 2,
      unsettledAmount: '45.60',
      findings: 47,
      byCause: { network: 20, terminal_hardware: 10, card: 5, unknown: 5, cardholder_account: 3, input_error: 2, reconciliation: 2 },
      byOutcome: { timeout: 20, failed: 15, declined: 10, unsettled: 2 },
      classified: 42,
      unknown: 5,
      currency: 'CNY',
      currencies: { CNY: 380 },
      period: { start: '2024-05-04T09:00:00+08:00', end: '2024-05-04T10:30:00+08:00' },
      settlement: { provided: true, records: 120, matched: 116, notYetDue: 0, outOfPeriod: 2, asOf: '2024-05-05' },
      events: { NETWORK_DOWN: 3 },
      unknownEvents: { 'WEIRD<EVENT>': 1 },
    },
    terminals,
    incidents: [
      {
        start: '2024-05-04T09:15:00+08:00',
        end: '2024-05-04T09:45:00+08:00',
        causes: ['network'],
        terminals: ['T001', XSS_TERMINAL],
        failures: 18,
      },
    ],
    timeline: [
      { start: '2024-05-04T09:00:00+08:00', attempts: 60, failures: 4, byCause: { card: 2, cardholder_account: 2 } },
      { start: '2024-05-04T09:15:00+08:00', attempts: 70, failures: 12, byCause: { network: 10, terminal_hardware: 2 } },
      { start: '2024-05-04T09:30:00+08:00', attempts: 65, failures: 11, byCause: { network: 8, terminal_hardware: 3 } },
      { start: '2024-05-04T09:45:00+08:00', attempts: 62, failures: 6, byCause: { terminal_hardware: 3, card: 3 } },
      { start: '2024-05-04T10:15:00+08:00', attempts: 63, failures: 7, byCause: { unknown: 5, input_error: 2 } },
      { start: '2024-05-04T10:30:00+08:00', attempts: 60, failures: 5, byCause: { terminal_hardware: 2, network: 2, cardholder_account: 1 } },
    ],
    rules: [
      { id: 'response-code', causes: ['card', 'cardholder_account'], title: 'ISO 8583 response code table', findings: 8 },
      { id: 'terminal-error', causes: ['network'], title: 'Terminal error codes', findings: 20 },
      { id: 'keyword', causes: ['terminal_hardware'], title: 'Keyword <match>', findings: 12 },
      { id: 'unused', causes: ['fraud'], title: 'Never fires', findings: 0 },
    ],
  };
  return { report, findings };
}
