/**
 * Every figure the benchmark prints says what it is held to: the target, the workload the target
 * applies to, and whether this run met it (figures move by about ±0.05× between runs, and a loaded
 * machine moves them more: a run that misses says so rather than hiding it).
 */

export type Comparison = "<=" | ">="

export const meets = (value: number, op: Comparison, target: number): boolean =>
  op === "<=" ? value <= target : value >= target

/** "(target <= 1.2 for 10,000 issues: met)". */
export const verdict = (value: number, op: Comparison, target: number, workload: string): string =>
  `(target ${op} ${target} for ${workload}: ${meets(value, op, target) ? "met" : "NOT met"})`

/** "10,000 issues". */
export const issuesWorkload = (issues: number): string => `${issues.toLocaleString("en-US")} issues`

export const BENCH_USAGE = `Usage: npm run bench -- [csv | startup | page-engine | shared-pool] [options]

Figures, not tests: exports against the Jira emulator (on its own thread, cloud latency profile),
each figure printed with its target, the workload the target is for and whether this run met it.
Run on a quiet machine; a loaded one moves every figure.

  (no mode)            the export benchmark: fast and thrifty through the engine, thrifty per query
                       order, a sequential loop, time in status, the page path, the command line end
                       to end (cliEndToEnd), peak RSS, start-up, .xlsx against CSV (xlsx)
  csv                  the CSV encoder against csv-stringify
  startup              start-up of the built exporter against the transpiled sources
  page-engine          only the page engine: the export run by the page in headless Chromium over
                       requestJira next to the command line (pageEngine), and its JS heap for
                       --page-heap-issues N issues (default 100000; 0 leaves it out)
  shared-pool          five sites on one app points pool: site 1 exports while sites 2-5 make
                       interactive calls; through the resolvers with the steward off / on / tenant
                       pools, and in the browser with the page's reads free / charged (sharedPool);
                       --issues (default 6000), --quota POINTS (5000), --quota-window SECONDS (30),
                       --modes off,steward,tenant,page-free,page-charged (default all)
  --issues N           issues in the data set (default 10000; the targets are set for 10,000)
  --rss-issues A,B     issue counts of the peak-RSS exports (default 10000,100000)
  --invoke-latency MS  Forge's overhead per resolver call on the page path (default 300)
  --skip-engine        leave out fast, thrifty and everything compared with them
  --skip-orders, --skip-sequential, --skip-history, --skip-page, --skip-page-engine,
  --skip-cli, --skip-rss, --skip-startup, --skip-xlsx
                       leave out that part
  --json               end with one JSON line of every figure
  --help               this text
`
