// --metrics-listen, the same for produce, process and track: the flag, and the server it asks
// for. One thread only (the command's).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "monitor/metrics_server.h"

namespace orderflow::cli {

// Adds --metrics-listen HOST:PORT, stored in `listen` (empty: off).
void AddMetricsListenFlag(CLI::App& command, std::string& listen);

// When `listen` is set: serves `registry` there and prints "[tag] metrics at URL". Returns
// nullptr when `listen` is empty; InvalidArgument naming the flag when the address is bad or
// taken. `registry` must outlive the server.
Result<std::unique_ptr<monitor::MetricsServer>> ServeMetricsIfAsked(
    const std::string& listen, const metrics::MetricsRegistry& registry, std::string_view tag);

}  // namespace orderflow::cli
