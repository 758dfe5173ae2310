#!/usr/bin/env python3
"""One independent watcher for orderflow's and Spark's output folders (bench/spark_vs_orderflow.sh).

  watch_output.py --tool NAME=KIND:DIR [--tool ...] --report FILE
  KIND: orderflow (DIR is a data dir) or spark (DIR is OrdersStreamingJob's --output)

Runs until SIGTERM/SIGINT, then writes one line per tool to FILE:
  watch tool=NAME rows=N valid_rows=N first_write_ms=T last_visible_ms=T p50_ms=F p99_ms=F max_ms=F

"Visible" is when a reader that follows the tool's own contract can first see a row:
- orderflow: its file is renamed into orders_json/ or invalid_events/ (files appear whole).
- Spark: its file is listed in the sink's commit log orders_json/_spark_metadata/<batch> (or a
  .compact). Spark writes part files straight into the folder while the batch runs, so a plain
  directory listing sees them earlier, possibly half written; spark.read.json(dir) and Spark's
  own readers only see committed files, so the commit is what makes a row visible.
Latency of a valid row = visible time - event_time_ms (same machine clock as the producer).
first_write_ms: the first file created in either output folder (the first row being written);
with last_visible_ms it bounds the steady catch-up rate.

Times come from inotify events (via ctypes: no pip packages), read as they arrive, so no polling
interval is added to either tool; a final directory sweep catches anything inotify missed.
"""
import argparse, ctypes, json, os, select, signal, struct, sys, time
from urllib.parse import unquote

IN_CLOSE_WRITE, IN_MOVED_TO, IN_CREATE, IN_Q_OVERFLOW, IN_ISDIR = 0x8, 0x80, 0x100, 0x4000, 0x40000000
libc = ctypes.CDLL("libc.so.6", use_errno=True)


def now_ms():
    return time.time() * 1000.0


def is_data(name):
    return not name.startswith((".", "_")) and not name.endswith(".crc")


class Tool:
    def __init__(self, name, kind, root):
        self.name, self.kind, self.root = name, kind, root
        self.dirs = {"valid": os.path.join(root, "orders_json"),
                     "invalid": os.path.join(root, "invalid_events")}
        self.first_write = None
        self.visible = {}  # data file path -> first visible time (ms)
        self.meta_seen = {}  # spark commit-log file path -> time it appeared

    def watched_dirs(self):
        ds = list(self.dirs.values())
        if self.kind == "spark":
            ds += [os.path.join(d, "_spark_metadata") for d in self.dirs.values()]
        return ds

    def on_event(self, d, name, mask, t):
        if self.first_write is None and mask & IN_CREATE and not mask & IN_ISDIR and not d.endswith("_spark_metadata") \
                and not name.endswith(".crc"):
            self.first_write = t
        if self.kind == "orderflow":
            if mask & IN_MOVED_TO and is_data(name):
                self.visible.setdefault(os.path.join(d, name), t)
        elif d.endswith("_spark_metadata") and mask & (IN_MOVED_TO | IN_CLOSE_WRITE) \
                and not name.startswith("."):
            self.meta_seen.setdefault(os.path.join(d, name), t)

    def sweep(self, t):
        """Files already there that no event reported (start-up race, queue overflow)."""
        for d in self.watched_dirs():
            if not os.path.isdir(d):
                continue
            for e in os.scandir(d):
                if self.kind == "orderflow" and is_data(e.name) and not d.endswith("_spark_metadata"):
                    self.visible.setdefault(e.path, t)
                if self.kind == "spark" and d.endswith("_spark_metadata") and not e.name.startswith("."):
                    self.meta_seen.setdefault(e.path, t)

    def resolve_spark(self):
        for meta, t in self.meta_seen.items():
            with open(meta, errors="replace") as f:
                for line in f:
                    if not line.startswith("{"):
                        continue  # the "v1" header
                    entry = json.loads(line)
                    if entry.get("action", "add") != "add":
                        continue
                    path = entry["path"]
                    if path.startswith("file:"):
                        path = path[len("file:"):].lstrip("/")
                        path = "/" + path
                    path = unquote(path)
                    if path not in self.visible or t < self.visible[path]:
                        self.visible[path] = t

    def result(self):
        if self.kind == "spark":
            self.resolve_spark()
        rows = valid_rows = 0
        lat = []
        last = None
        for path, t in self.visible.items():
            valid = os.path.dirname(path) == self.dirs["valid"]
            last = t if last is None else max(last, t)
            with open(path, "rb") as f:
                for line in f:
                    if not line.strip():
                        continue
                    rows += 1
                    if not valid:
                        continue
                    valid_rows += 1
                    try:
                        lat.append(t - json.loads(line)["event_time_ms"])
                    except (ValueError, KeyError, TypeError):
                        pass
        lat.sort()

        def q(p):
            if not lat:
                return float("nan")
            # Nearest rank, like the tracker's histograms.
            return lat[min(len(lat) - 1, max(0, int(round(p * len(lat) + 0.5)) - 1))]

        return (f"watch tool={self.name} rows={rows} valid_rows={valid_rows} "
                f"first_write_ms={self.first_write or 0:.1f} last_visible_ms={last or 0:.1f} "
                f"p50_ms={q(0.50):.1f} p99_ms={q(0.99):.1f} max_ms={lat[-1] if lat else float('nan'):.1f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", action="append", required=True, help="NAME=KIND:DIR")
    ap.add_argument("--report", required=True)
    args = ap.parse_args()
    tools = []
    for spec in args.tool:
        name, rest = spec.split("=", 1)
        kind, root = rest.split(":", 1)
        if kind not in ("orderflow", "spark"):
            sys.exit(f"watch_output.py: unknown kind {kind}")
        tools.append(Tool(name, kind, os.path.abspath(root)))

    fd = libc.inotify_init1(os.O_CLOEXEC)
    if fd < 0:
        sys.exit(f"inotify_init1: {os.strerror(ctypes.get_errno())}")
    for tool in tools:
        for d in tool.watched_dirs():
            os.makedirs(d, exist_ok=True)  # all before any watch: a mkdir is not a write
    wds = {}
    for tool in tools:
        for d in tool.watched_dirs():
            wd = libc.inotify_add_watch(fd, d.encode(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)
            if wd < 0:
                sys.exit(f"inotify_add_watch {d}: {os.strerror(ctypes.get_errno())}")
            wds[wd] = (tool, d)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    print("watch ready", flush=True)
    overflow = False
    while not stop:
        try:
            ready, _, _ = select.select([fd], [], [], 0.2)
        except InterruptedError:
            continue
        if not ready:
            continue
        buf = os.read(fd, 1 << 20)
        t = now_ms()
        i = 0
        while i < len(buf):
            wd, mask, _, ln = struct.unpack_from("iIII", buf, i)
            name = buf[i + 16:i + 16 + ln].rstrip(b"\0").decode(errors="replace")
            i += 16 + ln
            if mask & IN_Q_OVERFLOW:
                overflow = True
                continue
            if wd in wds:
                tool, d = wds[wd]
                tool.on_event(d, name, mask, t)
    t = now_ms()
    for tool in tools:
        tool.sweep(t)
    with open(args.report, "w") as out:
        for tool in tools:
            out.write(tool.result() + "\n")
        if overflow:
            out.write("watch warning=inotify_queue_overflow (late files timed at the final sweep)\n")


if __name__ == "__main__":
    main()
