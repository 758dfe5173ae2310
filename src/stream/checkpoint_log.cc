#include "stream/checkpoint_log.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "common/clock.h"
#include "common/data_layout.h"

namespace orderflow::stream {

CheckpointLog::CheckpointLog(FileSystem& fs, std::string dir, std::string holder,
                             uint64_t compact_bytes)
    : fs_(fs), dir_(std::move(dir)), holder_(std::move(holder)), compact_bytes_(compact_bytes) {}

Status CheckpointLog::Open() { return fs_.CreateDirs(dir_); }

Status CheckpointLog::CreateLog() {
  std::random_device device;
  std::mt19937_64 rng((static_cast<uint64_t>(device()) << 32) ^ device() ^
                      static_cast<uint64_t>(::getpid()) ^
                      static_cast<uint64_t>(Clock::now().time_since_epoch().count()));
  for (int attempt = 0; attempt < 16; ++attempt) {
    const uint64_t member = rng();
    const std::string path = Path(data_layout::CheckpointLogFileName(member));
    auto lock = FileLock::TryLock(path);  // creates the file
    if (!lock.ok()) {
      if (lock.status().IsAlreadyExists()) continue;
      return lock.status();
    }
    auto size = fs_.FileSize(path);
    if (!size.ok()) return size.status();
    if (*size != 0) continue;  // a name in use before (a dead instance's): draw again
    auto file = fs_.NewAppendableFile(path);
    if (!file.ok()) return file.status();
    // The log's name must be durable before a record in it counts.
    if (Status s = fs_.SyncDir(dir_); !s.ok()) return s;
    member_ = member;
    log_lock_ = std::move(lock).value();
    log_ = std::move(file).value();
    return Status::Ok();
  }
  return Status::IoError(fmt::format("cannot create a commit log in {}", dir_));
}

Result<std::map<int32_t, std::optional<PartitionCheckpoint>>> CheckpointLog::Acquire(
    const std::vector<int32_t>& partitions, std::vector<int32_t>* behind, const Holds& holds) {
  std::map<int32_t, FileLock> taken;
  for (int32_t p : partitions) {
    if (locks_.contains(p)) continue;
    auto lock = FileLock::TryLock(Path(data_layout::PartitionLockFileName(p)), holder_);
    if (!lock.ok()) {
      if (lock.status().IsAlreadyExists()) {
        return Status::AlreadyExists(
            fmt::format("partition {} is being written by {}", p, lock.status().message()));
      }
      return lock.status();
    }
    taken.emplace(p, std::move(lock).value());
  }
  if (!log_) {
    if (Status s = CreateLog(); !s.ok()) return s;
  }

  std::map<int32_t, std::optional<PartitionCheckpoint>> state;
  std::map<int32_t, std::optional<PartitionCheckpoint>> runner_up;  // the best below `state`'s
  for (int32_t p : partitions) state[p] = std::nullopt;
  auto offer = [&](int32_t p, const PartitionCheckpoint& c) {
    std::optional<PartitionCheckpoint>& best = state[p];
    std::optional<PartitionCheckpoint>& second = runner_up[p];
    if (!best || c.seq > best->seq) {
      second = best;
      best = c;
    } else if (c.seq < best->seq && (!second || c.seq > second->seq)) {
      second = c;
    }
  };
  std::map<int32_t, bool> in_a_log;
  auto names = fs_.List(dir_);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    if (!data_layout::ParseCheckpointLogFileName(name)) continue;
    auto content = fs_.ReadFile(Path(name));
    if (!content.ok()) {
      if (content.status().IsNotFound()) continue;  // removed meanwhile (superseded)
      return content.status();
    }
    auto records = DecodeLog(*content);
    if (!records.ok()) {
      return Status::Corruption(fmt::format("{}: {}", Path(name), records.status().message()));
    }
    for (const PartitionCheckpoint& r : *records) {
      auto it = state.find(r.partition);
      if (it == state.end()) continue;
      in_a_log[r.partition] = true;
      offer(r.partition, r);
    }
  }
  for (auto& [p, best] : state) {
    const std::string path = Path(data_layout::CheckpointFileName(p));
    std::optional<uint64_t> snapshot_seq;  // of a snapshot that reads well
    auto text = fs_.ReadFile(path);
    if (!text.ok() && !text.status().IsNotFound()) return text.status();
    if (text.ok()) {
      auto snapshot = DecodeCheckpoint(*text);
      if (snapshot.ok()) {
        snapshot_size_[p] = text->size();
        snapshot->partition = p;
        snapshot_seq = snapshot->seq;
        offer(p, *snapshot);
      } else if (in_a_log[p]) {
        // Rewritten without a sync after a commit and cut by a power loss: the log that made
        // that commit still holds it (a log is emptied only after the snapshots are synced).
        spdlog::warn("[processor] {}: {}; using the commit logs", path,
                     snapshot.status().message());
      } else {
        return Status::Corruption(fmt::format("{}: {}", path, snapshot.status().message()));
      }
    }
    if (best && best->HasBatch() && holds) {
      auto held = holds(*best);
      if (!held.ok()) return held.status();
      if (!*held) {
        // Its batch never reached the disk: the commit before it stands, above it from now on.
        spdlog::warn(
            "[processor] partition {}: the last commit record (seq {}) names lines that are not "
            "on disk (lost with a power failure): going on from the commit before it",
            p, best->seq);
        const uint64_t seq = best->seq + 1;
        best = runner_up[p];
        if (best) best->seq = seq;
        snapshot_seq.reset();  // behind: saved
      }
    }
    if (behind != nullptr && best && (!snapshot_seq || *snapshot_seq < best->seq)) {
      behind->push_back(p);
    }
  }
  for (auto& [p, lock] : taken) locks_.emplace(p, std::move(lock));
  return state;
}

