#include "event/catalogue.h"

namespace orderflow::event {

int FindItem(std::string_view name) {
  for (size_t i = 0; i < kItems.size(); ++i) {
    if (kItems[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace orderflow::event
