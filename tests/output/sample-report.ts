import type { Finding, Report, RootCause, TerminalReport } from '../../src/model.js';
import type { AnalysisResult } from '../../src/output/types.js';

// A hand-built result with hostile input in every place input can reach: markup in a terminal id, a
// spreadsheet formula as merchant id, quotes, pipes and newlines in messages, Chinese text.

export const XSS_TERMINAL = '<script>alert(1)</script>';
export const FORMULA_MERCHANT = '=HYPERLINK("http://x")';
export const CHINESE_MERCHANT = '北京朝阳便利店';
export const HOSTILE_MESSAGE = 'Host said "quotes" | pipe\nsecond line';
export const HOSTILE_CARD = '<svg onload=alert(3)>';
export const GONE_TERMINAL = '<b>gone</b>|x';

const none = {} as Record<string, number>;

function terminal(p: Partial<TerminalReport> & Pick<TerminalReport, 'terminalId' | 'attempts' | 'failures'>): TerminalReport {
  const rate = p.attempts ? p.failures / p.attempts : 0;
  return {
    merchantId: null,
    approved: p.attempts - p.failures,
    incidentFailures: 0,
    failureRate: { rate, low: Math.max(0, rate - 0.04), high: Math.min(1, rate + 0.05) },
    unsettled: 0,
    unsettledAmount: [],
    failedAmount: [],
    findings: p.failures,
    byCause: none,
    byOutcome: none,
    firstSeen: '2024-05-04T09:00:00+08:00',
    lastSeen: '2024-05-04T10:30:00+08:00',
    softwareVersion: null,
    model: null,
    connection: null,
    events: none,
    assessment: 'ok',
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
    softwareVersion: null,
    model: null,
    connection: null,
    incident: null,
    src: { file: 'fleet/txns.ndjson', line: 1 },
    ...p,
  };
}

