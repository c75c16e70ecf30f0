import type { ContextRule } from '../types.js';
import { rule as incidentGeneric } from './incident-generic.js';
import { rule as deviceFaultExcess } from './device-fault-excess.js';

/** Context rules, run once after the per-transaction pass and the fleet statistics; later ones win a finding. */
export const CONTEXT_RULES: readonly ContextRule[] = [incidentGeneric, deviceFaultExcess];
