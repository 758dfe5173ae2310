#!/usr/bin/env python3
"""Writes the seed corpus of event_router_fuzzer into DIR (one file per seed): a contract event,
one per invalid mode of `orderflow produce --invalid-mode`, and the hostile inputs the contract
names (invalid UTF-8, huge numbers, NaN/Infinity, deep nesting, duplicate keys, wrong types,
empty). Seeds larger than the fuzzing max_len (the 1 MiB message, 100k-deep nesting) go to
DIR/../fuzz-large, which scripts/fuzz.sh runs once each. Usage: make_seeds.py DIR"""
import json
import os
import sys

EVENT = {
    "order_id": "3f1c2b9e-8a4d-4e6f-9b2a-1c3d5e7f9a0b", "user": "Anna Kowalska", "item": "cheese",
    "category": "dairy", "quantity": 3, "unit_price": 8.93, "discount_pct": 5, "total_amount": 25.45,
    "payment_method": "blik", "sales_channel": "online", "store_city": "Krakow",
    "purchase_datetime": "2025-11-20T14:03:59", "purchase_date": "2025-11-20",
    "purchase_time": "14:03:59", "weekday_name": "Thursday", "weekday_num": 3, "hour_of_day": 14,
    "is_weekend": False, "event_time_ms": 1764000000000,
}


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def variant(mode, **changes):
    e = dict(EVENT)
    for k, v in changes.items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    if mode:
        e["invalid_mode"] = mode
    return compact(e)


def main():
    out = sys.argv[1]
    large = os.path.join(os.path.dirname(os.path.abspath(out)), "fuzz-large")
    os.makedirs(out, exist_ok=True)
    os.makedirs(large, exist_ok=True)
    full = compact(EVENT)
    seeds = {
        "valid": full,
        "valid_non_ascii": variant(None, user="Łukasz Wójcik", store_city="Kraków"),
        "valid_long_numbers": variant(None, quantity=123456789012345678, unit_price=123456789.123456789,
                                      event_time_ms=999999999999999999),
        "valid_pretty": json.dumps(EVENT, indent=2).encode(),
        "valid_extra_field": variant(None, extra={"nested": [1, 2, 3]}),
        "missing_unit_price": variant("missing_unit_price", unit_price=None),
        "missing_quantity": variant("missing_quantity", quantity=None),
        "missing_both": variant("missing_both", quantity=None, unit_price=None),
        "non_positive_unit_price": variant("non_positive_unit_price", unit_price=0.0),
        "non_positive_quantity": variant("non_positive_quantity", quantity=0),
        "malformed_json": full[: len(full) // 2],
        "wrong_type": variant("wrong_type", quantity="3"),
        "wrong_type_bool": variant(None, is_weekend="no"),
        "wrong_type_null": full.replace(b'"Anna Kowalska"', b"null"),
        "wrong_type_object": full.replace(b'"cheese"', b'{"a":1}'),
        "wrong_type_array": full.replace(b"3,", b"[3],", 1),
        "negative_quantity": variant(None, quantity=-5),
        "float_quantity": variant(None, quantity=2.5),
        "duplicate_keys": full[:-1] + b',"quantity":7,"quantity":"x"}',
        "invalid_utf8": full.replace(b"Anna", b"An\xff\xfe"),
        "invalid_utf8_overlong": b'{"user":"\xc0\xaf"}',
        "lone_surrogate": full.replace(b"Anna", b"\\ud800"),
        "huge_integer": full.replace(b'"quantity":3', b'"quantity":' + b"9" * 400),
        "huge_exponent": full.replace(b'"unit_price":8.93', b'"unit_price":1e999999'),
        "int64_overflow": full.replace(b'"event_time_ms":1764000000000', b'"event_time_ms":9223372036854775808'),
        "nan": full.replace(b'"unit_price":8.93', b'"unit_price":NaN'),
        "infinity": full.replace(b'"unit_price":8.93', b'"unit_price":Infinity'),
        "neg_infinity": full.replace(b'"unit_price":8.93', b'"unit_price":-Infinity'),
        "deep_nesting": b'{"a":' + b"[" * 2000 + b"]" * 2000 + b"}",
        "deep_unclosed": b"[" * 3000,
        "empty": b"",
        "whitespace": b" \t\r\n",
        "null": b"null",
        "number": b"42",
        "string": b'"order"',
        "array": b"[1,2,3]",
        "nul_bytes": b'{"order_id":"a\x00b"}',
        "escaped": full.replace(b"Krakow", b"Krak\\u00f3w \\\"quoted\\\" \\n"),
        "trailing_garbage": full + b" garbage",
        "two_objects": full + full,
        "bom": b"\xef\xbb\xbf" + full,
        "key_escapes": full.replace(b'"quantity"', b'"quan\\u0074ity"'),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    # Larger than max_len: run once each, not mutated.
    big_user = "x" * (1 << 20)
    with open(os.path.join(large, "one_mib_valid"), "wb") as f:
        f.write(variant(None, user=big_user))
    with open(os.path.join(large, "one_mib_garbage"), "wb") as f:
        f.write(bytes(range(256)) * 4096)
    with open(os.path.join(large, "deep_nesting_100k"), "wb") as f:
        f.write(b"[" * 100000 + b"]" * 100000)
    with open(os.path.join(large, "deep_object_100k"), "wb") as f:
        f.write(b'{"a":' * 100000 + b"1" + b"}" * 100000)


if __name__ == "__main__":
    main()
