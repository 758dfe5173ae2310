package orderflow.spark;

import org.apache.spark.sql.SparkSession;

/** The one Spark session shape of the peers: local[2], no UI, few shuffle partitions. */
final class LocalSpark {
  private LocalSpark() {}

  static SparkSession session(String appName) {
    SparkSession spark = SparkSession.builder()
        .appName(appName)
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        // Two cores: Spark's default of 200 shuffle partitions is 200 tiny tasks per aggregation.
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
