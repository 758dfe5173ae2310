#include "stream/data_dir_owner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/data_layout.h"
#include "common/file_lock.h"
#include "stream/checkpoint_format.h"

namespace orderflow::stream {
namespace {

constexpr std::string_view kMagic = "orderflow-owner v1";

// Group ids may hold any character: spaces, '%', '=' and control characters are %-escaped so
// that a value is one word.
std::string Escape(std::string_view value) {
  std::string out;
  for (unsigned char c : value) {
    if (c <= ' ' || c == '%' || c == '=' || c >= 0x7f) {
      out += fmt::format("%{:02X}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool Unescape(std::string_view text, std::string& out) {
  out.clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return false;
    unsigned value = 0;
    for (int k = 1; k <= 2; ++k) {
      const char h = text[i + k];
      value <<= 4;
      if (h >= '0' && h <= '9') {
        value |= static_cast<unsigned>(h - '0');
      } else if (h >= 'A' && h <= 'F') {
        value |= static_cast<unsigned>(h - 'A' + 10);
      } else {
        return false;
      }
    }
    out += static_cast<char>(value);
    i += 2;
  }
  return true;
}

Status Errno(std::string_view what, const std::string& path) {
  return Status::IoError(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

}  // namespace

std::string EncodeOwner(const DataDirOwner& owner) {
  return LineWithCrc(
      fmt::format("{} topic={} group={}", kMagic, Escape(owner.topic), Escape(owner.group)));
}

Result<DataDirOwner> DecodeOwner(std::string_view text) {
  std::string_view body;
  if (!BodyOfLineWithCrc(text, body) || !body.starts_with(kMagic)) {
    return Status::Corruption(fmt::format("damaged: '{}'", text.substr(0, 120)));
  }
  body.remove_prefix(kMagic.size());
  DataDirOwner owner;
  const size_t group_at = body.find(" group=");
  if (!body.starts_with(" topic=") || group_at == std::string_view::npos ||
      !Unescape(body.substr(7, group_at - 7), owner.topic) ||
      !Unescape(body.substr(group_at + 7), owner.group)) {
    return Status::Corruption(fmt::format("bad fields: '{}'", text.substr(0, 120)));
  }
  return owner;
}

Status ClaimDataDir(const std::string& data_dir, const DataDirOwner& owner) {
  const std::string path = data_layout::OwnerFilePath(data_dir);
  // Another processor starting at the same moment waits here until the file says who won.
  auto lock = FileLock::Lock(path);
  if (!lock.ok()) return lock.status();
  const int fd = lock->fd();
  std::string text;
  char buf[1024];
  for (off_t at = 0;;) {
    const ssize_t n = ::pread(fd, buf, sizeof(buf), at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot read", path);
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    at += n;
  }
  if (text.empty()) {
    // A new data dir (or one of an earlier version): it is ours. (An empty file is what a crash
    // between its creation and the write below leaves.)
    const std::string content = EncodeOwner(owner);
    if (::pwrite(fd, content.data(), content.size(), 0) != static_cast<ssize_t>(content.size()) ||
        ::fdatasync(fd) != 0) {
      return Errno("cannot write", path);
    }
    const int dir = ::open(data_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return Errno("cannot open directory", data_dir);
    const int rc = ::fsync(dir);
    ::close(dir);
    if (rc != 0) return Errno("cannot sync directory", data_dir);
    return Status::Ok();
  }
  auto current = DecodeOwner(text);
  if (!current.ok()) {
    return Status::Corruption(fmt::format(
        "{} is {}; it names the topic and consumer group this data dir belongs to: remove it if "
        "you know that no processor of another group writes --data-dir {}",
        path, current.status().message(), data_dir));
  }
  if (*current == owner) return Status::Ok();
  return Status::InvalidArgument(fmt::format(
      "--data-dir {} belongs to the processors of group '{}' on topic '{}' ({}); this one (group "
      "'{}', topic '{}') would mix its files and checkpoints with theirs: use another --data-dir, "
      "or --group-id {} --topic {} to share their work (`orderflow reset` clears the data dir)",
      data_dir, current->group, current->topic, path, owner.group, owner.topic, current->group,
      current->topic));
}

}  // namespace orderflow::stream
