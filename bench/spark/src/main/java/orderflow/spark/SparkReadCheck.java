package orderflow.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * The contract's promise "readable by spark.read.json(dir)", checked from Spark's side:
 * spark.read.json over an orderflow data dir's orders_json/ and invalid_events/, with schema
 * inference (what a user's first try does). Prints machine-readable lines and judges nothing;
 * tests/spark/spark_read_test.sh and bench/spark_vs_orderflow.sh compare them.
 *
 * <pre>
 * run.sh SparkReadCheck --data-dir DIR
 * spark_read dir=orders_json rows=N
 * spark_read_field dir=orders_json name=quantity type=bigint     (one per inferred column)
 * spark_read dir=invalid_events rows=N
 * spark_read_field dir=invalid_events name=json_str type=string
 * spark_read_partition dir=orders_json purchase_date=2026-11-30 rows=N  (partitioned output only)
 * spark_read_revenue item=apples revenue=1234.56                 (sum of total_amount, exact)
 * spark_read_elapsed_s=F
 * </pre>
 * A folder with no data file prints rows=0 and no field lines (Spark cannot infer a schema from
 * nothing). A folder written with --partition-by purchase_date (purchase_date=D/ subfolders) is
 * read with Spark's partition discovery: purchase_date comes from the folder names (a date, null
 * for __HIVE_DEFAULT_PARTITION__), and its row count per value is printed. Compressed files are
 * decoded by Hadoop's codecs, chosen by suffix (.gz: yes; .zst: needs native libhadoop).
 */
public final class SparkReadCheck {
  private SparkReadCheck() {}

  public static void main(String[] args) throws IOException {
    String dataDir = OrdersStreamingJob.required(OrdersStreamingJob.parseFlags(args), "data-dir");
    SparkSession spark = LocalSpark.session("orderflow-read-check");
    long t0 = System.nanoTime();

    Dataset<Row> orders = readDir(spark, dataDir, "orders_json");
    readDir(spark, dataDir, "invalid_events");
    if (orders != null) {
      // total_amount has 2 decimals: summed as decimal(20,2) the total is exact, so it can be
      // compared to the cent with report.json without a rounding argument.
      Dataset<Row> byItem = orders.groupBy(col("item"))
          .agg(sum(col("total_amount").cast("decimal(20,2)")).alias("revenue"))
          .orderBy(col("item"));
      for (Row r : byItem.collectAsList()) {
        System.out.printf("spark_read_revenue item=%s revenue=%s%n", r.getString(0),
            r.getDecimal(1).toPlainString());
      }
    }
    System.out.printf("spark_read_elapsed_s=%.3f%n", (System.nanoTime() - t0) / 1e9);
    System.out.flush();
    spark.stop();
  }

  /** Prints the folder's row count and inferred types; null when it holds no data file. */
  private static Dataset<Row> readDir(SparkSession spark, String dataDir, String name)
      throws IOException {
    Path dir = Path.of(dataDir, name);
    if (!hasDataFile(dir)) {
      System.out.printf("spark_read dir=%s rows=0%n", name);
      return null;
    }
    Dataset<Row> df = spark.read().json(dir.toString()).cache();
    System.out.printf("spark_read dir=%s rows=%d%n", name, df.count());
    for (StructField f : df.schema().fields()) {
      System.out.printf("spark_read_field dir=%s name=%s type=%s%n", name, f.name(),
          f.dataType().simpleString());
    }
    if (isPartitioned(dir)) {
      for (Row r : df.groupBy(col("purchase_date")).count().orderBy(col("purchase_date"))
               .collectAsList()) {
        System.out.printf("spark_read_partition dir=%s purchase_date=%s rows=%d%n", name,
            r.isNullAt(0) ? "null" : r.get(0).toString(), r.getLong(1));
      }
    }
    return df;
  }

  /** Written with --partition-by purchase_date: purchase_date=D/ folders directly inside. */
  private static boolean isPartitioned(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> Files.isDirectory(p)
          && p.getFileName().toString().startsWith("purchase_date="));
    }
  }

  /** Files Spark would read: not hidden (., _) as Hadoop's input listing skips those. */
  private static boolean hasDataFile(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return false;
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .anyMatch(n -> !n.startsWith(".") && !n.startsWith("_"));
    }
  }
}
