import { rule } from '../../rules/hardware-fault-event.js';
import { MIN, makeEvent, ruleTester, txnSubject } from './helpers.js';

const failed = txnSubject({ status: 'failed' });

ruleTester(rule, {
  valid: [
    { name: 'no events', subject: failed },
    { name: 'fault an hour earlier', subject: failed, events: [makeEvent('READER_FAULT', -60 * MIN)] },
    { name: 'declined', subject: txnSubject(), events: [makeEvent('READER_FAULT', 0)] },
    { name: 'network events are not hardware', subject: failed, events: [makeEvent('NETWORK_DOWN', -MIN)] },
  ],
  invalid: [
    { name: 'reader fault just after', subject: failed, events: [makeEvent('READER_FAULT', 20_000)], cause: 'terminal_hardware', evidence: 'event READER_FAULT, 20 s after the transaction' },
    { name: 'closest of several', subject: failed, events: [makeEvent('PRINTER_PAPER_OUT', -4 * MIN), makeEvent('PINPAD_FAULT', -MIN)], cause: 'terminal_hardware', evidence: 'PINPAD_FAULT' },
    { name: 'tamper', subject: txnSubject({ status: 'terminated' }), events: [makeEvent('TAMPER_DETECTED', 0)], cause: 'terminal_hardware', evidence: 'at the time of the transaction' },
  ],
});
