#include "kafka/admin.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <memory>

#include "kafka/kafka_errors.h"

namespace orderflow::kafka {
namespace {

struct ClientDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};
using ClientPtr = std::unique_ptr<rd_kafka_t, ClientDeleter>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, EventDeleter>;

Result<ClientPtr> NewClient(const KafkaSettings& settings) {
  // Describing a topic must not create it (producers auto-create by default).
  auto conf = settings.BuildConf({{"log_level", "3"}, {"allow.auto.create.topics", "false"}});
  if (!conf.ok()) return conf.status();
  char error[512];
  // A consumer-type handle: its metadata requests never ask the cluster to auto-create.
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), error, sizeof(error));
  if (rk == nullptr) return Status::InvalidArgument(fmt::format("admin client: {}", error));
  conf->release();
  return ClientPtr(rk);
}

// A per-topic or per-group error from an admin result as a Status (sorted in kafka_errors).
Status ResultError(rd_kafka_resp_err_t err, const char* message, std::string_view what,
                   const std::string& name) {
  return AdminResultStatus(
      static_cast<ErrorCode>(err),
      fmt::format("{} {}: {}", what, name, message != nullptr ? message : rd_kafka_err2str(err)));
}

// Waits for the admin result event and turns its per-topic error into a Status.
Status TopicResult(rd_kafka_queue_t* queue, int timeout_ms, std::string_view what,
                   const std::string& name) {
  EventPtr event(rd_kafka_queue_poll(queue, timeout_ms + 1000));
  if (!event) {
    return Status::KafkaError(
        fmt::format("{} {}: no answer from the cluster within {} ms", what, name, timeout_ms));
  }
  if (rd_kafka_event_error(event.get())) {
    return Status::KafkaError(
        fmt::format("{} {}: {}", what, name, rd_kafka_event_error_string(event.get())));
  }
  const rd_kafka_topic_result_t** results = nullptr;
  size_t count = 0;
  if (const auto* r = rd_kafka_event_CreateTopics_result(event.get())) {
    results = rd_kafka_CreateTopics_result_topics(r, &count);
  } else if (const auto* d = rd_kafka_event_DeleteTopics_result(event.get())) {
    results = rd_kafka_DeleteTopics_result_topics(d, &count);
  }
  for (size_t i = 0; i < count; ++i) {
    if (rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i])) {
      return ResultError(err, rd_kafka_topic_result_error_string(results[i]), what, name);
    }
  }
  return Status::Ok();
}

// Options for one admin call, destroyed with it.
struct OptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* o) const { rd_kafka_AdminOptions_destroy(o); }
};
using OptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, OptionsDeleter>;

OptionsPtr NewOptions(rd_kafka_t* rk, rd_kafka_admin_op_t op, int timeout_ms) {
  char error[512];
  OptionsPtr options(rd_kafka_AdminOptions_new(rk, op));
  rd_kafka_AdminOptions_set_request_timeout(options.get(), timeout_ms, error, sizeof(error));
  if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS) {
    rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeout_ms, error, sizeof(error));
  }
  return options;
}

}  // namespace

Status CreateTopic(const KafkaSettings& settings, const std::string& name, int partitions,
                   int replication_factor, const TopicConfig& config, int timeout_ms) {
  auto client = NewClient(settings);
  if (!client.ok()) return client.status();
  char error[512];
  rd_kafka_NewTopic_t* topic =
      rd_kafka_NewTopic_new(name.c_str(), partitions, replication_factor, error, sizeof(error));
  if (topic == nullptr) return Status::InvalidArgument(fmt::format("topic {}: {}", name, error));
  for (const auto& [key, value] : config) {
    if (rd_kafka_resp_err_t err = rd_kafka_NewTopic_set_config(topic, key.c_str(), value.c_str())) {
      rd_kafka_NewTopic_destroy(topic);
      return Status::InvalidArgument(
          fmt::format("topic {}: --config {}={}: {}", name, key, value, rd_kafka_err2str(err)));
    }
  }
  QueuePtr queue(rd_kafka_queue_new(client->get()));
  OptionsPtr options = NewOptions(client->get(), RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout_ms);
  rd_kafka_CreateTopics(client->get(), &topic, 1, options.get(), queue.get());
  Status s = TopicResult(queue.get(), timeout_ms, "create topic", name);
  rd_kafka_NewTopic_destroy(topic);
  return s;
}

Status DeleteTopic(const KafkaSettings& settings, const std::string& name, int timeout_ms) {
  auto client = NewClient(settings);
  if (!client.ok()) return client.status();
  rd_kafka_DeleteTopic_t* topic = rd_kafka_DeleteTopic_new(name.c_str());
  QueuePtr queue(rd_kafka_queue_new(client->get()));
  OptionsPtr options = NewOptions(client->get(), RD_KAFKA_ADMIN_OP_DELETETOPICS, timeout_ms);
  rd_kafka_DeleteTopics(client->get(), &topic, 1, options.get(), queue.get());
  Status s = TopicResult(queue.get(), timeout_ms, "delete topic", name);
  rd_kafka_DeleteTopic_destroy(topic);
  return s;
}