function rootCause(p: Partial<RootCause> & Pick<RootCause, 'cause' | 'findings' | 'attempts' | 'fleetRate'>): RootCause {
  const rate = p.findings / p.attempts;
  const ratio = p.fleetRate > 0 ? Math.round((rate / p.fleetRate) * 100) / 100 : null;
  return {
    rate,
    rateInterval: { low: Math.max(0, rate - 0.04), high: Math.min(1, rate + 0.05) },
    ratio,
    excess: p.findings - p.attempts * p.fleetRate,
    test: 'fisher-exact-greater',
    pValue: 1e-6,
    qValue: 1e-5,
    window: null,
    signals: [],
    evidence: [],
    whoActs: [],
    retryable: null,
    remediation: { en: '', zh: '' },
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
      unsettledAmount: [{ currency: 'CNY', amount: '45.60' }],
      failedAmount: [{ currency: 'CNY', amount: '369.00' }],
      byCause: { network: 20, card: 5, unknown: 5 },
      byOutcome: { timeout: 20, declined: 5, failed: 5 },
      softwareVersion: '-1.2.3',
      model: 'A920',
      connection: '4g',
      assessment: 'attention',
      rootCauses: [
        rootCause({
          cause: 'network',
          findings: 20,
          attempts: 200,
          fleetRate: 0.007,
          qValue: 2.3e-12,
          window: { start: '2024-05-04T09:10:00+08:00', end: '2024-05-04T10:40:00+08:00', share: 0.85, findings: 17 },
          signals: [
            { source: 'errorCode', code: 'COMM_TIMEOUT', count: 12 },
            { source: 'event', code: 'NETWORK_DOWN', count: 3 },
          ],
          evidence: ['20 of 200 attempts (10.0%) against 0.70% in the rest of the fleet: 14.29×'],
          whoActs: ['network', 'merchant'],
          retryable: 'yes',
          remediation: { en: 'Check signal strength and the router.', zh: '检查网络信号和路由器。' },
        }),
        rootCause({
          cause: 'card',
          findings: 5,
          attempts: 200,
          fleetRate: 0,
          qValue: 0.012,
          signals: [{ source: 'responseCode', code: '54', count: 5 }],
          evidence: ['5 expired cards'],
          whoActs: ['cardholder'],
          retryable: 'no',
          remediation: { en: 'Ask for another card.', zh: '请持卡人换卡。' },
        }),
      ],
    }),
    terminal({
      terminalId: XSS_TERMINAL,
      merchantId: FORMULA_MERCHANT,
      attempts: 50,
      failures: 10,
      failedAmount: [{ currency: 'CNY', amount: '900.00' }],
      byCause: { terminal_hardware: 10 },
      byOutcome: { failed: 10 },
      model: 'P|pipe',
      connection: 'wifi',
      assessment: 'attention',
      rootCauses: [
        rootCause({
          cause: 'terminal_hardware',
          findings: 10,
          attempts: 50,
          fleetRate: 0.026,
          window: { start: '2024-05-04T09:30:00+08:00', end: '<i>late</i>', share: 0.9, findings: 9 },
          signals: [{ source: 'event', code: '<img src=y onerror=alert(4)>', count: 3 }],
          evidence: ['PRINTER_FAULT x3 <b>'],
          whoActs: ['terminal'],
          retryable: 'no',
          remediation: { en: 'Replace the printer.', zh: '更换打印机。' },
        }),
      ],
    }),
    terminal({
      terminalId: 'T-北京-01',
      merchantId: CHINESE_MERCHANT,
      attempts: 100,
      failures: 5,
      failedAmount: [{ currency: 'CNY', amount: '61.50' }],
      byCause: { cardholder_account: 3, input_error: 2 },
      byOutcome: { declined: 5 },
      softwareVersion: '@SUM(A1)',
    }),
    terminal({ terminalId: 'T003', attempts: 12, failures: 0, assessment: 'insufficient_data' }),
  ];
  const findings: Finding[] = [
    finding({ txnId: 'a1', terminalId: 'T001', cause: 'network', outcome: 'timeout', errorCode: 'COMM_TIMEOUT', ruleId: 'terminal-error', evidence: [{ source: 'errorCode', code: 'COMM_TIMEOUT', text: 'communication timeout' }] }),
    finding({ txnId: 'a2', terminalId: 'T001', cause: 'card', outcome: 'declined', responseCode: '54', ruleId: 'response-code' }),
    finding({ txnId: 'b1', terminalId: XSS_TERMINAL, merchantId: FORMULA_MERCHANT, cause: 'terminal_hardware', message: HOSTILE_MESSAGE, ruleId: 'keyword', evidence: [{ source: 'message', text: '<img src=x onerror=alert(2)>' }] }),
    finding({ txnId: 'c1', terminalId: 'T-北京-01', merchantId: CHINESE_MERCHANT, cause: 'cardholder_account', outcome: 'declined', message: '余额不足', ruleId: 'keyword' }),
  ];
  const report: Report = {
    schemaVersion: 2,
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
        encodingReason: 'test',
        compressed: false,
        profile: null,
        read: 390,
        accepted: 380,
        rejected: 10,
        skipped: 0,
        skippedBy: {},
        skips: [],
        records: { transactions: 380, events: 0, settlement: 0 },
        topRejectReason: null,
        warnings: [],
        privacy: { cardNumbersMasked: 0, idsTokenized: {}, fieldsDropped: {} },
      },
      {
        path: 'fleet/settle "<b>x</b>".csv',
        kind: 'settlement',
        format: 'csv',
        encoding: 'gb18030',
        encodingReason: 'test',
        compressed: true,
        profile: null,
        read: 120,
        accepted: 120,
        rejected: 0,
        skipped: 0,
        skippedBy: {},
        skips: [],
        records: { transactions: 0, events: 0, settlement: 120 },
        topRejectReason: null,
        warnings: [],
        privacy: { cardNumbersMasked: 0, idsTokenized: {}, fieldsDropped: {} },
      },
    ],
    totals: { read: 510, accepted: 500, rejected: 10, skipped: 0 },
    warnings: [],
    summary: {
      terminals: 4,
      attempts: 380,
      approved: 335,
      failures: 45,
      failureRate: { rate: 45 / 380, low: 0.0897, high: 0.1553 },
      unsettled: 2,
      unsettledAmount: [{ currency: 'CNY', amount: '45.60' }],
      failedAmount: [{ currency: 'CNY', amount: '1330.50' }],
      findings: 47,
      byCause: { network: 20, terminal_hardware: 10, card: 5, unknown: 5, cardholder_account: 3, input_error: 2, reconciliation: 2 },
      byOutcome: { timeout: 20, failed: 15, declined: 10, unsettled: 2 },
      classified: 42,
      unknown: 5,
      currencies: { CNY: 380 },
      period: { start: '2024-05-04T09:00:00+08:00', end: '2024-05-04T10:30:00+08:00' },
      settlement: { provided: true, records: 120, matched: 116, notYetDue: 0, outOfPeriod: 2, asOf: '2024-05-05' },
      events: { NETWORK_DOWN: 3 },
      unknownEvents: { 'WEIRD<EVENT>': 1 },
    },
    terminals,
    incidents: [
      {
        id: 'I1',
        start: '2024-05-04T09:15:00+08:00',
        end: '2024-05-04T09:45:00+08:00',
        causes: ['network'],
        terminals: ['T001', XSS_TERMINAL],
        merchants: ['M001', FORMULA_MERCHANT],
        failures: 18,
        byCause: { network: 18 },
        rate: 0.134,
        baselineRate: 0.012,
        evidence: ['18 network failures on 2 terminals <em>at once</em>'],
      },
    ],
    attribution: {
      test: 'fisher-exact-greater',
      correction: 'benjamini-hochberg',
      alpha: 0.01,
      minAttempts: 30,
      minFindings: 3,
      minRatio: 2,
      backgroundMinRatio: 3,
      issuerSideMinFindings: 6,
      tests: 12,
      incidentBucketMinutes: 10,
    },
    groupings: [
      {
        dimension: 'softwareVersion',
        groups: [
          {
            value: '-1.2.3',
            attempts: 200,
            failures: 30,
            failureRate: { rate: 0.15, low: 0.107, high: 0.206 },
            byCause: { network: 20, card: 5, unknown: 5 },
            flags: [{ cause: 'network', findings: 20, rate: 0.1, restRate: 0.011, ratio: 9.09, qValue: 3.1e-7 }],
          },
          {
            value: '@SUM(A1)',
            attempts: 100,
            failures: 5,
            failureRate: { rate: 0.05, low: 0.022, high: 0.112 },
            byCause: { cardholder_account: 3, input_error: 2 },
            flags: [],
          },
        ],
      },
      {
        dimension: 'model',
        groups: [
          {
            value: 'P|pipe',
            attempts: 50,
            failures: 10,
            failureRate: { rate: 0.2, low: 0.112, high: 0.331 },
            byCause: { terminal_hardware: 10 },
            flags: [],
          },
        ],
      },
    ],
    cards: [{ cardRef: HOSTILE_CARD, terminals: ['T001', XSS_TERMINAL], failures: 4, byCause: { card: 4 } }],
    changes: {
      baseline: {
        path: 'prev/report.json',
        generatedAt: '2024-05-04T08:00:00+08:00',
        period: { start: '2024-05-03T09:00:00+08:00', end: '2024-05-03T21:00:00+08:00' },
      },
      rose: [{ terminalId: XSS_TERMINAL, before: 0.02, after: 0.2, attemptsBefore: 60, attemptsAfter: 50, pValue: 1e-4, qValue: 4e-4 }],
      newRootCauses: [{ terminalId: XSS_TERMINAL, cause: 'terminal_hardware' }],
      resolvedRootCauses: [{ terminalId: 'T-北京-01', cause: 'cardholder_account' }],
      newTerminals: ['T003'],
      missingTerminals: [GONE_TERMINAL],
    },
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
