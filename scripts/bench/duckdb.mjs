#!/usr/bin/env node
// DuckDB on the same question as the join floor: per terminal, attempts, failures, and approved sales with
// no settled line (an anti-join on rrn), in SQL. Prints {wall, rss, terminals, attempts, failures, unsettled}.
//   node scripts/bench/duckdb.mjs TERMINAL.ndjson|.csv SETTLEMENT.csv THREADS
import { DuckDBInstance } from '@duckdb/node-api';

const [terminalPath, settlementPath, threads = '2'] = process.argv.slice(2);
const t0 = performance.now();
const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const c = await db.connect();
const q = (s) => s.replaceAll("'", "''");
const terminal = terminalPath.endsWith('.csv')
  ? `read_csv('${q(terminalPath)}', header = true, all_varchar = true)`
  : `read_json('${q(terminalPath)}', format = 'newline_delimited', columns = {terminalId: 'VARCHAR', status: 'VARCHAR', rrn: 'VARCHAR'})`;
const sql = `
  WITH settled AS (
    SELECT DISTINCT rrn FROM read_csv('${q(settlementPath)}', header = true, all_varchar = true) WHERE status = 'settled'
  )
  SELECT count(DISTINCT t.terminalId) AS terminals, count(*) AS attempts,
         count(*) FILTER (WHERE t.status <> 'approved') AS failures,
         count(*) FILTER (WHERE t.status = 'approved' AND s.rrn IS NULL) AS unsettled
  FROM ${terminal} t LEFT JOIN settled s ON t.rrn = s.rrn`;
const rows = (await c.runAndReadAll(sql)).getRowObjects();
const r = rows[0];
console.log(JSON.stringify({
  wall: (performance.now() - t0) / 1000, rss: process.resourceUsage().maxRSS * 1024,
  terminals: Number(r.terminals), attempts: Number(r.attempts), failures: Number(r.failures), unsettled: Number(r.unsettled),
}));
