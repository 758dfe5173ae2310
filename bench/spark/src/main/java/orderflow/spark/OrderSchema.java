package orderflow.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The order event of CONTRACT.md as a Spark schema: the one the original's notebook declared. */
final class OrderSchema {
  /** Where from_json (PERMISSIVE) puts a message it cannot read as this schema. */
  static final String kCorruptColumn = "_corrupt_record";

  private OrderSchema() {}

  /** The 19 event fields, in the contract's order. */
  static StructType event() {
    return new StructType()
        .add("order_id", DataTypes.StringType)
        .add("user", DataTypes.StringType)
        .add("item", DataTypes.StringType)
        .add("category", DataTypes.StringType)
        .add("quantity", DataTypes.LongType)
        .add("unit_price", DataTypes.DoubleType)
        .add("discount_pct", DataTypes.LongType)
        .add("total_amount", DataTypes.DoubleType)
        .add("payment_method", DataTypes.StringType)
        .add("sales_channel", DataTypes.StringType)
        .add("store_city", DataTypes.StringType)
        .add("purchase_datetime", DataTypes.StringType)
        .add("purchase_date", DataTypes.StringType)
        .add("purchase_time", DataTypes.StringType)
        .add("weekday_name", DataTypes.StringType)
        .add("weekday_num", DataTypes.LongType)
        .add("hour_of_day", DataTypes.LongType)
        .add("is_weekend", DataTypes.BooleanType)
        .add("event_time_ms", DataTypes.LongType);
  }

  /** event() plus the corrupt-record column, for from_json. */
  static StructType eventWithCorruptRecord() {
    return event().add(kCorruptColumn, DataTypes.StringType);
  }
}
