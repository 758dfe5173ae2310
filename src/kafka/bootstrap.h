// Where a command finds Kafka (the contract): --bootstrap-servers, else
// $ORDERFLOW_BOOTSTRAP_SERVERS, else the address a running `orderflow broker` published in its
// bootstrap file (data_layout::BrokerBootstrapFilePath), else localhost:9092,localhost:9094.
// Thread-safe (reads only).
#pragma once

#include <string>

namespace orderflow::kafka {

inline constexpr char kDefaultBootstrapServers[] = "localhost:9092,localhost:9094";

std::string ResolveBootstrapServers(const std::string& flag_value, const std::string& data_dir);

// The embedded broker's control address (host:port) when its control file
// (data_layout::BrokerControlFilePath) exists and the broker it belongs to is the one
// `bootstrap_servers` points at; empty otherwise.
std::string EmbeddedControlAddress(const std::string& bootstrap_servers,
                                   const std::string& data_dir);

}  // namespace orderflow::kafka
