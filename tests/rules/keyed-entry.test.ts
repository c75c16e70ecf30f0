import { rule } from '../../rules/keyed-entry.js';
import { ruleTester, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'no entry mode', subject: txnSubject({ responseCode: '14' }) },
    { name: 'keyed, but a reason typing cannot cause', subject: txnSubject({ responseCode: '51', entryMode: 'manual' }) },
    { name: 'QR code', subject: txnSubject({ responseCode: '14', entryMode: 'qr' }) },
    { name: 'an expired card is the card\'s, keyed or not', subject: txnSubject({ responseCode: '54', entryMode: 'manual' }) },
  ],
  invalid: [
    { name: '14 keyed', subject: txnSubject({ responseCode: '14', entryMode: 'manual' }), cause: 'input_error', evidence: 'entry mode manual' },
    { name: '"Bad Card Number" keyed (TabFormer online)', subject: txnSubject({ message: 'Bad Card Number', entryMode: 'manual' }), cause: 'input_error', evidence: 'typing mistake' },
    { name: 'wrong expiry typed', subject: txnSubject({ message: 'Bad Expiration', entryMode: 'manual' }), cause: 'input_error', evidence: 'entry mode manual' },
    { name: '14 read from the chip', subject: txnSubject({ responseCode: '14', entryMode: 'chip' }), cause: 'card', evidence: 'entry mode chip' },
    { name: 'bad expiry read from the stripe', subject: txnSubject({ message: 'Bad Expiration', entryMode: 'swipe' }), cause: 'card', evidence: "the card's" },
  ],
});
