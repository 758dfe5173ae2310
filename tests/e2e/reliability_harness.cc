#include "tests/e2e/reliability_harness.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/mount.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "common/data_layout.h"
#include "event/generator.h"

namespace orderflow::e2e {

ExactlyOnceReport CheckExactlyOnce(const std::string& data_dir,
                                   const std::set<std::string>& expected_valid,
                                   uint64_t expected_invalid) {
  ExactlyOnceReport r;
  std::map<std::string, int> ids;
  for (const OutputLine& line : ReadOutputLines(data_dir + "/orders_json")) {
    ++r.valid_lines;
    if (++ids[line.order_id] > 1) ++r.duplicated;
    if (!expected_valid.count(line.order_id)) ++r.unexpected;
  }
  for (const std::string& id : expected_valid) {
    if (!ids.count(id)) ++r.missing;
  }
  std::set<std::pair<int64_t, int64_t>> coordinates;
  for (const OutputLine& line : ReadOutputLines(data_dir + "/invalid_events")) {
    ++r.invalid_lines;
    if (line.invalid_reason.empty()) ++r.without_reason;
    if (!coordinates.emplace(line.partition, line.offset).second) ++r.duplicated;
  }
  EXPECT_TRUE(r.missing == 0 && r.duplicated == 0 && r.unexpected == 0 && r.without_reason == 0 &&
              r.valid_lines == expected_valid.size() && r.invalid_lines == expected_invalid)
      << "valid_lines=" << r.valid_lines << " (expected " << expected_valid.size()
      << ") invalid_lines=" << r.invalid_lines << " (expected " << expected_invalid
      << ") missing=" << r.missing << " duplicated=" << r.duplicated
      << " unexpected=" << r.unexpected << " without_reason=" << r.without_reason;
  return r;
}

namespace {

// An output file under `dir` whose name (part-PPPPP-FIRST-LAST.json[.gz|.zst]) covers offset
// `offset` of `partition` (its path relative to `dir`), or "" when none does.
std::string CoveringFile(const std::string& dir, int64_t partition, int64_t offset) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    const auto part = data_layout::ParsePartFileName(entry.path().filename().string());
    if (part && part->partition == partition && part->first_offset <= offset &&
        offset <= part->last_offset) {
      return std::filesystem::relative(entry.path(), dir).string();
    }
  }
  return "";
}

}  // namespace

std::string ExplainMissing(const std::string& fixture_dir, const std::string& bootstrap,
                           const std::set<std::string>& expected_valid, const std::string& topic) {
  std::set<std::string> found;
  for (const OutputLine& line : ReadOutputLines(fixture_dir + "/data/orders_json")) {
    found.insert(line.order_id);
  }
  const std::string topic_dump = fixture_dir + "/topic.tsv";
  RunShell(fixture_dir,
           "kcat -C -b " + bootstrap + " -t " + topic +
               " -e -o beginning -q -f '%k\\t%p\\t%o\\n' > " + topic_dump,
           fixture_dir + "/kcat-dump.log", 60);
  std::map<std::string, std::pair<int64_t, int64_t>> positions;  // key -> (partition, offset)
  std::istringstream dump(ReadFileOrEmpty(topic_dump));
  std::string key;
  int64_t partition = 0, offset = 0;
  while (dump >> key >> partition >> offset)
    positions.emplace(key, std::make_pair(partition, offset));
  std::ostringstream out;
  for (const std::string& id : expected_valid) {
    if (found.count(id)) continue;
    const auto it = positions.find(id);
    if (it == positions.end()) {
      out << id << ": not in the topic (" << positions.size() << " keys read back)\n";
      continue;
    }
    const auto [p, o] = it->second;
    const std::string file = CoveringFile(fixture_dir + "/data/orders_json", p, o);
    out << id << ": in the topic at partition " << p << " offset " << o << "; "
        << (file.empty() ? "no output file covers it" : "covered by " + file + " but absent")
        << "\n";
  }
  return out.str();
}

int ControlPost(const std::string& fixture_dir, const std::string& path_and_query) {
  std::string address = ReadFileOrEmpty(fixture_dir + "/data/broker.control");
  while (!address.empty() && address.back() == '\n') address.pop_back();
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return -1;
  httplib::Client client(address.substr(0, colon), std::stoi(address.substr(colon + 1)));
  client.set_connection_timeout(5);
  auto res = client.Post(path_and_query.c_str());
  if (!res) return -1;
  EXPECT_EQ(res->status, 200) << path_and_query << ": " << res->body;
  return res->status;
}

bool MountTmpfs(const std::string& dir, const std::string& options) {
  std::filesystem::create_directories(dir);
  unsigned long flags = 0;
  std::string data;
  std::istringstream in(options);
  for (std::string option; std::getline(in, option, ',');) {
    if (option == "remount")
      flags |= MS_REMOUNT;
    else if (option == "ro")
      flags |= MS_RDONLY;
    else if (option != "rw")
      data += (data.empty() ? "" : ",") + option;
  }
  return ::mount("tmpfs", dir.c_str(), "tmpfs", flags, data.c_str()) == 0;
}

void Unmount(const std::string& dir) { (void)::umount2(dir.c_str(), MNT_DETACH); }

int LastAssignmentSize(const std::string& log) {
  const std::string marker = "[processor] assigned partitions:";
  const size_t at = log.rfind(marker);
  if (at == std::string::npos) return -1;
  const size_t end = log.find('\n', at);
  std::istringstream words(log.substr(at + marker.size(), end - at - marker.size()));
  int count = 0;
  for (std::string w; words >> w;) ++count;
  return count;
}

}  // namespace orderflow::e2e
