# report_pandas.py: the pandas side of bench/report_vs_pandas.sh and bench/report_vs_duckdb.sh.
#   python3 bench/report_pandas.py DATA_DIR
# Reads every file of DATA_DIR/orders_json and DATA_DIR/invalid_events with
# pandas.read_json(lines=True), applies the report's cleaning and its groupbys (item x weekday,
# weekday x hour, item Pareto, channel x payment quartiles, category, top cities, revenue per
# day, invalid by reason) and prints one line:
#   pandas_read_s=F pandas_groupby_s=F pandas_total_s=F rows=N revenue=F
import glob, sys, time
import pandas as pd

data = sys.argv[1]
t0 = time.perf_counter()
orders = pd.concat([pd.read_json(f, lines=True) for f in sorted(glob.glob(f"{data}/orders_json/*.json"))],
                   ignore_index=True)
invalid = pd.concat([pd.read_json(f, lines=True) for f in sorted(glob.glob(f"{data}/invalid_events/*.json"))],
                    ignore_index=True)
t_read = time.perf_counter()
known = ["yogurt", "potatoes", "apples", "bananas", "carrots", "cheese", "bread", "rice", "pasta", "eggs"]
df = orders[orders["item"].isin(known) & (orders["quantity"] > 0) & (orders["unit_price"] > 0)
            & orders["weekday_name"].notna() & orders["total_amount"].notna()]
item_weekday = df.groupby(["item", "weekday_name"]).agg(quantity=("quantity", "sum"),
                                                         revenue=("total_amount", "sum"))
weekday_hour = df.groupby(["weekday_name", "hour_of_day"])["total_amount"].sum()
pareto = df.groupby("item")["total_amount"].sum().sort_values(ascending=False)
pareto_share = pareto / pareto.sum()
pareto_cumulative = pareto_share.cumsum()
quartiles = df.groupby(["sales_channel", "payment_method"])["total_amount"].quantile([0.25, 0.5, 0.75])
category = df.groupby("category")["total_amount"].sum()
cities = df.groupby("store_city")["total_amount"].sum().nlargest(10)
per_day = df.groupby("purchase_date")["total_amount"].sum()
reasons = invalid.groupby("invalid_reason").size()
t_end = time.perf_counter()
print(f"pandas_read_s={t_read - t0:.3f} pandas_groupby_s={t_end - t_read:.3f} "
      f"pandas_total_s={t_end - t0:.3f} rows={len(orders) + len(invalid)} "
      f"revenue={df['total_amount'].sum():.2f}")
