// The fallback for messages no phrase matches: a naive Bayes model over the words of published reason texts
// (word stems and word pairs in Latin script, characters and character pairs in Chinese), trained by
// scripts/build-token-model.mjs into rules/codes/token-model.json. Only counts are shipped, no text. It
// guesses a reason from wording it has not seen whole ("Drucker ohne Papier" no, "printer head overheat"
// yes); its guesses are weak evidence, below any code or event.

const STOP = new Set('the a an of to is be or and for by in on at this that was has have not with please your you transaction transactions card'.split(' '));
const SUFFIXES = ['ation', 'ing', 'ed', 'es', 's', 'ly'];
// How terminals and host tables abbreviate ("RECV DATA FAILED", "PIN FORMAT ERR", "TRANS UNACCEPT").
const ABBREVIATIONS: Record<string, string> = {
  err: 'error', erro: 'error', errs: 'error', pwd: 'password', passwd: 'password', pswd: 'password', trans: 'transaction', txn: 'transaction', trx: 'transaction',
  tran: 'transaction', trxn: 'transaction', recv: 'receive', rcv: 'receive', rx: 'receive', snd: 'send', tx: 'send', amt: 'amount', param: 'parameter', params: 'parameter',
  para: 'parameter', info: 'information', acct: 'account', acc: 'account', auth: 'authorization', authz: 'authorization', exp: 'expire', expd: 'expire', insuf: 'insufficient',
  insuff: 'insufficient', pls: 'please', plz: 'please', cnt: 'count', msg: 'message', resp: 'response', rsp: 'response', req: 'request', rqst: 'request', sys: 'system',
  svr: 'server', srv: 'server', conn: 'connection', comm: 'communication', comms: 'communication', cfg: 'configuration', conf: 'configuration', init: 'initialize',
  ver: 'version', dup: 'duplicate', dupl: 'duplicate', invld: 'invalid', inval: 'invalid', nbr: 'number', num: 'number', lmt: 'limit', bal: 'balance', tml: 'terminal',
  term: 'terminal', mer: 'merchant', mch: 'merchant', mchnt: 'merchant', merch: 'merchant', sig: 'signature', cvc: 'cvv', cvc2: 'cvv', cvv2: 'cvv', csc: 'cvv',
  unknow: 'unknown', cancelled: 'cancel', canceled: 'cancel', ic: 'chip', icc: 'chip', emv: 'chip', nfc: 'contactless', ctls: 'contactless', mag: 'magstripe',
  cless: 'contactless', ctless: 'contactless', hw: 'hardware', fw: 'firmware', rdr: 'reader', prn: 'printer', prnt: 'printer', pwr: 'power', batt: 'battery',
  tmo: 'timeout', tmout: 'timeout',
};

function stem(raw: string): string {
  const w = ABBREVIATIONS[raw] ?? raw;
  for (const suf of SUFFIXES) if (w.length > suf.length + 3 && w.endsWith(suf)) return trimVowel(w.slice(0, -suf.length));
  return trimVowel(w);
}

/** "expire", "expiry" and "expired" meet at "expir". */
function trimVowel(w: string): string {
  return w.length > 4 && (w.endsWith('e') || w.endsWith('y')) ? w.slice(0, -1) : w;
}

/** The features of a text (a set: repeats count once). */
export function tokens(text: string): string[] {
  // CamelCase and snake_case names split into words: CardNotActivated, CARD_NOT_ACTIVATED.
  const t = text.normalize('NFKC').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const out = new Set<string>();
  for (const run of t.match(/[\u3400-\u9fff]+/g) ?? []) {
    for (const ch of run) out.add('c:' + ch);
    for (let i = 0; i + 1 < run.length; i++) out.add('b:' + run.slice(i, i + 2));
  }
  const words = (t.match(/[a-z]+[0-9]?/g) ?? []).filter((w) => w.length > 1).map(stem).filter((w) => !STOP.has(w));
  for (const w of words) out.add('w:' + w);
  for (let i = 0; i + 1 < words.length; i++) out.add(`p:${words[i]}_${words[i + 1]}`);
  return [...out];
}

export interface TokenModelFile {
  $comment?: string;
  alpha: number;
  /** Reason per class, with the number of training texts. */
  classes: { reason: string; docs: number }[];
  /** Token -> [class index, count, class index, count, ...]. */
  counts: Record<string, number[]>;
}

