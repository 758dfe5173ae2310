// The process-wide run flag: SIGINT/SIGTERM only flip it (async-signal-safe); every command's
// loop polls StopRequested() and then flushes, checkpoints and closes cleanly.
// Safe for concurrent use.
#pragma once

namespace orderflow {

// Installs the SIGINT/SIGTERM handlers. Idempotent.
void InstallStopHandlers();
bool StopRequested();
// Asks every loop to stop, as a signal would (used by tests and --until-idle paths).
void RequestStop();

}  // namespace orderflow
