import { rule } from '../../rules/timeout-status.js';
import { ruleTester, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'declined', subject: txnSubject() },
    { name: 'failed', subject: txnSubject({ status: 'failed' }) },
    { name: 'unknown outcome', subject: txnSubject({ status: 'unknown' }) },
  ],
  invalid: [
    { name: 'plain timeout', subject: txnSubject({ status: 'timeout' }), cause: 'network', evidence: 'the terminal got no answer from the host' },
    { name: 'weak signal is stated', subject: txnSubject({ status: 'timeout', signalDbm: -112, connection: '4g', latencyMs: 30000 }), cause: 'network', evidence: 'signal -112 dBm on 4g is weak' },
  ],
});