export interface Guess {
  reason: string;
  /** Posterior of the guessed reason's cause (reasons of one cause pooled). */
  confidence: number;
  /** The words that weighed most for it. */
  words: string[];
}

export class TokenModel {
  private readonly logPrior: number[];
  private readonly logDefault: number[];
  private readonly totals: number[];
  private readonly cache = new Map<string, Guess | null>();

  constructor(
    private readonly file: TokenModelFile,
    private readonly causeOf: (reason: string) => string | undefined,
  ) {
    const k = file.classes.length;
    this.totals = new Array(k).fill(0);
    for (const list of Object.values(file.counts)) for (let i = 0; i < list.length; i += 2) this.totals[list[i]] += list[i + 1];
    const docs = file.classes.reduce((s, c) => s + c.docs, 0);
    const v = Object.keys(file.counts).length;
    this.logPrior = file.classes.map((c) => Math.log(c.docs / docs));
    this.logDefault = this.totals.map((t) => Math.log(file.alpha / (t + file.alpha * v)));
    this.vocab = v;
  }

  private readonly vocab: number;

  guess(text: string): Guess | null {
    const cached = this.cache.get(text);
    if (cached !== undefined) return cached;
    const known = tokens(text).filter((t) => this.file.counts[t] !== undefined);
    let result: Guess | null = null;
    if (known.length > 0) {
      const k = this.file.classes.length;
      const lp = this.logPrior.map((p, c) => p + known.length * this.logDefault[c]);
      const weight = new Map<number, Map<string, number>>();
      for (const t of known) {
        const list = this.file.counts[t];
        for (let i = 0; i < list.length; i += 2) {
          const c = list[i];
          const gain = Math.log((list[i + 1] + this.file.alpha) / (this.totals[c] + this.file.alpha * this.vocab)) - this.logDefault[c];
          lp[c] += gain;
          let w = weight.get(c);
          if (!w) weight.set(c, (w = new Map()));
          w.set(t, gain);
        }
      }
      const top = Math.max(...lp);
      const byCause = new Map<string, number>();
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const p = Math.exp(lp[c] - top);
        sum += p;
        const cause = this.causeOf(this.file.classes[c].reason) ?? '?';
        byCause.set(cause, (byCause.get(cause) ?? 0) + p);
      }
      // The cause with most posterior, and within it the likeliest reason.
      let cause = '';
      let mass = -1;
      for (const [c, m] of byCause) if (m > mass || (m === mass && c < cause)) [cause, mass] = [c, m];
      let reasonIdx = -1;
      for (let c = 0; c < k; c++) if (this.causeOf(this.file.classes[c].reason) === cause && (reasonIdx < 0 || lp[c] > lp[reasonIdx])) reasonIdx = c;
      const words = [...(weight.get(reasonIdx) ?? new Map<string, number>())]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 3)
        .map(([t]) => t.slice(2).replace('_', ' '));
      result = { reason: this.file.classes[reasonIdx].reason, confidence: mass / sum, words };
    }
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(text, result);
    return result;
  }
}

/** Counts per reason from labelled texts: what scripts/build-token-model.mjs writes (and its evaluation rebuilds per fold). */
export function trainTokenModel(docs: readonly { text: string; reason: string }[], opts: { alpha?: number; minCount?: number; comment?: string } = {}): TokenModelFile {
  const classes = [...new Set(docs.map((d) => d.reason))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const perClass = classes.map(() => 0);
  const counts = new Map<string, Map<number, number>>();
  for (const d of docs) {
    const c = index.get(d.reason)!;
    perClass[c]++;
    for (const tok of tokens(d.text)) {
      let m = counts.get(tok);
      if (!m) counts.set(tok, (m = new Map()));
      m.set(c, (m.get(c) ?? 0) + 1);
    }
  }
  const out: Record<string, number[]> = {};
  for (const tok of [...counts.keys()].sort()) {
    const m = counts.get(tok)!;
    let total = 0;
    for (const v of m.values()) total += v;
    if (total < (opts.minCount ?? 1)) continue;
    out[tok] = [...m].sort((a, b) => a[0] - b[0]).flat();
  }
  return { ...(opts.comment ? { $comment: opts.comment } : {}), alpha: opts.alpha ?? 0.1, classes: classes.map((reason, i) => ({ reason, docs: perClass[i] })), counts: out };
}
