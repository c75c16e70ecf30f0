import { asFindings } from '../finding-table.js';
import type { AnalysisResult, OutputFormat } from './types.js';

// JSON.stringify escapes CR and LF inside strings, so one finding is always one line.
const findingLines = ({ findings }: AnalysisResult): Iterable<string> => asFindings(findings).lines();

export const findingsOutput: OutputFormat = {
  id: 'findings',
  file: 'findings.ndjson',
  render: (result) => Array.from(findingLines(result)).join(''),
  chunks: findingLines,
};