Status CheckpointLog::Save(const std::vector<PartitionCheckpoint>& checkpoints) {
  if (checkpoints.empty()) return Status::Ok();
  std::vector<std::string> bodies;
  bodies.reserve(checkpoints.size());
  std::vector<PendingFile> files;
  files.reserve(checkpoints.size());
  for (const PartitionCheckpoint& c : checkpoints) {
    bodies.push_back(EncodeCheckpoint(c));
    files.push_back({data_layout::CheckpointFileName(c.partition), bodies.back()});
  }
  if (Status s = PublishFiles(fs_, dir_, files); !s.ok()) return s;
  for (size_t i = 0; i < checkpoints.size(); ++i) {
    snapshot_size_[checkpoints[i].partition] = bodies[i].size();
  }
  return Status::Ok();
}

Status CheckpointLog::Commit(const std::vector<PartitionCheckpoint>& checkpoints) {
  if (Status s = AppendRecords(checkpoints); !s.ok()) return s;
  return Refresh(checkpoints);
}

Status CheckpointLog::AppendRecords(const std::vector<PartitionCheckpoint>& checkpoints) {
  if (checkpoints.empty()) return Status::Ok();
  if (!log_) return Status::IoError(fmt::format("no commit log open in {}", dir_));
  std::string records;
  for (const PartitionCheckpoint& c : checkpoints) records += EncodeLogRecord(c);
  if (Status s = log_->Append(records); !s.ok()) return s;
  return log_->Sync();
}

Status CheckpointLog::Refresh(const std::vector<PartitionCheckpoint>& checkpoints) {
  for (PartitionCheckpoint c : checkpoints) {
    c.ClearBatch();  // its lines are durable: no more to check
    committed_[c.partition] = c;
    const std::string name = data_layout::CheckpointFileName(c.partition);
    const std::string text = EncodeCheckpoint(c);
    auto size = snapshot_size_.find(c.partition);
    if (size != snapshot_size_.end() && size->second == text.size()) {
      // The size of what is there: in place, no directory change (docs/checkpoint_format.md).
      if (Status s = fs_.OverwriteWithoutSync(Path(name), text); !s.ok()) return s;
      continue;
    }
    const std::string temp = Path(data_layout::TempFileName(name));
    if (Status s = fs_.WriteWithoutSync(temp, text); !s.ok()) return s;
    if (Status s = fs_.Rename(temp, Path(name)); !s.ok()) return s;
    snapshot_size_[c.partition] = text.size();
  }
  return Status::Ok();
}

