import type { EvidenceSource, TerminalTxn } from '../src/model.js';
import type { CauseId } from './causes.js';
import { REASONS, REASON_BY_ID, authorizationStage } from './reasons.js';
import type { CodeEntry, Subject, Tables } from './types.js';
import { codeInText, makeMatcher, vocabularyPhrases, type TableText } from './vocabulary.js';
import { TokenModel, type TokenModelFile } from './lib/tokens.js';
import { normalizeText } from './lib/matcher.js';
import { S } from './reasons.js';
import tokenModelFile from './codes/token-model.json' with { type: 'json' };

/**
 * A guess from words counts only this sure; below it the message stays unread (unknown). On held-out
 * published texts no phrase reads, guesses at >= 0.9 were right 70% of the time, below it about 25%.
 */
export const GUESS_CONFIDENCE = 0.9;
let tokenModel: TokenModel | undefined;
/** The shipped word model (rules/codes/token-model.json), loaded on first use. */
export function shippedWordModel(): TokenModel {
  tokenModel ??= new TokenModel(tokenModelFile as TokenModelFile, (r) => REASON_BY_ID.get(r)?.cause);
  return tokenModel;
}

// Signals in, reasons out: every raw piece of evidence is read into the one vocabulary here, whatever
// channel it came by. Rules never look at raw codes.

export interface ReasonHit {
  reason: string;
  source: EvidenceSource;
  /** The code, event name or matched phrase that was read. */
  code?: string;
  /** The profile a response code was read through. */
  profile?: string;
  /** What the signal says, from its table or phrase. */
  text: string;
  strength: number;
  /** Read from the message's words by the fallback model, not a phrase: a guess, and weighed as one. */
  guessed?: boolean;
}

export interface Readers {
  /** Read through a profile; codes a profile lacks are read as iso. `approved` codes give no reason. */
  responseCode(code: string, profile: string): { entry: CodeEntry; hit: ReasonHit | undefined } | undefined;
  errorCode(code: string): ReasonHit | undefined;
  event(name: string): ReasonHit | undefined;
  settlementReason(code: string): ReasonHit | undefined;
  /** The words of a message the word model reads (those no phrase reads as saying nothing). */
  wordsOf(text: string): string;
  /** The reasons a free-text message gives, most specific first (several for "Bad PIN,Insufficient Balance"). */
  message(text: string, profile: string, source?: EvidenceSource): ReasonHit[];
}

/** A reason for an entry that names only a cause (a user's `"51": "limits"`): the cause's plainest reason. */
export function defaultReason(cause: CauseId): string {
  return (REASONS.find((r) => r.cause === cause && !r.generic) ?? REASONS.find((r) => r.cause === cause))?.id ?? 'uninformative';
}

export function entryReason(entry: CodeEntry): string | undefined {
  if (entry.cause === 'approved') return undefined;
  return entry.reason ?? defaultReason(entry.cause);
}

function strengthOf(reason: string): number {
  return REASON_BY_ID.get(reason)?.strength ?? 0;
}

const MATCHERS = new WeakMap<Tables, ReturnType<typeof makeMatcher>>();

