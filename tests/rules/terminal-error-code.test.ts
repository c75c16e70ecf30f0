import { rule } from '../../rules/terminal-error-code.js';
import { ruleTester, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'no error code', subject: txnSubject({ status: 'failed' }) },
    { name: 'unknown name', subject: txnSubject({ status: 'failed', errorCode: 'SOMETHING_ODD' }) },
    { name: 'number outside every range', subject: txnSubject({ status: 'failed', errorCode: '-9999' }) },
    { name: 'approved, settlement side', subject: { ...txnSubject({ status: 'approved', errorCode: 'COMM_TIMEOUT' }), outcome: 'unsettled' } },
  ],
  invalid: [
    { name: 'COMM_TIMEOUT', subject: txnSubject({ status: 'timeout', errorCode: 'COMM_TIMEOUT' }), cause: 'network', evidence: 'terminal error COMM_TIMEOUT: Communication timeout' },
    { name: 'lowercase with spaces', subject: txnSubject({ status: 'failed', errorCode: 'tls handshake failed' }), cause: 'network', evidence: 'TLS handshake' },
    { name: 'exact -306', subject: txnSubject({ status: 'failed', errorCode: '-306' }), cause: 'network', evidence: 'TCP timeout' },
    { name: 'range -355 (SSL)', subject: txnSubject({ status: 'failed', errorCode: '-355' }), cause: 'network', evidence: 'SSL/TLS error' },
    { name: '-605 card pulled out beats the ICC range', subject: txnSubject({ status: 'terminated', errorCode: '-605' }), cause: 'input_error', evidence: 'pulled out' },
    { name: '-603 ICC power-on', subject: txnSubject({ status: 'failed', errorCode: '-603' }), cause: 'terminal_hardware', evidence: 'power-on' },
    { name: '-1013 tamper', subject: txnSubject({ status: 'failed', errorCode: '-1013' }), cause: 'terminal_hardware', evidence: '安全攻击' },
    { name: 'PRINTER_PAPER_OUT', subject: txnSubject({ status: 'failed', errorCode: 'PRINTER_PAPER_OUT' }), cause: 'terminal_hardware', evidence: 'out of paper' },
    { name: '-3102 device busy', subject: txnSubject({ status: 'failed', errorCode: '-3102' }), cause: 'terminal_software', evidence: 'Device busy' },
    { name: 'MAC_ERROR', subject: txnSubject({ status: 'failed', errorCode: 'MAC_ERROR' }), cause: 'configuration', evidence: 'MAC verification' },
    { name: 'POWER_LOSS', subject: txnSubject({ status: 'failed', errorCode: 'POWER_LOSS' }), cause: 'environment', evidence: 'Power lost' },
  ],
});
