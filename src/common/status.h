// Status and Result<T>: how orderflow returns failures the caller must handle (leveldb style).
// A Status is OK or carries a code and a one-line message meant for the user. Value types;
// safe to copy between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace orderflow {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kNotFound,
    kAlreadyExists,
    kInvalidArgument,
    kIoError,
    kCorruption,
    kKafkaError,
    kDataLoss,
    kAborted
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status AlreadyExists(std::string msg) {
    return Status(Code::kAlreadyExists, std::move(msg));
  }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status KafkaError(std::string msg) { return Status(Code::kKafkaError, std::move(msg)); }
  static Status DataLoss(std::string msg) { return Status(Code::kDataLoss, std::move(msg)); }
  // A step the command depends on (a child process, a wait with a deadline) failed.
  static Status Aborted(std::string msg) { return Status(Code::kAborted, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsAlreadyExists() const { return code_ == Code::kAlreadyExists; }
  const std::string& message() const { return message_; }
  // The process exit code the contract gives this failure: 2 for bad usage or configuration,
  // 1 for runtime failures, 0 for OK.
  int ExitCode() const {
    if (ok()) return 0;
    return code_ == Code::kInvalidArgument ? 2 : 1;
  }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: REQUIRES !status.ok()

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace orderflow