export function makeReaders(tables: Tables, lookups: {
  responseCode(code: string, profile: string): CodeEntry | undefined;
  terminalError(code: string): CodeEntry | undefined;
  event(name: string): CodeEntry | undefined;
  settlementReason(code: string): CodeEntry | undefined;
  keyword(text: string): { entry: { cause: CauseId }; match: string } | undefined;
  /** The word model for messages nothing else reads (scripts evaluating another model pass theirs). */
  wordModel?: TokenModel;
}): Readers {
  const words = lookups.wordModel ?? shippedWordModel();
  const described: TableText[] = [
    ...Object.entries(tables.responseCodes).map(([profile, table]) => ({ table: withReasons(table), source: `responseCodes.${profile}` })),
    { table: withReasons(tables.errorCodes), source: 'errorCodes' },
    { table: withReasons(tables.settlementReasons), source: 'settlementReasons' },
  ];
  // Building the automaton costs tens of ms: one per set of tables.
  let matcher = MATCHERS.get(tables);
  if (!matcher) MATCHERS.set(tables, (matcher = makeMatcher(vocabularyPhrases(tables.phrases, described))));
  // What the word model reads: the text less the words that say nothing or only "invalid" ("支付失败" is
  // "支付": no guess from the 失败 every failure text has).
  const wordsOf = (text: string) => matcher!.rest(text, (r) => r === 'uninformative' || !!REASON_BY_ID.get(r)?.residual);
  const fromEntry = (entry: CodeEntry | undefined, source: EvidenceSource, code: string, profile?: string): ReasonHit | undefined => {
    if (!entry) return undefined;
    const reason = entryReason(entry);
    if (!reason) return undefined;
    const hit: ReasonHit = { reason, source, code, text: entry.zh ? `${entry.en} (${entry.zh})` : entry.en, strength: strengthOf(reason) };
    if (profile) hit.profile = profile;
    return hit;
  };
  const readers: Readers = {
    wordsOf,
    responseCode(code, profile) {
      const entry = lookups.responseCode(code, profile);
      if (!entry) return undefined;
      return { entry, hit: fromEntry(entry, 'responseCode', code.trim().toUpperCase(), profile) };
    },
    errorCode: (code) => fromEntry(lookups.terminalError(code), 'errorCode', code.trim()),
    event: (name) => fromEntry(lookups.event(name), 'event', name),
    settlementReason: (code) => fromEntry(lookups.settlementReason(code), 'settlement', code.trim()),
    message(text, profile, source = 'message') {
      // The user's own keywords (--rules) read their texts before the built-in vocabulary does.
      const k = lookups.keyword(text);
      if (k) {
        const reason = defaultReason(k.entry.cause);
        return [{ reason, source, code: k.match, text: `contains "${k.match}" (keyword from the rules file)`, strength: Math.max(strengthOf(reason), S.specific) }];
      }
      // "Pinpad error: Invalid key number", "System error: SAM module error": a heading that says where the
      // error came from, then what it was. What follows the heading decides when it names a reason of its
      // own; a way of failing that could be anyone's ("Pinpad error: Timeout occurs") is read with the heading.
      const headed = HEADING.exec(text);
      if (headed) {
        const detail = readers.message(headed[2], profile, source);
        if (detail.length > 0 && specific(detail[0])) return detail.map((h) => ({ ...h, text: `${h.text} (after the heading "${headed[1].trim()}")` }));
      }
      // An SDK name written in camelCase ("CardNotReadable", "DeclinedCallForApproval") reads as its words,
      // as its SNAKE_CASE spelling does: always when the whole text is that one name, otherwise only when the
      // text as written gives no reason ("PayPal", "TransArmor" in a sentence are names of their own).
      const read = (t: string) => matcher.match(t).map((h): ReasonHit => ({ reason: h.reason, source, code: h.phrase, text: h.whole ? `the whole message is ${h.source}` : `contains "${h.phrase}"`, strength: strengthOf(h.reason) }));
      let hits: ReasonHit[] = read(text);
      /** The text as the phrases read it (split into words when a camelCase name was). */
      let read_ = text;
      const camel = text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z])([A-Z][a-z])/g, '$1 $2');
      if (camel !== text && (/^\s*\S+\s*$/.test(text) || !hits.some((h) => h.reason !== 'uninformative'))) {
        const split = read(camel);
        if (split.some((h) => h.reason !== 'uninformative')) {
          hits = split;
          read_ = camel;
        }
      }
      // A code written in the message ("Declined, RC=51") reads as that code, beside the words around it.
      const code = codeInText(text);
      const entry = code ? lookups.responseCode(code, profile) : undefined;
      const quoted = entry && code ? fromEntry(entry, source, code, profile) : undefined;
      if (quoted) hits.unshift({ ...quoted, text: `the message quotes response code ${code}: ${quoted.text}` });
      // Nothing read: the words themselves, weighed below any code or event (unless every word was read as
      // saying nothing: "General error, try again later").
      // A residual reading ("Invalid ...", nothing named) leaves the rest of the words to the model, too.
      // A subject ("prepaid cards", 外卡) reads only beside a refusal; without one it leaves the words to the model.
      const refusal = hits.some((h) => REASON_BY_ID.get(h.reason)?.negation);
      const decides = (h: ReasonHit) => h.reason !== 'uninformative' && !REASON_BY_ID.get(h.reason)?.residual && (refusal || !REASON_BY_ID.get(h.reason)?.subject);
      if (!hits.some(decides) && (hits.length === 0 || matcher.uncovered(read_))) {
        const g = words.guess(wordsOf(read_));
        if (g && g.confidence >= GUESS_CONFIDENCE) {
          hits.unshift({ reason: g.reason, source, code: g.words.join(' '), text: `by its words (${g.words.join(', ')})`, strength: Math.min(strengthOf(g.reason), S.decline - 5), guessed: true });
        }
      }
      // "BIT 55 DEF ERR", "55域错误", "第 62 域出错": a field of the ISO message named by its number is a part of
      // the message the terminal builds (message_part_named), read like any other named subject.
      const field = FIELD_NUMBER.exec(text);
      if (field && !hits.some((h) => h.reason === 'message_part_named')) hits.push({ reason: 'message_part_named', source, code: field[0].trim(), text: `names the message field "${field[0].trim()}"`, strength: S.none });
      hits = yieldBareDevice(hits);
      // Equally strong reasons in one message: within one clause the more specific phrase leads, as the matcher
      // ranked them ("fallback to magnetic stripe not possible" is the fallback, not "not possible"); reasons
      // listed side by side ("Bad PIN,Insufficient Balance") follow the order an authorization checks them
      // in (AUTHORIZATION_ORDER), then by id, since a list's order says nothing.
      if (hits.length > 1) {
        const clause = clauseOf(read_);
        hits.sort((a, b) => b.strength - a.strength || (clause(a) >= 0 && clause(a) === clause(b) ? 0 : authorizationStage(a.reason) - authorizationStage(b.reason) || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0)));
        // "3-D Secure not supported", "不支持取消": a bare refusal beside something done, in one clause, is
        // that function not enabled (the reason declares what it becomes refused: refusedAs).
        // "Prepaid cards not supported", "不支持外卡": a bare refusal that leads, beside a subject (a kind of card),
        // is that subject refused (the subject reason declares what: refusedAs).
        const negation = hits.find((h) => REASON_BY_ID.get(h.reason)?.negation);
        // A guess has no clause of its own (-1): its words are what the refusal leaves.
        const besides = (h: ReasonHit) => !!negation && (clause(negation) === clause(h) || clause(h) < 0);
        const target = !negation
          ? undefined
          : hits[0] === negation
            ? hits.find((h) => REASON_BY_ID.get(h.reason)?.subject && besides(h))
            : REASON_BY_ID.get(hits[0].reason)?.refusedAs && besides(hits[0])
              ? hits[0]
              : undefined;
        const refused = target && REASON_BY_ID.get(target.reason)?.refusedAs;
        if (target && refused) hits[0] = { ...target, reason: refused, strength: strengthOf(refused), text: `${target.text}, refused ("${negation!.code}")` };
        // "卡已过期,不支持该交易", "该笔订单号未找到,无法撤销或退款": what could not be done is the consequence;
        // the reason in the clause beside it is why.
        if (hits[0].reason === 'function_not_supported' && clause(hits[0]) >= 0) {
          const why = hits.findIndex((h) => h.strength >= hits[0].strength && specific(h) && h.reason !== 'function_not_supported' && clause(h) >= 0 && clause(h) !== clause(hits[0]));
          if (why > 0) hits.unshift(...hits.splice(why, 1));
        }
      }
      const subjectRead = fieldWrong(hits, read_, decides) ?? deviceFault(hits, read_, source) ?? disagrees(hits, decides) ?? failedWhile(hits, read_, source);
      if (subjectRead) hits.unshift(subjectRead);
      // A subject alone names no reason; "Timeout, please retry": the retry says nothing once the timeout has spoken.
      hits = hits.filter((h) => !REASON_BY_ID.get(h.reason)?.subject);
      return hits.some((h) => h.reason !== 'uninformative') ? hits.filter((h) => h.reason !== 'uninformative') : hits;
    },
  };
  return readers;
}

