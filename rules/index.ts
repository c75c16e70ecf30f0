import type { Rule } from './types.js';
import { rule as settlementReason } from './settlement-reason.js';
import { rule as orphanSettlement } from './orphan-settlement.js';
import { rule as duplicateRecord } from './duplicate-record.js';
import { rule as amountMismatch } from './amount-mismatch.js';
import { rule as settlementHeld } from './settlement-held.js';
import { rule as batchCloseFailed } from './batch-close-failed.js';
import { rule as powerLossBeforeSettlement } from './power-loss-before-settlement.js';
import { rule as networkDownBeforeSettlement } from './network-down-before-settlement.js';
import { rule as lateSettlement } from './late-settlement.js';
import { rule as settlementMissing } from './settlement-missing.js';
import { rule as keyedEntry } from './keyed-entry.js';
import { rule as chipCardSwiped } from './chip-card-swiped.js';
import { rule as reason } from './reason.js';
import { rule as hardwareFaultEvent } from './hardware-fault-event.js';
import { rule as powerLossEvent } from './power-loss-event.js';
import { rule as networkOutage } from './network-outage.js';
import { rule as softwareFaultEvent } from './software-fault-event.js';
import { rule as signOnFailed } from './sign-on-failed.js';
import { rule as noEvidence } from './no-evidence.js';

/**
 * Every cause rule. The engine asks them all and keeps the strongest verdict (each rule's declared
 * strength, on the scale of rules/reasons.ts); this order only breaks ties. The last rule always answers.
 */
export const RULES: readonly Rule[] = [
  // Settlement side: the acquirer's own reason first, then what reconciliation found.
  settlementReason,
  orphanSettlement,
  duplicateRecord,
  amountMismatch,
  settlementHeld,
  batchCloseFailed,
  powerLossBeforeSettlement,
  networkDownBeforeSettlement,
  lateSettlement,
  settlementMissing,
  // Authorization side: context that reinterprets a reason, then the reasons, then device events.
  keyedEntry,
  chipCardSwiped,
  reason,
  hardwareFaultEvent,
  powerLossEvent,
  networkOutage,
  softwareFaultEvent,
  signOnFailed,
  noEvidence,
];
