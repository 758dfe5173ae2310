// The fastest a librdkafka producer sends on this machine, for comparing `orderflow produce`
// with: JSON Lines read into memory first, then every line produced as it is (keyed by its
// order_id, copied, delivery reports counted) with the settings `orderflow produce` uses. No
// event is built in the loop, so what is left is librdkafka's own per-message cost. glibc malloc
// is tuned as in orderflow (common/malloc_tuning.h), so both get the same allocator.
// Give it events in the order a producer sends them (bench/pipeline_bench.sh shuffles them): a
// file read back from Kafka comes one partition after another, which lets librdkafka fill one
// batch at a time and runs 1.1-1.5 times faster than any producer of random keys can.
// Usage: librdkafka_producer_ceiling BOOTSTRAP TOPIC FILE [name=value ...]
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "common/malloc_tuning.h"

namespace {

uint64_t delivered = 0, failed = 0;

extern "C" void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  ++(m->err ? failed : delivered);
}

// The order_id value of a contract event line, or the whole line when there is none.
std::string_view KeyOf(const std::string& line) {
  constexpr std::string_view kField = "\"order_id\":\"";
  const size_t at = line.find(kField);
  if (at == std::string::npos) return line;
  const size_t start = at + kField.size();
  const size_t end = line.find('"', start);
  return std::string_view(line).substr(start, end == std::string::npos ? 0 : end - start);
}

}  // namespace

int main(int argc, char** argv) {
  orderflow::TuneMallocForMessageChurn();
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s BOOTSTRAP TOPIC FILE [name=value ...]\n", argv[0]);
    return 2;
  }
  std::vector<std::string> lines;
  std::ifstream in(argv[3]);
  for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));

  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::vector<std::string> settings = {std::string("bootstrap.servers=") + argv[1],
                                       "acks=all",
                                       "enable.idempotence=true",
                                       "linger.ms=5",
                                       "batch.num.messages=10000",
                                       "batch.size=1000000",
                                       "compression.type=lz4",
                                       "queue.buffering.max.messages=1000000"};
  for (int i = 4; i < argc; ++i) settings.emplace_back(argv[i]);
  for (const std::string& s : settings) {
    const size_t eq = s.find('=');
    if (eq == std::string::npos ||
        rd_kafka_conf_set(conf, s.substr(0, eq).c_str(), s.substr(eq + 1).c_str(), error,
                          sizeof(error)) != RD_KAFKA_CONF_OK) {
      std::fprintf(stderr, "%s: %s\n", s.c_str(), error);
      return 2;
    }
  }
  rd_kafka_conf_set_dr_msg_cb(conf, OnDelivery);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (rk == nullptr) {
    std::fprintf(stderr, "%s\n", error);
    return 2;
  }
  rd_kafka_topic_t* topic = rd_kafka_topic_new(rk, argv[2], nullptr);

  const auto started = std::chrono::steady_clock::now();
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view key = KeyOf(lines[i]);
    while (rd_kafka_produce(topic, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, lines[i].data(),
                            lines[i].size(), key.data(), key.size(), nullptr) != 0) {
      rd_kafka_poll(rk, 1);  // queue full: let deliveries drain it
    }
    if ((i & 1023) == 0) rd_kafka_poll(rk, 0);
  }
  rd_kafka_flush(rk, 60000);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("[ceiling] sent_ok=%llu sent_error=%llu throughput_eps=%.1f elapsed_s=%.2f\n",
              static_cast<unsigned long long>(delivered), static_cast<unsigned long long>(failed),
              static_cast<double>(delivered) / seconds, seconds);
  rd_kafka_topic_destroy(topic);
  rd_kafka_destroy(rk);
  return failed == 0 ? 0 : 1;
}