/** "Pinpad error: …", "General error in fiscal device: …", "读卡器异常：…": a short heading naming an error, a colon, the rest. */
const HEADING = /^\s*([^:：[\]【】]{0,40}?\b(?:error|errors|fault|failure)\b[^:：[\]【】]{0,30}|[^:：[\]【】]{0,20}?(?:错误|錯誤|异常|異常|故障))\s*[:：]\s*(\S.{2,})$/i;

/** A reading that says what went wrong on its own: not a guess, not a generic or residual reading, not a way of failing that could be anyone's. */
function specific(h: ReasonHit): boolean {
  const r = REASON_BY_ID.get(h.reason);
  return !!r && !h.guessed && !r.generic && !r.residual && !r.subject && !r.negation && h.strength >= S.specific && !TIMEOUTS.has(h.reason) && !(h.code !== undefined && FAILURE_MODES.has(h.code));
}

/**
 * "銀行授權碼不符", "交易序號不一致", "reference does not match": a comparison that failed, with nothing else
 * read (a guess at most), is data disagreeing with the record it was checked against. What the cardholder
 * typed (PIN, CVV, name, ID: 密码不符, "CVV mismatch") and amounts have phrases of their own, which decide first.
 */
function disagrees(hits: readonly ReasonHit[], decides: (h: ReasonHit) => boolean): ReasonHit | undefined {
  const compared = hits.find((h) => h.reason === 'uninformative' && COMPARISONS.has(h.code ?? ''));
  if (!compared || hits.some((h) => !h.guessed && decides(h))) return undefined;
  return { ...compared, reason: 'transaction_data_error', strength: strengthOf('transaction_data_error'), text: `${compared.text}: a value does not agree with the record it was checked against` };
}

