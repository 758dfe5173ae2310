#!/usr/bin/env python3
"""Judges SparkReadCheck's output against what orderflow wrote (tests/spark, bench).

  check_read.py [--partitioned DATA_DIR] SPARK_OUT VALID INVALID [REPORT_JSON]

Checks that Spark read VALID rows from orders_json and INVALID from invalid_events, that it
inferred the contract's types, and (with REPORT_JSON) that its revenue by item equals
report.json's items[].revenue to the cent. With --partitioned (output of
`process --partition-by purchase_date`, plain or .gz files), also that Spark's partition
discovery found each purchase_date=D/ folder with as many rows as its files have lines, that
every valid line sits in the folder of its own purchase_date, and that Spark typed the column
from the folder names (date; null for __HIVE_DEFAULT_PARTITION__). Prints every difference, then
  check_read rows=N expected=N schema_ok=0|1 revenue_ok=0|1|- partitions_ok=0|1|-
and exits 1 if anything differed.
"""
import gzip, json, os, sys

DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__"


def folder_counts(data_dir, name, errors):
    """Lines per purchase_date folder of DATA_DIR/NAME, as Spark names the values."""
    counts = {}
    top = os.path.join(data_dir, name)
    for folder in sorted(os.listdir(top)) if os.path.isdir(top) else []:
        path = os.path.join(top, folder)
        if not os.path.isdir(path) or not folder.startswith("purchase_date="):
            if not folder.startswith((".", "_")):
                errors.append(f"{name}/{folder}: not a purchase_date= folder in a partitioned output")
            continue
        value = folder.split("=", 1)[1]
        key = "null" if value == DEFAULT_PARTITION else value
        for file in sorted(os.listdir(path)):
            if file.startswith((".", "_")):
                continue
            opener = gzip.open if file.endswith(".gz") else open
            with opener(os.path.join(path, file), "rt", encoding="utf-8") as f:
                for line in f:
                    counts[key] = counts.get(key, 0) + 1
                    if name == "orders_json" and json.loads(line).get("purchase_date") != value:
                        errors.append(f"{name}/{folder}/{file}: a line of another purchase_date")
    return counts

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
    args = sys.argv[1:]
    partitioned = None
    if args[:1] == ["--partitioned"]:
        partitioned, args = args[1], args[2:]
    spark_out, want_valid, want_invalid = args[0], int(args[1]), int(args[2])
    report_path = args[3] if len(args) > 3 else None
    rows, types, revenue, parts = {}, {}, {}, {}
    for line in open(spark_out):
        kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
        if line.startswith("spark_read "):
            rows[kv["dir"]] = int(kv["rows"])
        elif line.startswith("spark_read_field "):
            types[(kv["dir"], kv["name"])] = kv["type"]
        elif line.startswith("spark_read_revenue "):
            revenue[kv["item"]] = round(float(kv["revenue"]) * 100)
        elif line.startswith("spark_read_partition "):
            parts[(kv["dir"], kv["purchase_date"])] = int(kv["rows"])
    errors, schema_errors = [], []
    for d, want in (("orders_json", want_valid), ("invalid_events", want_invalid)):
        if rows.get(d) != want:
            errors.append(f"{d}: Spark read {rows.get(d)} rows, orderflow wrote {want}")
    contract = dict(CONTRACT)
    if partitioned:
        # Spark's partition discovery types the column from the folder names.
        contract["purchase_date"] = "date"
    for name, want in contract.items():
        got = types.get(("orders_json", name))
        if got != want:
            schema_errors.append(f"orders_json.{name}: Spark inferred {got or 'no such column'}, the contract says {want}")
    extra = sorted(n for d, n in types if d == "orders_json" and n not in contract)
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
    partitions_ok = "-"
    if partitioned:
        part_errors = []
        for name in ("orders_json", "invalid_events"):
            want = folder_counts(partitioned, name, part_errors)
            got = {v: n for (d, v), n in parts.items() if d == name}
            if not want:
                part_errors.append(f"{name}: no purchase_date= folder")
            for value in sorted(set(want) | set(got)):
                if want.get(value) != got.get(value):
                    part_errors.append(f"{name} purchase_date={value}: Spark read {got.get(value)} "
                                       f"rows, the folder has {want.get(value)} lines")
        if types.get(("invalid_events", "purchase_date")) not in ("date", None):
            part_errors.append("invalid_events.purchase_date: Spark inferred "
                               f"{types.get(('invalid_events', 'purchase_date'))}, expected date")
        partitions_ok = "0" if part_errors else "1"
        errors += part_errors
    for e in errors:
        print("DIFF: " + e, file=sys.stderr)
    total = sum(rows.get(d, 0) for d in ("orders_json", "invalid_events"))
    print(f"check_read rows={total} expected={want_valid + want_invalid} "
          f"schema_ok={0 if schema_errors else 1} revenue_ok={revenue_ok} "
          f"partitions_ok={partitions_ok}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
