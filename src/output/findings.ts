import type { AnalysisResult, OutputFormat } from './types.js';

function* findingLines({ findings }: AnalysisResult): Iterable<string> {
  // JSON.stringify escapes CR and LF inside strings, so one finding is always one line.
  for (const f of findings) yield `${JSON.stringify(f)}\n`;
}

export const findingsOutput: OutputFormat = {
  id: 'findings',
  file: 'findings.ndjson',
  render: (result) => Array.from(findingLines(result)).join(''),
  chunks: findingLines,
};
