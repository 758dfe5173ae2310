#!/usr/bin/env python3
"""Judges SparkReadCheck's output against what orderflow wrote (tests/spark, bench).

  check_read.py SPARK_OUT VALID INVALID [REPORT_JSON]

Checks that Spark read VALID rows from orders_json and INVALID from invalid_events, that it
inferred the contract's types, and (with REPORT_JSON) that its revenue by item equals
report.json's items[].revenue to the cent. Prints every difference, then
  check_read rows=N expected=N schema_ok=0|1 revenue_ok=0|1|-
and exits 1 if anything differed.
"""
import json, sys

# CONTRACT.md's event, as spark.read.json infers it (JSON integers are bigint).
CONTRACT = {n: "string" for n in (
    "order_id user item category payment_method sales_channel store_city "
    "purchase_datetime purchase_date purchase_time weekday_name").split()}
CONTRACT.update(quantity="bigint", unit_price="double", total_amount="double",
                is_weekend="boolean", event_time_ms="bigint", weekday_num="bigint",
                hour_of_day="bigint", discount_pct="bigint")
INVALID = {"kafka_partition": "bigint", "kafka_offset": "bigint",
           "json_str": "string", "invalid_reason": "string"}


def main():
    spark_out, want_valid, want_invalid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    report_path = sys.argv[4] if len(sys.argv) > 4 else None
    rows, types, revenue = {}, {}, {}
    for line in open(spark_out):
        kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
        if line.startswith("spark_read "):
            rows[kv["dir"]] = int(kv["rows"])
        elif line.startswith("spark_read_field "):
            types[(kv["dir"], kv["name"])] = kv["type"]
        elif line.startswith("spark_read_revenue "):
            revenue[kv["item"]] = round(float(kv["revenue"]) * 100)
    errors, schema_errors = [], []
    for d, want in (("orders_json", want_valid), ("invalid_events", want_invalid)):
        if rows.get(d) != want:
            errors.append(f"{d}: Spark read {rows.get(d)} rows, orderflow wrote {want}")
    for name, want in CONTRACT.items():
        got = types.get(("orders_json", name))
        if got != want:
            schema_errors.append(f"orders_json.{name}: Spark inferred {got or 'no such column'}, the contract says {want}")
    extra = sorted(n for d, n in types if d == "orders_json" and n not in CONTRACT)
    if extra:
        schema_errors.append(f"orders_json: columns outside the contract: {extra}")
    if want_invalid:
        for name, want in INVALID.items():
            got = types.get(("invalid_events", name))
            if got != want:
                schema_errors.append(f"invalid_events.{name}: Spark inferred {got or 'no such column'}, expected {want}")
    revenue_ok = "-"
    if report_path:
        report = {i["name"]: round(i["revenue"] * 100)
                  for i in json.load(open(report_path))["items"]}
        rev_errors = [] if report else ["report.json has no items"]
        for item in sorted(set(report) | set(revenue)):
            if report.get(item) != revenue.get(item):
                rev_errors.append(f"revenue of {item}: Spark {revenue.get(item)} cents, "
                                  f"report.json {report.get(item)} cents")
        revenue_ok = "0" if rev_errors else "1"
        errors += rev_errors
    errors += schema_errors
    for e in errors:
        print("DIFF: " + e, file=sys.stderr)
    total = sum(rows.get(d, 0) for d in ("orders_json", "invalid_events"))
    print(f"check_read rows={total} expected={want_valid + want_invalid} "
          f"schema_ok={0 if schema_errors else 1} revenue_ok={revenue_ok}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
