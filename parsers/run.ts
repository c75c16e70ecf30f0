import type { ParserCore, RowItem } from './types.js';

/** The one stream wrapper around a synchronous parser core. */
export async function* runCore(core: ParserCore, text: AsyncIterable<string>): AsyncIterable<RowItem[]> {
  for await (const chunk of text) {
    const items = core.push(chunk);
    if (items.length) yield items;
  }
  const last = core.end();
  if (last.length) yield last;
}

/** Runs a core over text held in memory (tests, detection on a file's head). */
export function runCoreSync(core: ParserCore, chunks: Iterable<string>): RowItem[] {
  const out: RowItem[] = [];
  for (const chunk of chunks) for (const item of core.push(chunk)) out.push(item);
  for (const item of core.end()) out.push(item);
  return out;
}
