import { REASON_BY_ID } from '../../rules/reasons.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TxlogError } from '../../src/errors.js';
import { builtinTables, knownProfiles, loadRulesFile, makeLookups, mergeTables, nestedQuantifier, normalizeResponseCode } from '../../rules/tables.js';

const tables = builtinTables();
const L = makeLookups(tables);
const dir = mkdtempSync(join(tmpdir(), 'txlog-rules-'));
let n = 0;
function rulesFile(content: unknown): string {
  const path = join(dir, `rules-${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}
function loadError(content: unknown): TxlogError {
  try {
    loadRulesFile(rulesFile(content));
  } catch (err) {
    expect(err).toBeInstanceOf(TxlogError);
    expect((err as TxlogError).code).toBe('RULES_INVALID');
    expect((err as TxlogError).message).not.toContain('\n');
    return err as TxlogError;
  }
  throw new Error('expected loadRulesFile to throw');
}

describe('built-in tables', () => {
  it('profiles', () => {
    expect(knownProfiles(tables)).toEqual(['iso', 'jpos', 'unionpay']);
  });

  it('iso covers 00-68 except unassigned, and the letter codes', () => {
    for (const c of ['00', '05', '12', '51', '55', '68', '75', '90', '96', '98', '99', 'N0', 'N7', 'Y1', 'Y3', 'Z1', 'Z3', '6P', '1A', 'R0']) {
      expect(tables.responseCodes.iso[c], c).toBeDefined();
    }
    for (const c of ['00', '08', '10', '11', '16', '85', 'Y1']) expect(L.responseCode(c, 'iso')?.cause, c).toBe('approved');
  });

  it('guidance mappings', () => {
    const expected: Record<string, string> = {
      '12': 'transaction_data', '13': 'limits', '14': 'card', '19': 'network', '30': 'terminal_software', '03': 'configuration',
      '58': 'configuration', '40': 'configuration', '97': 'reconciliation', '81': 'configuration', '88': 'configuration', '89': 'configuration',
      '01': 'issuer_decline', '02': 'issuer_decline', '05': 'issuer_decline', '51': 'cardholder_account', '46': 'cardholder_account',
      '54': 'card', '33': 'card', '78': 'card', '55': 'input_error', '38': 'input_error', '75': 'input_error', '17': 'input_error',
      '41': 'fraud', '43': 'fraud', '59': 'fraud', '63': 'fraud', '61': 'limits', '65': 'limits', '91': 'issuer_platform',
      '96': 'issuer_platform', '06': 'issuer_platform', '28': 'issuer_platform', '68': 'network', '92': 'network', '09': 'network',
      '90': 'cutoff', '93': 'compliance', '6P': 'compliance', '1A': 'compliance', '94': 'terminal_software', '95': 'reconciliation',
      '21': 'reconciliation', '25': 'reconciliation', '64': 'transaction_data', '76': 'reconciliation', '77': 'reconciliation',
      '79': 'reconciliation', '80': 'reconciliation', '84': 'reconciliation', '60': 'merchant_risk', '98': 'network', '99': 'configuration',
      'Z3': 'network', 'Y3': 'network',
    };
    for (const [code, cause] of Object.entries(expected)) expect(L.responseCode(code, 'iso')?.cause, code).toBe(cause);
  });

  it('unionpay differs from iso where the networks differ', () => {
    expect(L.responseCode('98', 'unionpay')?.cause).toBe('issuer_platform');
    expect(L.responseCode('98', 'iso')?.cause).toBe('network');
    expect(L.responseCode('59', 'unionpay')?.cause).toBe('input_error');
    expect(L.responseCode('59', 'iso')?.cause).toBe('fraud');
    expect(L.responseCode('A0', 'unionpay')).toMatchObject({ cause: 'configuration', zh: 'MAC校验错' });
    expect(L.responseCode('A0', 'iso')).toBeUndefined();
    expect(L.responseCode('97', 'unionpay')?.cause).toBe('configuration');
    expect(L.responseCode('97', 'iso')?.cause).toBe('reconciliation');
    expect(L.responseCode('19', 'unionpay')?.cause).toBe('terminal_hardware');
    expect(L.responseCode('45', 'unionpay')?.cause).toBe('input_error');
    expect(L.responseCode('F0', 'unionpay')?.cause).toBe('terminal_software');
    expect(L.responseCode('05', 'unionpay')?.cause).toBe('issuer_decline');
  });

  it('zh labels on the stable iso range only', () => {
    expect(L.responseCode('51', 'iso')?.zh).toContain('资金不足');
    expect(L.responseCode('98', 'iso')?.zh).toBeUndefined();
  });

  it('a profile falls back to iso for codes it lacks; unknown profiles read iso', () => {
    expect(L.responseCode('Z3', 'unionpay')?.cause).toBe('network');
    expect(L.responseCode('08', 'unionpay')?.cause).toBe('approved');
    expect(L.responseCode('51', 'acme')?.cause).toBe('cardholder_account');
    expect(L.responseCode('98', 'UnionPay')?.cause).toBe('issuer_platform');
  });

  it('normalises codes: trim, uppercase, pad one digit', () => {
    expect(normalizeResponseCode('5')).toBe('05');
    expect(normalizeResponseCode(' z3 ')).toBe('Z3');
    expect(L.responseCode('5', 'iso')?.cause).toBe('issuer_decline');
    expect(L.responseCode('y3', 'iso')?.cause).toBe('network');
    expect(L.responseCode('', 'iso')).toBeUndefined();
    expect(L.responseCode('999', 'iso')).toBeUndefined();
    // Three digits are an ISO 8583:1993 action code (116 is 1987's 51), read under the same profile.
    expect(L.responseCode('116', 'iso')?.cause).toBe(L.responseCode('51', 'iso')?.cause);
    expect(L.responseCode('000', 'iso')?.cause).toBe('approved');
  });

  it('an ISO 8583:1993 action code reads the cause of the 1987 code of the same meaning', () => {
    const same: Record<string, string> = {
      100: '05', 101: '54', 102: '59', 103: '60', 104: '62', 105: '66', 106: '75', 107: '01', 108: '02', 109: '03', 110: '13', 111: '14', 114: '52', 115: '40',
      116: '51', 117: '55', 118: '56', 119: '57', 120: '58', 121: '61', 122: '63', 123: '65', 124: '93', 200: '05', 201: '33', 202: '34', 204: '36', 206: '38',
      207: '07', 208: '41', 209: '43', 902: '12', 903: '19', 904: '30', 906: '90', 907: '91', 908: '92', 909: '96', 911: '91', 912: '91', 913: '94', 923: '09',
    };
    for (const [y93, y87] of Object.entries(same)) expect(L.responseCode(y93, 'iso')?.cause, `${y93} ~ ${y87}`).toBe(L.responseCode(y87, 'iso')!.cause);
    // Read whatever profile the record names: no network has three-digit codes of its own.
    expect(L.responseCode('116', 'unionpay')?.cause).toBe('cardholder_account');
  });

  // jPOS CMF codes are ints padded to four digits (CMF.ircString()); a log may hold the int ("7").
  it('a 4-digit profile reads every code written without its leading zeros, except two-digit ISO codes', () => {
    const jpos = tables.responseCodes.jpos;
    let checked = 0;
    for (const [code, entry] of Object.entries(jpos)) {
      expect(L.responseCode(code, 'jpos'), code).toBe(entry);
      const bare = String(Number(code));
      if (bare === code) continue;
      if (bare.length === 2) {
        // "12" under jpos is ISO 12 (invalid transaction), not CMF 0012 (approved offline).
        expect(L.responseCode(bare, 'jpos'), bare).toBe(L.responseCode(bare, 'iso'));
      } else {
        expect(L.responseCode(bare, 'jpos'), bare).toBe(entry);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
    expect(L.responseCode('7', 'jpos')?.en).toBe('Name format error');
    expect(L.responseCode('7', 'iso')?.cause).toBe('fraud');
  });

  it('jPOS CMF codes read like the ISO 8583:1987 code of the same meaning', () => {
    const same: Record<string, string> = { '1013': '23', '1033': '84', '1034': '84', '1047': '71', '4004': '32', '4020': '20', '9123': '09', '3002': '25', '3007': '30', '3010': '14', '1074': 'N8' };
    for (const [cmf, iso] of Object.entries(same)) {
      expect(L.responseCode(cmf, 'jpos')?.reason, `${cmf} ~ ${iso}`).toBe(L.responseCode(iso, 'iso')?.reason);
    }
  });

  it('terminal errors: names case-insensitive, numbers exact then ranges', () => {
    expect(L.terminalError('comm_timeout')?.cause).toBe('network');
    expect(L.terminalError('Printer Paper Out')?.cause).toBe('terminal_hardware');
    expect(L.terminalError('-306')?.en).toBe('TCP timeout');
    expect(L.terminalError('-307')?.en).toBe('PPP/TCP error');
    expect(L.terminalError('-605')?.cause).toBe('input_error');
    expect(L.terminalError('-604')?.cause).toBe('terminal_hardware');
    expect(L.terminalError('-2008')?.cause).toBe('input_error');
    expect(L.terminalError('-2030')?.cause).toBe('terminal_hardware');
    expect(L.terminalError('-3005')?.cause).toBe('network');
    expect(L.terminalError('-105')?.cause).toBe('terminal_software');
    expect(L.terminalError('-826')?.cause).toBe('terminal_software');
    expect(L.terminalError('-4005')?.cause).toBe('terminal_hardware');
    expect(L.terminalError('-1')).toBeUndefined();
    expect(L.terminalError('')).toBeUndefined();
  });

  it('ranges are well formed', () => {
    for (const r of tables.errorCodeRanges) expect(r.from).toBeLessThanOrEqual(r.to);
  });

  it('events and settlement reasons', () => {
    expect(L.event('network_down')?.cause).toBe('network');
    expect(L.event('POWER_LOSS')?.cause).toBe('environment');
    expect(L.event('BATCH_CLOSE_FAILED')?.cause).toBe('cutoff');
    expect(L.event('SIGN_ON_FAILED')?.cause).toBe('configuration');
    expect(L.settlementReason('risk hold')?.cause).toBe('merchant_risk');
    expect(L.settlementReason('Merchant-Account-Frozen')?.cause).toBe('merchant_account');
    expect(L.settlementReason('95')?.cause).toBe('reconciliation');
    expect(L.settlementReason('90')?.cause).toBe('cutoff');
  });

  it('free text: the most specific phrase wins, whatever else the text contains', () => {
    const cause = (text: string) => {
      const hits = L.read.message(text, 'iso');
      return hits.length ? REASON_BY_ID.get([...hits].sort((a, b) => b.strength - a.strength)[0].reason)?.cause : undefined;
    };
    expect(cause('商户账户冻结')).toBe('merchant_account');
    expect(cause('账户冻结')).toBe('cardholder_account');
    expect(cause('密码错误次数超限')).toBe('input_error');
    expect(cause('超限')).toBe('limits');
    expect(cause('发卡方超时')).toBe('issuer_platform');
    expect(cause('超时')).toBe('network');
    expect(cause('风控冻结')).toBe('merchant_risk');
    expect(cause('风控拒绝')).toBe('fraud');
    expect(cause('Technical Glitch')).toBe('issuer_platform');
    expect(cause('Timeout, please retry')).toBe('network');
    expect(cause('')).toBeUndefined();
  });

  it('has no built-in keywords: they are the user\'s', () => {
    expect(tables.keywords).toEqual([]);
    expect(L.keyword('Insufficient Balance')).toBeUndefined();
  });
});

describe('user rules file', () => {
  it('loads, merges and overrides', () => {
    const patch = loadRulesFile(rulesFile({
      $comment: 'acme acquirer',
      responseCodes: { unionpay: { '98': { cause: 'network', en: 'acme: host timeout' } }, Acme: { Q9: 'limits', '51': { cause: 'limits', en: 'over budget' } } },
      errorCodes: { E_PAPER: 'terminal_hardware' },
      errorCodeRanges: [{ from: -310, to: -300, entry: { cause: 'configuration', en: 'acme socket config' } }],
      events: { UPS_FAILURE: { cause: 'environment', en: 'UPS failed' } },
      settlementReasons: { R17: 'merchant_account' },
      keywords: [{ pattern: '账户冻结', cause: 'merchant_account' }],
    }));
    const merged = mergeTables(tables, patch);
    const U = makeLookups(merged);
    expect(knownProfiles(merged)).toEqual(['acme', 'iso', 'jpos', 'unionpay']);
    expect(U.responseCode('98', 'unionpay')).toMatchObject({ cause: 'network', en: 'acme: host timeout', source: 'user' });
    expect(U.responseCode('A0', 'unionpay')?.cause).toBe('configuration');
    expect(U.responseCode('q9', 'acme')).toMatchObject({ cause: 'limits', en: 'Q9' });
    expect(U.responseCode('51', 'acme')?.cause).toBe('limits');
    expect(U.responseCode('05', 'acme')?.cause).toBe('issuer_decline');
    expect(U.terminalError('e_paper')?.cause).toBe('terminal_hardware');
    expect(U.terminalError('-306')?.cause).toBe('network');
    expect(U.terminalError('-305')?.cause).toBe('configuration');
    expect(U.event('UPS_FAILURE')?.cause).toBe('environment');
    expect(U.settlementReason('r17')?.cause).toBe('merchant_account');
    expect(U.keyword('账户冻结')?.entry.cause).toBe('merchant_account');
    expect(makeLookups(tables).keyword('账户冻结')).toBeUndefined();
    // The user's keyword reads the text before the built-in phrases would.
    expect(U.read.message('账户冻结', 'iso').map((h) => REASON_BY_ID.get(h.reason)?.cause)).toEqual(['merchant_account']);
  });

  it('plain keywords are literal, even with regex characters', () => {
    const U = makeLookups(mergeTables(tables, { keywords: [{ pattern: 'E.(42)', cause: 'card' }] }));
    expect(U.keyword('code E.(42) seen')?.entry.cause).toBe('card');
    expect(U.keyword('code EX42 seen')).toBeUndefined();
  });

  it('an empty file is an empty patch', () => {
    expect(loadRulesFile(rulesFile({}))).toEqual({});
  });

  it('wrong keyword cause: path, allowed ids, given value, fix', () => {
    const path = rulesFile({ keywords: [{ pattern: 'a', cause: 'network' }, { pattern: 'b', cause: 'netwrk' }] });
    expect(() => loadRulesFile(path)).toThrow(/keywords\[1\]\.cause: "netwrk" is not a cause; allowed: network, issuer_decline, .*environment, unknown\. Fix/);
    expect(() => loadRulesFile(path)).toThrow(path);
  });

  it('wrong code cause mentions approved', () => {
    const e = loadError({ responseCodes: { iso: { '51': 'broke' } } });
    expect(e.message).toContain('responseCodes.iso["51"].cause: "broke" is not a cause');
    expect(e.message).toContain('"approved"');
  });

  it('unknown top-level key', () => {
    expect(loadError({ keyword: [] }).message).toMatch(/unknown key\(s\) "keyword"; allowed: responseCodes, .*keywords/);
  });

  it('unknown key in an entry', () => {
    expect(loadError({ keywords: [{ pattern: 'x', cause: 'card', flags: 'i' }] }).message).toContain('keywords[0]: unknown key(s) "flags"');
  });

  it('wrong type', () => {
    expect(loadError({ keywords: { pattern: 'x' } }).message).toContain('keywords: expected array');
    expect(loadError({ keywords: [{ cause: 'card' }] }).message).toContain('keywords[0].pattern');
  });

  it('invalid regex points at the entry', () => {
    expect(loadError({ keywords: [{ pattern: 'ok', cause: 'card' }, { pattern: '(unclosed', regex: true, cause: 'card' }] }).message).toMatch(/keywords\[1\]\.pattern: "\(unclosed" is not a valid regular expression/);
  });

  it('a regex that repeats a repeating group is refused before it can hang a run', () => {
    for (const pattern of ['(a+)+$', '(\\w*)*x', '((a+)b)+', '(x+y){2,}']) {
      expect(loadError({ keywords: [{ pattern, regex: true, cause: 'card' }] }).message, pattern).toMatch(/keywords\[0\]\.pattern: .* repeats a group that itself repeats.*Fix:/);
    }
    // Plain repetition, repeated groups of fixed content and character classes are fine.
    for (const pattern of ['(ab)+', 'a+b+', '(\\d{3})+', '[(+]+', '\\(a+\\)+', '(?:card|卡)\\s*declined']) {
      expect(nestedQuantifier(pattern), pattern).toBe(false);
    }
  });

  it('range with from > to', () => {
    expect(loadError({ errorCodeRanges: [{ from: -300, to: -310, entry: 'network' }] }).message).toContain('errorCodeRanges[0].from: from must be <= to');
  });

  it('invalid JSON gives line and column', () => {
    expect(loadError('{\n  "keywords": [\n    { "pattern": "x", }\n  ]\n}').message).toMatch(/is not valid JSON at line 3:\d+/);
  });

  it('unreadable file', () => {
    const e = (() => {
      try {
        loadRulesFile(join(dir, 'missing.json'));
      } catch (err) {
        return err as TxlogError;
      }
    })();
    expect(e).toBeInstanceOf(TxlogError);
    expect(e!.message).toContain('cannot be read (ENOENT)');
  });
});