Status DeleteGroups(const KafkaSettings& settings, const std::vector<std::string>& groups,
                    int timeout_ms) {
  if (groups.empty()) return Status::Ok();
  auto client = NewClient(settings);
  if (!client.ok()) return client.status();
  std::vector<rd_kafka_DeleteGroup_t*> requests;
  for (const std::string& g : groups) requests.push_back(rd_kafka_DeleteGroup_new(g.c_str()));
  QueuePtr queue(rd_kafka_queue_new(client->get()));
  OptionsPtr options = NewOptions(client->get(), RD_KAFKA_ADMIN_OP_DELETEGROUPS, timeout_ms);
  rd_kafka_DeleteGroups(client->get(), requests.data(), requests.size(), options.get(),
                        queue.get());
  rd_kafka_DeleteGroup_destroy_array(requests.data(), requests.size());
  EventPtr event(rd_kafka_queue_poll(queue.get(), timeout_ms + 1000));
  if (!event) {
    return Status::KafkaError(
        fmt::format("delete groups: no answer from the cluster within {} ms", timeout_ms));
  }
  if (rd_kafka_event_error(event.get())) {
    return Status::KafkaError(
        fmt::format("delete groups: {}", rd_kafka_event_error_string(event.get())));
  }
  size_t count = 0;
  const rd_kafka_group_result_t** results =
      rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(event.get()), &count);
  for (size_t i = 0; i < count; ++i) {
    const rd_kafka_error_t* error = rd_kafka_group_result_error(results[i]);
    if (error == nullptr) continue;
    Status s = ResultError(rd_kafka_error_code(error), rd_kafka_error_string(error), "delete group",
                           rd_kafka_group_result_name(results[i]));
    if (!s.ok() && !s.IsNotFound()) return s;
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ListTopics(const KafkaSettings& settings, int timeout_ms) {
  auto client = NewClient(settings);
  if (!client.ok()) return client.status();
  const rd_kafka_metadata_t* md = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(client->get(), 1, nullptr, &md, timeout_ms);
  if (err) {
    return Status::KafkaError(fmt::format("list topics: {} (is a cluster reachable at {}?)",
                                          rd_kafka_err2str(err), settings.bootstrap_servers));
  }
  std::vector<std::string> names;
  for (int i = 0; i < md->topic_cnt; ++i) {
    const std::string name = md->topics[i].topic;
    if (name.rfind("__", 0) != 0 && md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR)
      names.push_back(name);
  }
  rd_kafka_metadata_destroy(md);
  std::sort(names.begin(), names.end());
  return names;
}

Result<TopicDescription> DescribeTopic(const KafkaSettings& settings, const std::string& name,
                                       int timeout_ms) {
  auto client = NewClient(settings);
  if (!client.ok()) return client.status();
  // Ask for all topics: a request naming the topic would make some clusters (the embedded
  // one included) auto-create it.
  const rd_kafka_metadata_t* md = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(client->get(), 1, nullptr, &md, timeout_ms);
  if (err) {
    return Status::KafkaError(fmt::format("describe {}: {} (is a cluster reachable at {}?)", name,
                                          rd_kafka_err2str(err), settings.bootstrap_servers));
  }
  TopicDescription out;
  out.name = name;
  for (int i = 0; i < md->broker_cnt; ++i) {
    out.brokers.push_back(
        fmt::format("{}@{}:{}", md->brokers[i].id, md->brokers[i].host, md->brokers[i].port));
  }
  const rd_kafka_metadata_topic* found = nullptr;
  for (int i = 0; i < md->topic_cnt; ++i) {
    if (name == md->topics[i].topic) found = &md->topics[i];
  }
  Status status;
  if (found == nullptr || found->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
    status = Status::NotFound(fmt::format("topic {} does not exist", name));
  } else if (found->err) {
    status = Status::KafkaError(fmt::format("describe {}: {}", name, rd_kafka_err2str(found->err)));
  } else {
    const rd_kafka_metadata_topic& t = *found;
    for (int p = 0; p < t.partition_cnt; ++p) {
      const rd_kafka_metadata_partition& mp = t.partitions[p];
      PartitionDescription pd;
      pd.id = mp.id;
      pd.leader = mp.leader;
      pd.replicas.assign(mp.replicas, mp.replicas + mp.replica_cnt);
      pd.isrs.assign(mp.isrs, mp.isrs + mp.isr_cnt);
      if (mp.err) pd.error = rd_kafka_err2str(mp.err);
      out.partitions.push_back(std::move(pd));
    }
  }
  rd_kafka_metadata_destroy(md);
  if (!status.ok()) return status;
  for (PartitionDescription& pd : out.partitions) {
    rd_kafka_query_watermark_offsets(client->get(), name.c_str(), pd.id, &pd.low, &pd.high,
                                     timeout_ms);
  }
  return out;
}

}  // namespace orderflow::kafka
