// SDK error names and terminal screens are built of short words ("CLESS_HW_ERR", "PRN_PAPER_OUT", "RDR_TMO"):
// each reads as the words it abbreviates, so a code no table holds, given as an error code or as the message,
// gets the cause its spelled-out wording gets.
import { describe, expect, it } from 'vitest';
import { phraseCause as causeOf } from './helpers.js';

const PAIRS: [string, string][] = [
  ['CLESS_HW_ERR', 'contactless hardware error'],
  ['HW_FAIL', 'hardware failure'],
  ['PRN_PAPER_OUT', 'printer paper out'],
  ['RDR_TMO', 'reader timeout'],
  ['CONN_FAIL', 'connection failed'],
  ['FW_VER_ERR', 'firmware version error'],
  ['BATT LOW', 'battery low'],
];

describe('abbreviated SDK words', () => {
  it.each(PAIRS)('%s reads as "%s" does, and names a cause', (short, long) => {
    expect(causeOf(long)).not.toBe('unknown');
    expect(causeOf(short)).toBe(causeOf(long));
  });
});