/**
 * "The credit card number that was sent to the host was invalid", "受理方状态非法": "invalid" (read alone as
 * some field) beside a named field in one clause, with nothing else read, is that field wrong (invalidAs).
 */
function fieldWrong(hits: readonly ReasonHit[], text: string, decides: (h: ReasonHit) => boolean): ReasonHit | undefined {
  const invalid = hits.find((h) => h.reason === 'invalid_field' || (h.reason === 'uninformative' && WRONG.has(h.code ?? '')));
  if (!invalid || hits.some((h) => !h.guessed && decides(h))) return undefined;
  const clause = clauseOf(text);
  const field = hits.find((h) => REASON_BY_ID.get(h.reason)?.invalidAs && clause(h) === clause(invalid));
  const wrong = field && REASON_BY_ID.get(field.reason)!.invalidAs!;
  return field && wrong ? { ...field, reason: wrong, strength: strengthOf(wrong), text: `${field.text}, ${invalid.text}` } : undefined;
}

/**
 * "The card reader initialization error", "Card reader is not connected", "Card reader timed out": a way of
 * failing that could be anyone's, beside a named device, is that device's fault (a timeout there is the
 * cardholder's); a link to the host side named too ("communication failure with the back end") stays the link's.
 * Round 9 names more parts of the terminal the same way (rules/reasons.ts: device_named, software_named, the EMV
 * kernel's steps, the ISO message's parts, key slots): "DEVICE_CONN_ERR", "BT_SCAN_TIMEOUT", "线程被异常中断",
 * "终端风险管理超时", "UNPACK 39 ERR". Those read only beside a word of failing (a subject alone says nothing),
 * and when several are named the terminal's software leads (a callback of the PIN pad is software).
 */
function deviceFault(hits: readonly ReasonHit[], text: string, source: EvidenceSource): ReasonHit | undefined {
  const named = (h: ReasonHit) => {
    const r = REASON_BY_ID.get(h.reason);
    return !!r?.subject && (r.failsAs !== undefined || r.timeoutAs !== undefined);
  };
  const rank = (h: ReasonHit) => SUBJECT_ORDER.indexOf(h.reason);
  const device = hits.filter(named).sort((a, b) => rank(a) - rank(b))[0];
  if (!device) return undefined;
  const subject = REASON_BY_ID.get(device.reason)!;
  const top = hits.find((h) => !REASON_BY_ID.get(h.reason)?.subject && !h.guessed);
  // reader_named (round 5) reads alone as well; the round-9 subjects (quietAlone) need a word of failing in the text.
  const norm = normalizeText(text);
  const alone = !subject.quietAlone || FAILING.test(norm) || (top?.code !== undefined && FAILURE_MODES.has(top.code));
  const failing = top === undefined || top.reason === 'uninformative' || (top.code !== undefined && FAILURE_MODES.has(top.code));
  const mode = top !== undefined && TIMEOUTS.has(top.reason) ? 'timeout' : failing && alone ? 'fails' : undefined;
  const reason = mode === 'timeout' ? subject.timeoutAs : mode === 'fails' ? subject.failsAs : undefined;
  // A host named beside the failure ("与主机数据交换失败", "communication failure with the back end") keeps it the link's.
  const remote = device.reason === 'reader_named' ? top !== undefined && REASON_BY_ID.get(top.reason)?.cause === 'network' && REMOTE.test(norm) : REMOTE.test(norm) || REMOTE_CJK.test(norm);
  return reason && !remote ? { reason, source, code: device.code, text: `${device.text}${top ? `, ${top.text}` : ''}`, strength: strengthOf(reason) } : undefined;
}

