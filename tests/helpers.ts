import type { FormatParser, ParseInfo, RowItem } from '../parsers/types.js';

/** Text as a parser receives it, cut into small chunks so row and escape boundaries fall mid-chunk. */
export function* chunks(text: string, size = 7): Iterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** Async form of `chunks`, for code that reads a stream. */
export async function* chunked(text: string, size = 7): AsyncIterable<string> {
  yield* chunks(text, size);
}

/** Runs a parser's core over text cut into chunks of `size`. */
export async function parseAll(parser: FormatParser, text: string, size = 7, format: ParseInfo['format'] = parser.id, options: { mapping?: string; delimiter?: string; kind?: 'terminal' | 'events' | 'settlement' } = {}): Promise<{ items: RowItem[]; info: ParseInfo }> {
  const info: ParseInfo = { format, profile: null, skippedLines: 0 };
  const core = await parser.open({ name: 'test', ...options }, info);
  const items: RowItem[] = [];
  for (const chunk of chunks(text, size)) items.push(...core.push(chunk));
  items.push(...core.end());
  return { items, info };
}
