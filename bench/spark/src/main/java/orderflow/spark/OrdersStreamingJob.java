package orderflow.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.util.ShutdownHookManager;
import scala.runtime.BoxedUnit;

/**
 * The original's Spark Structured Streaming job (its notebook's streaming cell), restated with
 * the Java API: Kafka topic -> from_json -> valid events to one JSON folder, invalid events with
 * json_str and invalid_reason to another, each query with its own checkpoint.
 *
 * <pre>
 * run.sh OrdersStreamingJob --bootstrap-servers LIST --output DIR [--topic orders]
 *     [--trigger 5s | 0 | available-now] [--starting-offsets earliest|latest]
 *     [--group-id PREFIX] [--max-offsets-per-trigger N]
 * </pre>
 *
 * DIR gets orders_json/, invalid_events/ and _checkpoints/{valid,invalid}/, the layout of an
 * orderflow data dir. With --trigger available-now it reads what the topic holds at start and
 * exits 0; otherwise it runs until SIGINT/SIGTERM.
 */
public final class OrdersStreamingJob {
  private OrdersStreamingJob() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = parseFlags(args);
    String bootstrap = required(flags, "bootstrap-servers");
    String out = required(flags, "output");
    String topic = flags.getOrDefault("topic", "orders");
    String triggerFlag = flags.getOrDefault("trigger", "5s");
    String startingOffsets = flags.getOrDefault("starting-offsets", "earliest");
    Trigger trigger = parseTrigger(triggerFlag);

    SparkSession spark = LocalSpark.session("orders-streaming");
    Progress progress = new Progress();
    spark.streams().addListener(progress);

    var reader = spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("subscribe", topic)
        .option("startingOffsets", startingOffsets)
        // As the original: a missing offset is an error, not a silent skip.
        .option("failOnDataLoss", "true");
    // Spark keeps its progress in the checkpoint, not in a group; the prefix only names the
    // consumers it creates (one unique group per query: kafka.group.id would be shared by both).
    if (flags.containsKey("group-id")) reader = reader.option("groupIdPrefix", flags.get("group-id"));
    if (flags.containsKey("max-offsets-per-trigger")) {
      reader = reader.option("maxOffsetsPerTrigger", flags.get("max-offsets-per-trigger"));
    }

    Dataset<Row> parsed = reader.load()
        .selectExpr("CAST(value AS STRING) AS json_str")
        .select(from_json(col("json_str"), OrderSchema.eventWithCorruptRecord(),
                    Map.of("mode", "PERMISSIVE",
                        "columnNameOfCorruptRecord", OrderSchema.kCorruptColumn))
                .alias("data"),
            col("json_str"))
        .select("data.*", "json_str");

    Column parsedOk = col(OrderSchema.kCorruptColumn).isNull();
    Column isValid = parsedOk
        .and(col("quantity").isNotNull()).and(col("unit_price").isNotNull())
        .and(col("quantity").gt(0)).and(col("unit_price").gt(0));
    // The original's four reasons in its precedence. A message from_json cannot read as the
    // schema (not JSON, truncated, a field of the wrong type) has no fields to judge; it gets
    // malformed_json, orderflow's reason for a message that is not a readable object.
    Column reason = when(parsedOk.equalTo(false), lit("malformed_json"))
        .when(col("quantity").isNull(), lit("missing_quantity"))
        .when(col("unit_price").isNull(), lit("missing_unit_price"))
        .when(col("quantity").leq(0), lit("non_positive_quantity"))
        .otherwise(lit("non_positive_unit_price"));

    Dataset<Row> valid = parsed.filter(isValid).drop("json_str", OrderSchema.kCorruptColumn);
    Dataset<Row> invalid = parsed.filter(isValid.equalTo(false).or(isValid.isNull()))
        .withColumn("invalid_reason", reason)
        .drop(OrderSchema.kCorruptColumn);

    List<StreamingQuery> queries = new ArrayList<>();
    queries.add(valid.writeStream().format("json").queryName("valid")
        .option("path", out + "/orders_json")
        .option("checkpointLocation", out + "/_checkpoints/valid")
        .outputMode("append").trigger(trigger).start());
    queries.add(invalid.writeStream().format("json").queryName("invalid")
        .option("path", out + "/invalid_events")
        .option("checkpointLocation", out + "/_checkpoints/invalid")
        .outputMode("append").trigger(trigger).start());
    System.out.printf("[spark][start] trigger=%s starting_offsets=%s topic=%s output=%s%n",
        triggerFlag, startingOffsets, topic, out);

    // SIGTERM/SIGINT: stop both queries (each finishes or abandons its batch; the checkpoint
    // makes a restart resume where the last committed batch ended), then print the summary.
    // Priority above the SparkContext's own hook (50), so the queries stop before the context.
    Object hook = ShutdownHookManager.addShutdownHook(60, () -> {
      for (StreamingQuery q : queries) {
        try {
          q.stop();
        } catch (Exception e) {
          System.err.println("[spark] stop " + q.name() + ": " + e);
        }
      }
      return BoxedUnit.UNIT;
    });

    long t0 = System.nanoTime();
    int exit = 0;
    for (StreamingQuery q : queries) {
      try {
        q.awaitTermination();
      } catch (Exception e) {
        System.err.println("[spark] query " + q.name() + " failed: " + e.getMessage());
        exit = 1;
      }
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    System.out.printf("[spark][summary] read=%d batches=%d elapsed_s=%.3f%n",
        progress.rows.get(), progress.batches.get(), elapsed);
    System.out.flush();
    if (exit != 0) System.exit(exit);
    ShutdownHookManager.removeShutdownHook(hook);
    spark.stop();
  }

  /** Messages read and batches run by the "valid" query (each query reads every message). */
  private static final class Progress extends StreamingQueryListener {
    final AtomicLong rows = new AtomicLong();
    final AtomicLong batches = new AtomicLong();

    @Override
    public void onQueryStarted(QueryStartedEvent e) {}

    @Override
    public void onQueryProgress(QueryProgressEvent e) {
      if (!"valid".equals(e.progress().name())) return;
      rows.addAndGet(e.progress().numInputRows());
      if (e.progress().numInputRows() > 0) batches.incrementAndGet();
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent e) {}
  }

  static Trigger parseTrigger(String s) {
    if (s.equals("available-now")) return Trigger.AvailableNow();
    if (s.equals("0")) return Trigger.ProcessingTime(0L);
    long ms;
    if (s.endsWith("ms")) {
      ms = Long.parseLong(s.substring(0, s.length() - 2));
    } else if (s.endsWith("s")) {
      ms = TimeUnit.SECONDS.toMillis(Long.parseLong(s.substring(0, s.length() - 1)));
    } else {
      throw usage("--trigger: expected 5s, 100ms, 0 or available-now, got " + s);
    }
    return Trigger.ProcessingTime(ms);
  }

  static Map<String, String> parseFlags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw usage("expected --flag value, got " + args[i]);
      }
      flags.put(args[i].substring(2), args[++i]);
    }
    return flags;
  }

  static String required(Map<String, String> flags, String name) {
    String v = flags.get(name);
    if (v == null) throw usage("--" + name + " is required");
    return v;
  }

  static IllegalArgumentException usage(String message) {
    System.err.println("usage: " + message);
    System.exit(2);
    return new IllegalArgumentException(message);
  }
}
