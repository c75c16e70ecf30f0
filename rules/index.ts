import type { Rule } from './types.js';
import { rule as settlementReasonCode } from './settlement-reason-code.js';
import { rule as settlementMessage } from './settlement-message.js';
import { rule as orphanSettlement } from './orphan-settlement.js';
import { rule as duplicateRecord } from './duplicate-record.js';
import { rule as amountMismatch } from './amount-mismatch.js';
import { rule as settlementHeld } from './settlement-held.js';
import { rule as batchCloseFailed } from './batch-close-failed.js';
import { rule as powerLossBeforeSettlement } from './power-loss-before-settlement.js';
import { rule as networkDownBeforeSettlement } from './network-down-before-settlement.js';
import { rule as settlementMissing } from './settlement-missing.js';
import { rule as manualEntryCardNumber } from './manual-entry-card-number.js';
import { rule as chipCardSwiped } from './chip-card-swiped.js';
import { rule as responseCode } from './response-code.js';
import { rule as terminalErrorCode } from './terminal-error-code.js';
import { rule as networkOutage } from './network-outage.js';
import { rule as powerLossEvent } from './power-loss-event.js';
import { rule as hardwareFaultEvent } from './hardware-fault-event.js';
import { rule as softwareFaultEvent } from './software-fault-event.js';
import { rule as signOnFailed } from './sign-on-failed.js';
import { rule as messageKeyword } from './message-keyword.js';
import { rule as timeoutStatus } from './timeout-status.js';
import { rule as noEvidence } from './no-evidence.js';

/**
 * The engine runs these in order and keeps the first verdict, so the order is the evidence ranking of
 * causes.md: settlement facts, then response codes (context rules before the table), terminal error
 * codes, device events, free text, status, and last the rule that names `unknown`.
 */
export const RULES: readonly Rule[] = [
  // Settlement side: the acquirer's own reason first, then what reconciliation found.
  settlementReasonCode,
  settlementMessage,
  orphanSettlement,
  duplicateRecord,
  amountMismatch,
  settlementHeld,
  batchCloseFailed,
  powerLossBeforeSettlement,
  networkDownBeforeSettlement,
  settlementMissing,
  // Authorization side.
  manualEntryCardNumber,
  chipCardSwiped,
  responseCode,
  terminalErrorCode,
  networkOutage,
  powerLossEvent,
  hardwareFaultEvent,
  softwareFaultEvent,
  signOnFailed,
  messageKeyword,
  timeoutStatus,
  noEvidence,
];