/** Which named part of the terminal a failure is read as when several are named: its software first ("PINPAD回调为空"), then a device ("非接设备预处理失败"), then a step or part. */
const SUBJECT_ORDER: readonly string[] = ['software_named', 'device_named', 'emv_step_named', 'selection_step_named', 'message_part_named', 'key_slot_named', 'cardholder_step_named', 'reader_named'];
/** A word of failing (simplified and traditional script, English): what a round-9 subject needs beside it to read as failed. */
const FAILING = /异常|異常|故障|失败|失敗|未打开|未打開|未开启|未開啟|未就绪|未就緒|未发现|未發現|未检测到|未檢測到|错误|錯誤|错|錯|出错|出錯|有误|有誤|中断|中斷|为空|為空|非法|无效|無效|不支持|不可用|未找到|未搜索到|未连接|未連接|断开|斷開|无响应|無響應|超时|超時|逾时|逾時|\b(?:err|error|errors|fail|failed|failure|fault|faulty|malfunction|abnormal|interrupted|broken|defective|exception|invalid|null|not|no|unable|cannot|timeout|timed|disconnected|unknown|unsupported)\b/i;

/**
 * A device named by its bare noun ("PINPAD", "printer", "PED", 打印机) reads as that device's fault beside a way
 * of failing that could be anyone's, or alone. Beside a reason of the terminal's software or configuration
 * that says what went wrong ("往ped里存密钥失败": a key; "缺少PINPAD权限": a permission; "PRN_UNKNOWN_CMD": a
 * command), or beside a named part of its software ("PINPAD回调为空": a callback), the device is only where it
 * happened: that reason decides.
 */
function yieldBareDevice(hits: ReasonHit[]): ReasonHit[] {
  const bare = (h: ReasonHit) => !h.guessed && h.code !== undefined && BARE_DEVICES.has(h.code);
  if (!hits.some(bare)) return hits;
  const says = hits.some((h) => {
    if (bare(h) || h.guessed) return false;
    const r = REASON_BY_ID.get(h.reason);
    if (!r) return false;
    if (r.subject) return r.cause === 'terminal_software' || h.reason === 'key_slot_named';
    return specific(h) && (r.cause === 'terminal_software' || r.cause === 'configuration');
  });
  return says ? hits.filter((h) => !bare(h)) : hits;
}
/** The phrases that are only a device's name (phrases.json reads them alone as that device's fault). */
const BARE_DEVICES: ReadonlySet<string> = new Set([
  'pinpad', 'pin pad', 'ped', 'ppad*', '密码键盘', '密碼鍵盤', 'pin entry device', 'printer', '打印机', '打印機', '印表機', '印表机',
  'hardware', 'psam', '*psam卡', '*sam卡', 'sam card', 'secure element', 'secure processor', 'serial port', '串口', 'lcd', '显示屏', '顯示屏',
]);

/**
 * Phrases of a way of failing that says nothing of what failed (read alone as the terminal's software or
 * link): beside a named device they are that device's fault.
 */
