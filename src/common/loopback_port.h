// A TCP port on 127.0.0.1 that is free right now: for a child process's listen address chosen by
// its parent (the demo's metrics endpoints, tests). Another process may take it before the child
// binds it; callers that cannot retry accept that. Safe for concurrent use.
#pragma once

namespace orderflow {

// 0 when no port could be had.
int FreeLoopbackPort();

}  // namespace orderflow
