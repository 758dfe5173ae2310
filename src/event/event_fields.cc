#include "event/event_fields.h"

namespace orderflow::event {

int FindField(std::string_view name) {
  // Lengths are compared first, so most candidates are rejected without a memcmp.
  for (size_t i = 0; i < kFields.size(); ++i) {
    if (kFields[i].name.size() == name.size() && kFields[i].name == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace orderflow::event