Status CheckpointLog::Compact() {
  if (!log_ || (committed_.empty() && log_->size() == 0)) return Status::Ok();
  std::vector<PartitionCheckpoint> latest;
  latest.reserve(committed_.size());
  for (const auto& [p, c] : committed_) latest.push_back(c);
  if (Status s = Save(latest); !s.ok()) return s;
  // Every record is now in a durable snapshot: start the log again. (A power loss that undoes
  // the truncation brings back records the snapshots supersede.)
  if (Status s = log_->Close(); !s.ok()) return s;
  log_.reset();
  auto file = fs_.NewWritableFile(Path(data_layout::CheckpointLogFileName(member_)));
  if (!file.ok()) return file.status();
  log_ = std::move(file).value();
  committed_.clear();
  // The logs of instances that are gone, once the snapshots hold what they said.
  if (Status s = RemoveSupersededLogs(); !s.ok()) {
    spdlog::warn("[processor] cannot remove old commit logs in {}: {}", dir_, s.message());
  }
  return Status::Ok();
}

Status CheckpointLog::Release(const std::vector<int32_t>& partitions) {
  Status status = Compact();
  Drop(partitions);
  return status;
}

Status CheckpointLog::Close() {
  if (Status s = Compact(); !s.ok()) return s;
  locks_.clear();
  snapshot_size_.clear();
  if (!log_) return Status::Ok();
  Status s = log_->Close();
  log_.reset();
  // Still under its lock: nobody takes the name meanwhile.
  if (s.ok()) s = fs_.Remove(Path(data_layout::CheckpointLogFileName(member_)));
  log_lock_.Unlock();
  return s;
}

void CheckpointLog::Drop(const std::vector<int32_t>& partitions) {
  for (int32_t p : partitions) {
    locks_.erase(p);
    committed_.erase(p);
    snapshot_size_.erase(p);
  }
}

Status CheckpointLog::RemoveSupersededLogs() {
  auto names = fs_.List(dir_);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    const auto member = data_layout::ParseCheckpointLogFileName(name);
    if (!member || (log_ && *member == member_)) continue;
    auto lock = FileLock::TryLock(Path(name));
    if (!lock.ok()) continue;  // alive (or unreadable: left alone)
    auto content = fs_.ReadFile(Path(name));
    if (!content.ok()) continue;
    auto records = DecodeLog(*content);
    if (!records.ok()) continue;         // damaged: Acquire reports it when it matters
    std::map<int32_t, uint64_t> latest;  // per partition, the highest seq in this log
    for (const PartitionCheckpoint& r : *records) {
      uint64_t& seq = latest[r.partition];
      seq = std::max(seq, r.seq);
    }
    bool superseded = true;
    for (const auto& [partition, seq] : latest) {
      auto text = fs_.ReadFile(Path(data_layout::CheckpointFileName(partition)));
      if (!text.ok()) {
        superseded = false;
        break;
      }
      auto snapshot = DecodeCheckpoint(*text);
      if (!snapshot.ok() || snapshot->seq < seq) {
        superseded = false;
        break;
      }
    }
    if (!superseded) continue;
    // A snapshot rewritten after a commit of that instance may not be durable yet: only its log
    // made that commit durable. Make the snapshots durable before the log goes.
    for (const auto& [partition, seq] : latest) {
      if (Status s = fs_.SyncFile(Path(data_layout::CheckpointFileName(partition))); !s.ok()) {
        return s;
      }
    }
    if (!latest.empty()) {
      if (Status s = fs_.SyncDir(dir_); !s.ok()) return s;
    }
    if (Status s = fs_.Remove(Path(name)); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace orderflow::stream
