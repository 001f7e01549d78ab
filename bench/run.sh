#!/usr/bin/env bash
# Builds the bench module (and what it needs) and runs the standard benchmark set.
# Usage: bench/run.sh            # standard set (about 15-25 minutes on 2 cores, mostly the postgres heap runs)
#        bench/run.sh --quick    # small sizes, a couple of minutes: checks the harness, not the numbers
#        bench/run.sh -- ARGS    # build, then run SyncBenchmark once with ARGS
#        bench/run.sh --webhooks [ARGS]  # build, then WebhookBenchmark (whole hub as a child JVM), about 3 minutes;
#                                        # it refuses a database without fsync (--durability any to measure anyway)
#                                        # and ends with the single-commit baseline (--baseline auto|pgbench|jdbc)
#        bench/run.sh --hostile [ARGS]   # build, then HostileTenantBenchmark (tenant isolation), about 2 minutes
#        bench/run.sh --fuzz [ARGS]      # build, then HttpFuzzBenchmark (hostile requests to the whole hub)
#        bench/run.sh --import [ARGS]    # build, then ImportBenchmark (1,000,000-row CSV and XLSX under -Xmx64m)
#        bench/run.sh --reads [ARGS]     # build, then ReadBenchmark (week pages vs /ping, 10k vs 1M history),
#                                        # about 10 minutes; start-up: bench/startup.sh
#        bench/run.sh --bookings [ARGS]  # build, then BookingBenchmark (two-way booking: create latency through
#                                        # the hub vs straight to the sandbox, commands/s vs the rate limit)
#        bench/run.sh --feed [ARGS]      # build, then ChangeFeedBenchmark (feed lag under writes, feed reads/s),
#                                        # about 2 minutes (--seconds 20 --writers 8 --readers 4)
# Run it on a quiet machine: other builds running at the same time distort every wall time.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -q -B -pl bench -am package -DskipTests
CP="bench/target/bench.jar:$(cat bench/target/classpath.txt)"
bench() {
  echo
  echo "\$ SyncBenchmark $*"
  java -cp "$CP" io.bookinghub.bench.SyncBenchmark "$@"
}

webhooks() {
  echo
  echo "\$ WebhookBenchmark $*"
  java -cp "$CP" io.bookinghub.bench.WebhookBenchmark "$@"
}

echo "nproc: $(nproc)"
java -version 2>&1 | sed 's/^/java: /'
uptime

if [[ "${1:-}" == "--hostile" ]]; then
  shift
  echo
  echo "\$ HostileTenantBenchmark $*"
  java -cp "$CP" io.bookinghub.bench.HostileTenantBenchmark "$@"
  exit 0
fi

if [[ "${1:-}" == "--import" ]]; then
  shift
  echo
  echo "\$ java -Xmx64m ImportBenchmark $*"
  java -Xmx64m -cp "$CP" io.bookinghub.bench.ImportBenchmark "$@"
  exit 0
fi

if [[ "${1:-}" == "--bookings" ]]; then
  shift
  echo
  echo "\$ BookingBenchmark $*"
  java -cp "$CP" io.bookinghub.bench.BookingBenchmark "$@"
  exit 0
fi

if [[ "${1:-}" == "--reads" ]]; then
  shift
  echo
  echo "\$ ReadBenchmark $*"
  java -cp "$CP" io.bookinghub.bench.ReadBenchmark "$@"
  exit 0
fi

if [[ "${1:-}" == "--feed" ]]; then
  shift
  echo
  echo "\$ ChangeFeedBenchmark $*"
  java -cp "$CP" io.bookinghub.bench.ChangeFeedBenchmark "$@"
  exit 0
fi

if [[ "${1:-}" == "--fuzz" ]]; then
  shift
  echo
  echo "\$ HttpFuzzBenchmark $*"
  java -cp "$CP" io.bookinghub.bench.HttpFuzzBenchmark "$@"
  exit 0
fi

if [[ "${1:-}" == "--webhooks" ]]; then
  shift
  webhooks "$@"
  exit 0
fi

if [[ "${1:-}" == "--" ]]; then
  shift
  bench "$@"
  exit 0
fi

if [[ "${1:-}" == "--quick" ]]; then
  bench --mode floor --pages 80 --page-size 100 --latency PT0.05S
  bench --mode heap --appointments 2000,20000 --sink memory
  bench --mode heap --appointments 500,5000 --sink postgres
  exit 0
fi

# 1. Rate-limit floor: 10/s, burst 50, 50 ms sandbox latency, 200 pages of 100 appointments.
bench --mode floor --pages 200 --page-size 100 --latency PT0.05S --rate 10 --burst 50
# 1a. No artificial latency: what is left besides the limiter is the client, sandbox and sink.
bench --mode floor --pages 200 --page-size 100 --latency PT0S --rate 10 --burst 50
# 1c. A remote provider's latency (300 ms): pages requested ahead vs one at a time, same run.
bench --mode floor --pages 200 --page-size 100 --latency PT0.3S --rate 10 --burst 50
# 1b. Same in oauth mode (tokens minted by the sandbox, held in the in-memory credential store).
bench --mode floor --pages 200 --page-size 100 --latency PT0.05S --rate 10 --burst 50 --auth oauth --warmups 0
# 2. Peak heap, -Xmx256m, 10,000 vs 100,000 appointments, in-memory counting sink and real PostgreSQL.
bench --mode heap --appointments 10000,100000 --sink memory --xmx 256m
bench --mode heap --appointments 10000,100000 --sink postgres --xmx 256m
# 3. Writing into durable PostgreSQL: one transaction per record (the old path) vs a page per transaction.
bench --mode heap --appointments 10000 --sink postgres-per-record --xmx 256m
bench --mode heap --appointments 10000 --sink postgres --xmx 256m
