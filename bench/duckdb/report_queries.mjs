// report_queries.mjs: DuckDB's side of bench/report_vs_duckdb.sh. Reads the processor's output
// files (JSON Lines) with DuckDB's read_json and computes what `orderflow report` computes
// (docs/report.md), with the same cleaning, as an analyst would write it in SQL:
//   node report_queries.mjs --data DIR [--threads N] [--figures OUT.json] [--compare REPORT.json]
// Prints one line
//   [duckdb] version=V threads=N read_s=F queries_s=F total_s=F rows=N order_rows=N
//            invalid_rows=N orders=N revenue=F
// read_s = the two read_json scans into tables, queries_s = every aggregation with its result in
// JS, total_s = both (the in-memory instance is opened before the clock starts, as orderflow's
// scan time leaves out its process start). With --compare, every figure is checked against
// report.json and a second line says `[duckdb][compare] same_figures=0|1 checked=N mismatches=N`.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    threads: { type: 'string', default: String(availableParallelism()) },
    figures: { type: 'string' },
    compare: { type: 'string' },
  },
});
if (!args.data) {
  console.error('usage: node report_queries.mjs --data DIR [--threads N] [--figures F] [--compare REPORT.json]');
  process.exit(2);
}

// The catalogue (src/event/catalogue.h) and the weekday names, in the report's order.
const ITEMS = ['yogurt', 'potatoes', 'apples', 'bananas', 'carrots', 'cheese', 'bread', 'rice', 'pasta', 'eggs'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const DROP_REASONS = ['unknown_item', 'non_positive_or_missing_quantity',
  'non_positive_or_missing_unit_price', 'missing_weekday', 'missing_total_amount'];

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;
const sqlList = (list) => `[${list.map(sqlString).join(', ')}]`;
// orderflow reads every *.json under both folders, recursively.
const glob = (sub) => sqlString(`${args.data}/${sub}/**/*.json`);

// Only the fields the report uses, typed as the contract says. Money becomes integer cents as in
// orderflow (llround). Damaged input is where the two differ: DuckDB casts what it can ("3" -> 3,
// 2.5 -> 2; orderflow treats a wrong type as absent) and with ignore_errors turns a line that is
// not JSON into a row of NULLs (dropped below as unknown_item; orderflow counts it in bad_lines
// and not as a row). Generated files have neither; --compare shows the figures agree on them.
const READ_ORDERS = `
CREATE TEMP TABLE orders AS
SELECT
  CASE
    WHEN item IS NULL OR NOT list_contains(${sqlList(ITEMS)}, item) THEN 0
    WHEN quantity IS NULL OR quantity <= 0 THEN 1
    WHEN unit_price IS NULL OR NOT unit_price > 0 THEN 2
    WHEN weekday_name IS NULL OR NOT list_contains(${sqlList(WEEKDAYS)}, weekday_name) THEN 3
    WHEN total_amount IS NULL OR NOT isfinite(total_amount) THEN 4
  END AS drop_reason,
  item,
  coalesce(nullif(category, ''), '(missing)') AS category,
  coalesce(nullif(sales_channel, ''), '(missing)') AS sales_channel,
  coalesce(nullif(payment_method, ''), '(missing)') AS payment_method,
  coalesce(nullif(store_city, ''), '(missing)') AS store_city,
  quantity,
  CAST(round(total_amount * 100) AS BIGINT) AS cents,
  list_position(${sqlList(WEEKDAYS)}, weekday_name) - 1 AS weekday,
  CASE WHEN hour_of_day BETWEEN 0 AND 23 THEN hour_of_day END AS hour,
  try_cast(purchase_date AS DATE) AS day
FROM read_json(${glob('orders_json')}, format = 'newline_delimited', ignore_errors = true,
  columns = {item: 'VARCHAR', category: 'VARCHAR', quantity: 'BIGINT', unit_price: 'DOUBLE',
             total_amount: 'DOUBLE', payment_method: 'VARCHAR', sales_channel: 'VARCHAR',
             store_city: 'VARCHAR', purchase_date: 'VARCHAR', weekday_name: 'VARCHAR',
             hour_of_day: 'BIGINT'})`;

const READ_INVALID = `
CREATE TEMP TABLE invalid AS
SELECT coalesce(nullif(invalid_reason, ''), 'unknown') AS reason
FROM read_json(${glob('invalid_events')}, format = 'newline_delimited', ignore_errors = true,
  columns = {invalid_reason: 'VARCHAR'})`;

const QUERIES = {
  totals: `SELECT (SELECT count(*) FROM orders) AS order_rows,
                  (SELECT count(*) FROM invalid) AS invalid_rows,
                  count(*) AS orders, sum(quantity) AS quantity, sum(cents) AS cents
           FROM orders WHERE drop_reason IS NULL`,
  dropped: `SELECT drop_reason, count(*) AS n FROM orders
            WHERE drop_reason IS NOT NULL GROUP BY ALL`,
  invalid: `SELECT reason, count(*) AS n FROM invalid GROUP BY ALL`,
  // Item Pareto: revenue per item, descending (ties by name); shares are computed in JS below
  // from these exact sums, as orderflow's Summarize does.
  items: `SELECT item AS name, count(*) AS orders, sum(quantity) AS quantity, sum(cents) AS cents
          FROM orders WHERE drop_reason IS NULL GROUP BY ALL ORDER BY cents DESC, name`,
  categories: `SELECT category AS name, count(*) AS orders, sum(quantity) AS quantity,
                      sum(cents) AS cents
               FROM orders WHERE drop_reason IS NULL GROUP BY ALL ORDER BY cents DESC, name`,
  cities: `SELECT store_city AS name, count(*) AS orders, sum(quantity) AS quantity,
                  sum(cents) AS cents
           FROM orders WHERE drop_reason IS NULL GROUP BY ALL ORDER BY cents DESC, name LIMIT 10`,
  itemWeekday: `SELECT item, weekday, sum(quantity) AS quantity, sum(cents) AS cents
                FROM orders WHERE drop_reason IS NULL GROUP BY ALL`,
  weekdayHour: `SELECT weekday, hour, sum(cents) AS cents
                FROM orders WHERE drop_reason IS NULL AND hour IS NOT NULL GROUP BY ALL`,
  // Channel x payment: exact quartiles with linear interpolation (quantile_cont, as numpy),
  // Tukey whiskers at the furthest order within 1.5 IQR, and the orders beyond them.
  boxes: `WITH clean AS (SELECT sales_channel, payment_method, cents FROM orders
                         WHERE drop_reason IS NULL),
          q AS (SELECT sales_channel, payment_method, count(*) AS n, sum(cents) AS cents,
                       min(cents) AS lo, max(cents) AS hi,
                       quantile_cont(cents, [0.25, 0.5, 0.75]) AS qs
                FROM clean GROUP BY ALL),
          b AS (SELECT *, qs[1] - 1.5 * (qs[3] - qs[1]) AS low_bound,
                          qs[3] + 1.5 * (qs[3] - qs[1]) AS high_bound FROM q)
          SELECT b.sales_channel, b.payment_method, any_value(n) AS n, any_value(b.cents) AS cents,
                 any_value(lo) AS lo, any_value(hi) AS hi, any_value(qs) AS qs,
                 min(c.cents) FILTER (WHERE c.cents >= low_bound) AS whisker_low,
                 max(c.cents) FILTER (WHERE c.cents <= high_bound) AS whisker_high,
                 count(*) FILTER (WHERE c.cents < low_bound OR c.cents > high_bound) AS outliers
          FROM b JOIN clean c USING (sales_channel, payment_method)
          GROUP BY ALL ORDER BY b.sales_channel, b.payment_method`,
  // Revenue per day, and the forecast's input: quantity per day and item, hours seen per day.
  days: `SELECT strftime(day, '%Y-%m-%d') AS date, count(*) AS orders, sum(cents) AS cents,
                min(hour) AS min_hour, max(hour) AS max_hour
         FROM orders WHERE drop_reason IS NULL AND day IS NOT NULL GROUP BY day ORDER BY day`,
  dayItem: `SELECT strftime(day, '%Y-%m-%d') AS date, item, sum(quantity) AS quantity
            FROM orders WHERE drop_reason IS NULL AND day IS NOT NULL GROUP BY day, item`,
};

const instance = await DuckDBInstance.create(':memory:', { threads: args.threads });
const connection = await instance.connect();
const settings = (await connection.runAndReadAll(
  `SELECT version() AS version, current_setting('threads') AS threads`)).getRowObjectsJS()[0];

const t0 = performance.now();
await connection.run(READ_ORDERS);
await connection.run(READ_INVALID);
const tRead = performance.now();
const r = {};
for (const [name, sql] of Object.entries(QUERIES)) {
  r[name] = (await connection.runAndReadAll(sql)).getRowObjectsJS();
}
const tEnd = performance.now();
connection.closeSync();
instance.closeSync();

// The figures in report.json's shape and rounding (src/report/report_json.cc: money to cents,
// shares to 1e-6), computed from the exact sums with the same arithmetic as Summarize.
const money = (cents) => Number(cents) / 100;
const roundCents = (v) => Math.round(v * 100) / 100;
const roundRatio = (v) => Math.round(v * 1e6) / 1e6;
const t = r.totals[0];
const revenue = money(t.cents ?? 0n);
const orderRows = Number(t.order_rows), invalidRows = Number(t.invalid_rows);
const events = orderRows + invalidRows;
const share = (part, whole) => (whole > 0 ? part / whole : 0);
const byCountThenName = (a, b) => (b.count - a.count) || (a.reason < b.reason ? -1 : 1);
const named = (rows, cumulative) => {
  let running = 0;
  return rows.map((row) => {
    const s = share(money(row.cents), revenue);
    const out = { name: row.name, orders: Number(row.orders), quantity: Number(row.quantity),
                  revenue: roundCents(money(row.cents)), share: roundRatio(s) };
    if (cumulative) out.cumulative_share = roundRatio(running += s);
    return out;
  });
};
const itemWeekday = {};
for (const item of ITEMS) itemWeekday[item] = { quantity: Array(7).fill(0), revenue: Array(7).fill(0) };
for (const row of r.itemWeekday) {
  itemWeekday[row.item].quantity[Number(row.weekday)] = Number(row.quantity);
  itemWeekday[row.item].revenue[Number(row.weekday)] = roundCents(money(row.cents));
}
const heat = {};
for (const day of WEEKDAYS) heat[day] = Array(24).fill(0);
for (const row of r.weekdayHour) heat[WEEKDAYS[Number(row.weekday)]][Number(row.hour)] = roundCents(money(row.cents));
const dayItems = {};
for (const row of r.dayItem) (dayItems[row.date] ??= {})[row.item] = Number(row.quantity);

const figures = {
  scan: { rows: events },
  kpis: {
    orders: Number(t.orders),
    revenue: roundCents(revenue),
    average_order_value: roundCents(Number(t.orders) > 0 ? revenue / Number(t.orders) : 0),
    quantity: Number(t.quantity ?? 0n),
    order_rows: orderRows,
    invalid_events: invalidRows,
    invalid_share: roundRatio(share(invalidRows, events)),
    invalid_by_reason: r.invalid.map((row) => ({ reason: row.reason, count: Number(row.n) }))
      .sort(byCountThenName)
      .map((x) => ({ ...x, share: roundRatio(share(x.count, events)) })),
    dropped_by_cleaning: r.dropped.sort((a, b) => a.drop_reason - b.drop_reason)
      .map((row) => ({ reason: DROP_REASONS[row.drop_reason], count: Number(row.n),
                       share: roundRatio(share(Number(row.n), orderRows)) })),
  },
  items: named(r.items, true),
  categories: named(r.categories, false),
  top_cities: named(r.cities, false),
  item_weekday: { weekdays: WEEKDAYS, items: itemWeekday },
  weekday_hour_revenue: heat,
  order_value_by_channel_payment: r.boxes.map((row) => ({
    sales_channel: row.sales_channel,
    payment_method: row.payment_method,
    count: Number(row.n),
    mean: roundCents(Number(row.cents) / Number(row.n) / 100),
    min: roundCents(money(row.lo)),
    whisker_low: roundCents(money(row.whisker_low)),
    q1: roundCents(row.qs[0] / 100),
    median: roundCents(row.qs[1] / 100),
    q3: roundCents(row.qs[2] / 100),
    whisker_high: roundCents(money(row.whisker_high)),
    max: roundCents(money(row.hi)),
    outliers: Number(row.outliers),
  })),
  revenue_per_day: r.days.map((row) => ({ date: row.date, orders: Number(row.orders),
                                          revenue: roundCents(money(row.cents)) })),
  // Not in report.json as such (it holds the fitted forecast); kept for inspection.
  forecast_input: r.days.map((row) => ({ date: row.date, min_hour: Number(row.min_hour),
                                         max_hour: Number(row.max_hour), item_quantity: dayItems[row.date] })),
};

const seconds = (ms) => (ms / 1000).toFixed(3);
console.log(`[duckdb] version=${settings.version} threads=${settings.threads} ` +
  `read_s=${seconds(tRead - t0)} queries_s=${seconds(tEnd - tRead)} total_s=${seconds(tEnd - t0)} ` +
  `rows=${events} order_rows=${orderRows} invalid_rows=${invalidRows} orders=${t.orders} ` +
  `revenue=${revenue.toFixed(2)}`);
if (args.figures) writeFileSync(args.figures, JSON.stringify(figures, null, 1));

if (args.compare) {
  // Walks DuckDB's figures and checks each leaf against report.json: counts and names exactly,
  // money to the cent, shares to 1e-6.
  const report = JSON.parse(readFileSync(args.compare, 'utf8'));
  const mismatches = [];
  let checked = 0;
  const walk = (ours, theirs, path) => {
    if (path === '.forecast_input') return;
    if (ours !== null && typeof ours === 'object') {
      if (theirs === null || typeof theirs !== 'object' ||
          Array.isArray(ours) !== Array.isArray(theirs) ||
          (Array.isArray(ours) && ours.length !== theirs.length)) {
        mismatches.push(`${path}: shape differs`);
        return;
      }
      for (const key of Object.keys(ours)) walk(ours[key], theirs[key], `${path}.${key}`);
      return;
    }
    ++checked;
    const same = typeof ours === 'number' && typeof theirs === 'number'
      ? Math.abs(ours - theirs) <= 1e-9 * Math.max(1, Math.abs(ours)) : ours === theirs;
    if (!same) mismatches.push(`${path}: duckdb ${ours} report.json ${theirs}`);
  };
  walk(figures, report, '');
  for (const m of mismatches.slice(0, 10)) console.log(`[duckdb][compare] ${m}`);
  console.log(`[duckdb][compare] same_figures=${mismatches.length === 0 ? 1 : 0} ` +
    `checked=${checked} mismatches=${mismatches.length}`);
}
