import type { Rule } from './types.js';
import type { Evidence } from '../src/model.js';

// Below this the link is marginal (4G RSRP / Wi-Fi RSSI alike): worth stating next to a timeout.
export const WEAK_SIGNAL_DBM = -100;

export const rule: Rule = {
  meta: {
    id: 'timeout-status',
    causes: ['network'],
    title: 'Timed out with no other evidence',
    description: 'An attempt that timed out and that no code, event or message explains: the terminal got no answer from the host.',
    needs: ['status', 'context'],
  },
  match(subject) {
    const txn = subject.txn;
    if (!txn || (subject.outcome !== 'timeout' && !(subject.outcome === 'failed' && txn.status === 'timeout'))) return undefined;
    const evidence: Evidence[] = [{ source: 'status', code: 'timeout', text: 'status timeout: the terminal got no answer from the host' }];
    if (txn.signalDbm !== undefined && txn.signalDbm <= WEAK_SIGNAL_DBM) {
      evidence.push({ source: 'context', code: 'signalDbm', text: `signal ${txn.signalDbm} dBm${txn.connection ? ` on ${txn.connection}` : ''} is weak` });
    }
    if (txn.latencyMs !== undefined) evidence.push({ source: 'context', code: 'latencyMs', text: `host round trip ${txn.latencyMs} ms` });
    return { cause: 'network', evidence };
  },
};