const FAILURE_MODES: ReadonlySet<string> = new Set([
  'initialization error', 'initialisation error', 'initialization failed', 'initialisation failed', 'init failed', 'failed to initialize', 'failed to initialise',
  'initialize failed', 'device initialization error', 'unexpected error', 'not connected', 'is not connected', 'connection failed', 'connect failed', 'cannot connect',
  'could not connect', 'unable to connect', 'disconnected', 'communication error', 'communication failure', 'system error', 'malfunction', 'general error', 'status error',
  // Round 9: the link verbs of an SDK constant or a device message ("DEVICE_CONN_ERR", "蓝牙连接失败"), and a
  // processing error, which beside a named part of the terminal are that part's (beside a host word, the link's).
  'connection error', 'connect err*', 'connection fail*', 'connect fail*', 'connection lost', 'send error', 'send failed', 'receive error', 'recv err*', 'not respond*',
  'send fail*', 'receive fail*', 'recv fail*', 'receive data fail*', 'recv data fail*', 'recv data error', 'recv error', '发送失败', '接收失败', '发送错误', '接收错误', '發送失敗', '接收失敗', '發送錯誤', '接收錯誤',
  '连接失败', '未连接', '连接断开', '连接错误', '连接异常', '通讯失败', '通信失败', '通讯错误', '通信错误', '处理异常',
  '連接失敗', '連線失敗', '未連接', '未連線', '連接斷開', '連線中斷', '通訊失敗', '通信失敗', '通訊錯誤', '處理異常',
]);
/** Words that say nothing alone but, beside a named field ("错误的商户号", "特店編號錯誤", "card number error"), say it is wrong (simplified and traditional script). */
const WRONG: ReadonlySet<string> = new Set(['错误', '错', '有误', '出错', '錯誤', '錯', '有誤', '出錯', 'error', 'errors']);
/** "记账撤销发生错误", "An error occurred while processing the refund": an error that happened while a step was done. */
const FAILED_WHILE = /(?:发生错误|發生錯誤|时出错|時出錯|时发生错误|時發生錯誤|出现错误|出現錯誤|发生异常|發生異常)\s*[:：.。!！]?\s*$|^\s*(?:an\s+)?error\s+(?:occurred\s+)?(?:while|during)\b/i;

/**
 * The step named is what was being done, not what went wrong: the platform doing it failed. A device, the
 * terminal's software or the link named in the step ("读卡发生错误", "打印时出错") is that one's fault, read as usual.
 */
function failedWhile(hits: readonly ReasonHit[], text: string, source: EvidenceSource): ReasonHit | undefined {
  if (!FAILED_WHILE.test(text)) return undefined;
  const step = hits.filter((h) => h.reason !== 'uninformative');
  if (step.length === 0) return undefined;
  const own = (h: ReasonHit) => {
    const r = REASON_BY_ID.get(h.reason);
    return !!r && (r.device !== undefined || r.failsAs !== undefined || ['terminal_hardware', 'terminal_software', 'network', 'environment'].includes(r.cause));
  };
  if (step.some(own)) return undefined;
  return { reason: 'system_malfunction', source, code: step[0].code, text: `${step[0].text}: an error while it was being done`, strength: S.specific };
}

/** "BIT 55", "field 62", "DE 55", "55域", "第62域": a field of the ISO message named by its number. */
const FIELD_NUMBER = /(?<![\p{L}\p{N}])(?:bit|field)[\s_-]*\d{1,3}(?![\p{L}\p{N}])|第?\s*\d{1,3}\s*域/iu;

/** Words of a failed comparison (phrases.json reads them as saying nothing alone). */
const COMPARISONS: ReadonlySet<string> = new Set(['不符', '不一致', '不匹配', '不相符', '比对错误', '比對錯誤', '比对失败', '比對失敗', 'mismatch', 'mismatched', 'does not match', 'do not match', 'did not match', 'not matched']);
/** Timeouts that, beside a named device, are the wait for the cardholder at it. */
const TIMEOUTS: ReadonlySet<string> = new Set(['comm_timeout', 'no_response']);
/** Words naming the host side of a link (normalized text): a failure of that link is the link's, device named or not. */
const REMOTE = / (host|server|back end|backend|bank|network|gateway|processor|switch|acquirer|issuer|internet|cloud|api|主机|后台|服务器|网络|平台|银联|中心|主機|後台|伺服器|網絡|網路)/;
/** The same host-side words inside Chinese text, where no space comes before them ("与主机数据交换失败"). */
const REMOTE_CJK = /主机|后台|服务器|平台|银联|主機|後台|伺服器|銀聯/;

