// Dictionary: maps strings (city names, channels, invalid reasons, ...) to dense ids 0, 1, 2, ...
// in order of first appearance, so that aggregations can index plain vectors. Owns copies of
// the strings. One thread only; the scanner keeps one per worker and merges them by name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace orderflow::analytics {

class Dictionary {
 public:
  Dictionary();

  // The id of `name`, adding it when it is new. Allocates only for a new name.
  int Intern(std::string_view name);
  // The id of `name`, or -1 when it was never interned.
  int Find(std::string_view name) const;

  int size() const { return static_cast<int>(names_.size()); }
  const std::string& name(int id) const { return names_[id]; }
  const std::vector<std::string>& names() const { return names_; }

 private:
  size_t Slot(std::string_view name) const;
  void Grow();

  std::vector<std::string> names_;
  std::vector<int32_t> slots_;  // open addressing, linear probing; -1 = empty
};

}  // namespace orderflow::analytics
