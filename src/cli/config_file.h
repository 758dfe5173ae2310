// --config FILE for every command: settings in a TOML file, read by CLI11.
//
// The keys are the command's long flags without the dashes (`trigger = "250ms"`,
// `fail-on-data-loss = false`, `X = ["linger.ms=1"]` for -X). Keys at the top of the file apply
// to every command that has that flag, so one file can hold the shared --bootstrap-servers,
// --topic and --data-dir; keys under a [COMMAND] table apply to that command only. A flag given
// on the command line wins over the file (for a repeatable flag such as -X, the command line
// replaces the file's list). A key that no command has, a [COMMAND] key that COMMAND lacks, or
// an unknown [table] is a usage error naming it (exit 2), so a typo is never silently ignored;
// a missing file is one too. One thread only (the parse).
#pragma once

#include <CLI/CLI.hpp>

namespace orderflow::cli {

// Adds --config FILE to `app` and to each of its subcommands (`orderflow --config F process`
// and `orderflow process --config F` are the same). Call after every subcommand is added.
void AddConfigFileFlag(CLI::App& app);

}  // namespace orderflow::cli
