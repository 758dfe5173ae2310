# orderflow: `make demo` and `make test` work on a fresh Debian 12 machine (as root).
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build build-asan demo demo-kafka test test-unit test-kafka-versions bench fuzz format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_DIR) -j$(JOBS)

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (only the unit-test binaries).
build-asan: deps
	@cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=Debug -DORDERFLOW_SANITIZE=ON -DORDERFLOW_BENCH=OFF \
	  -DORDERFLOW_E2E=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_DIR) -j$(JOBS) --target unit_tests

demo: build
	./$(BUILD_DIR)/orderflow demo

# The same demo on a real 2-node Apache Kafka cluster (deploy/kafka/kafka-local.sh), stopped after.
KAFKA_DIR ?= .kafka-local
demo-kafka: build
	@deploy/kafka/kafka-local.sh start --dir $(KAFKA_DIR)
	@status=0; ./$(BUILD_DIR)/orderflow demo --bootstrap-servers "$$(cat $(KAFKA_DIR)/bootstrap)" \
	  || status=$$?; deploy/kafka/kafka-local.sh stop --dir $(KAFKA_DIR); exit $$status

# The sanitizer build runs at a lower priority while the tests run: most of the test time is
# spent waiting on clusters and processes, and the build fills those idle cores (about 5 minutes
# saved on 2 cores). Its output goes to $(ASAN_DIR)/build.log, shown when it fails.
test: build
	@mkdir -p $(ASAN_DIR); rm -f $(ASAN_DIR)/build.rc
	@echo "make test: building the sanitizer unit tests in the background ($(ASAN_DIR)/build.log)"
	@( nice -n 10 $(MAKE) --no-print-directory build-asan > $(ASAN_DIR)/build.log 2>&1; \
	   echo $$? > $(ASAN_DIR)/build.rc ) & \
	status=0; ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS) || status=$$?; \
	wait; \
	if [ "$$(cat $(ASAN_DIR)/build.rc 2>/dev/null)" != 0 ]; then \
	  tail -n 50 $(ASAN_DIR)/build.log; echo "make test: the sanitizer build failed" >&2; exit 1; \
	fi; \
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_DIR) -L unit --output-on-failure -j$(JOBS) || status=$$?; \
	exit $$status

test-unit: build
	ctest --test-dir $(BUILD_DIR) -L unit --output-on-failure -j$(JOBS)

# The real-Kafka suite on the default 3.9.x and on the newest 4.x that works (RELIABILITY.md).
KAFKA_VERSIONS ?= 3.9.2 4.4.0
# Also the kafka-local.sh smoke test (bad usage, the topic's settings, status codes, a clean stop),
# whose main checks the Kafka suite's environment repeats on every make test.
test-kafka-versions: build
	tests/kafka/kafka_local_test.sh
	@for v in $(KAFKA_VERSIONS); do \
	  echo "== Kafka $$v"; \
	  ORDERFLOW_KAFKA_VERSION=$$v ctest --test-dir $(BUILD_DIR) -L kafka --output-on-failure || exit 1; \
	done

bench: build
	bench/run_all.sh

# The long fuzzing run (10 million executions of tests/fuzz/event_router_fuzzer, clang).
fuzz: deps
	scripts/fuzz.sh 0 build-fuzz 10000000

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR)
