#include "analytics/dictionary.h"

#include <functional>

namespace orderflow::analytics {

Dictionary::Dictionary() : slots_(16, -1) {}

size_t Dictionary::Slot(std::string_view name) const {
  const size_t mask = slots_.size() - 1;
  size_t slot = std::hash<std::string_view>{}(name)&mask;
  while (slots_[slot] >= 0 && names_[slots_[slot]] != name) slot = (slot + 1) & mask;
  return slot;
}

int Dictionary::Find(std::string_view name) const { return slots_[Slot(name)]; }

int Dictionary::Intern(std::string_view name) {
  const size_t slot = Slot(name);
  if (slots_[slot] >= 0) return slots_[slot];
  const int id = static_cast<int>(names_.size());
  names_.emplace_back(name);
  slots_[slot] = id;
  // Keep the load factor under one half so that probes stay short.
  if (names_.size() * 2 > slots_.size()) Grow();
  return id;
}

void Dictionary::Grow() {
  slots_.assign(slots_.size() * 2, -1);
  for (int id = 0; id < size(); ++id) slots_[Slot(names_[id])] = id;
}

}  // namespace orderflow::analytics