// What separates the items of a list of reasons: commas, semicolons, slashes, bars, line breaks (, ; 、 in CJK).
const LIST_SEPARATOR = /\s*(?:[,;|\n/，；、]|\s-\s)\s*/;

/**
 * Which item of a list a phrase hit was read from (-1: not a phrase of one item, or the message is no list).
 * Only phrase hits from the matcher carry their phrase in `code`; the others compare by authorization order.
 */
const ITEMS = new Map<string, string[]>();
function clauseOf(text: string): (h: ReasonHit) => number {
  let norm = ITEMS.get(text);
  if (!norm) {
    // Messages repeat a lot: their items, normalized, once per distinct text (bounded).
    norm = text.split(LIST_SEPARATOR).filter((x) => x.trim()).map((x) => normalizeText(x));
    if (ITEMS.size > 10_000) ITEMS.clear();
    ITEMS.set(text, norm);
  }
  if (norm.length < 2) return (h) => (h.guessed || h.text.startsWith('the message quotes') ? -1 : 0);
  const memo = new Map<ReasonHit, number>();
  return (h) => {
    let i = memo.get(h);
    if (i === undefined) {
      const key = h.guessed || !h.code || h.text.startsWith('the message quotes') ? '' : normalizeText(h.code.replace(/\*/g, '')).trim();
      i = key ? norm!.findIndex((n) => n.includes(key)) : -1;
      memo.set(h, i);
    }
    return i;
  };
}

/** Entries as the matcher reads them: each names its reason (one derived from its cause when it gives none). */
function withReasons(table: Record<string, CodeEntry>): Record<string, CodeEntry> {
  const out: Record<string, CodeEntry> = {};
  for (const [k, e] of Object.entries(table)) {
    const reason = entryReason(e);
    if (reason) out[k] = { ...e, reason };
  }
  return out;
}

/** Outcomes of a terminal attempt (its codes and texts speak), and of reconciliation (the settlement line's do). */
const ATTEMPT_OUTCOMES = new Set(['declined', 'failed', 'timeout', 'terminated', 'unknown_outcome']);
const SETTLEMENT_OUTCOMES = new Set(['unsettled', 'settlement_failed', 'amount_mismatch', 'orphan_settlement', 'duplicate']);

/**
 * Every signal of a finding read into reasons, strongest first: for a failed attempt its response code,
 * terminal error code (an SDK name no table knows is read as text: CANCELLED_BY_USER), message and a
 * bare timeout; for a settlement finding the settlement line's reason code and message.
 */
export function readSubject(subject: Subject, read: Readers, profileOf: (txn: TerminalTxn) => string): ReasonHit[] {
  const hits: ReasonHit[] = [];
  const t = subject.txn;
  if (t && ATTEMPT_OUTCOMES.has(subject.outcome)) {
    const profile = profileOf(t);
    const code = t.responseCode?.trim();
    if (code) {
      const r = read.responseCode(code, profile);
      if (r?.hit) hits.push(r.hit);
    }
    const err = t.errorCode?.trim();
    if (err) {
      const h = read.errorCode(err);
      if (h) hits.push(h);
      else for (const m of read.message(err, profile, 'errorCode')) hits.push({ ...m, code: err, text: `terminal error ${err} ${m.text}` });
    }
    if (t.message?.trim()) hits.push(...read.message(t.message, profile));
    if (t.status === 'timeout') hits.push({ reason: 'no_response', source: 'status', code: 'timeout', text: 'status timeout: the terminal got no answer', strength: strengthOf('no_response') });
  }
  const s = subject.settlement;
  if (s && SETTLEMENT_OUTCOMES.has(subject.outcome)) {
    const profile = t ? profileOf(t) : 'iso';
    const code = s.reasonCode?.trim();
    if (code) {
      const h = read.settlementReason(code);
      if (h) hits.push(h);
      else for (const m of read.message(code, profile, 'settlement')) hits.push({ ...m, code, text: `reason code ${code} ${m.text}` });
    }
    // A settled line's words ("清算成功") say that it settled, not why it came late or short.
    if (s.message?.trim() && s.status !== 'settled') hits.push(...read.message(s.message, profile, 'settlement'));
  }
  return hits.sort((a, b) => b.strength - a.strength);
}
