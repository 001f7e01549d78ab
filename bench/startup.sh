#!/usr/bin/env bash
# Start-up of the hub with the embedded PostgreSQL: time from launching the process to the first 200 from the
# admin port's /healthcheck (database, plugins and connections checks all green), and the CPU the hub JVM used
# until then (user + system, from /proc), for:
#   first    a first start: initdb, migrations, the three plugin zips of plugins/
#   restart  a restart on the same data directory, with `java -jar` (no class-data-sharing archive)
#   cds-dump a restart through bin/hub before any archive exists (it writes one as it stops)
#   bin/hub  a restart through bin/hub, with that archive
# Usage: bench/startup.sh [RUNS]   (RUNS restarts of each kind, default 5; build first:
#        ./mvnw -q -B package -DskipTests). Linux only (/proc). Stop other work first: it is wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jar=hub-core/target/booking-hub.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export HUB_DATA_DIR="$work/data" HUB_PLUGINS_DIR="$PWD/plugins"
export HUB_ADMIN_TOKEN="startup-bench-token-0123456789abcdef"
HUB_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)
export HUB_ENCRYPTION_KEY
export HUB_PORT=$((20000 + RANDOM % 20000)) HUB_ADMIN_PORT=$((40000 + RANDOM % 20000))

# one LABEL COMMAND...: starts, waits for health, prints "LABEL wall cpu", stops with SIGTERM.
one() {
  local label=$1; shift
  local start end pid
  start=$(date +%s.%N)
  "$@" > "$work/${label//\//-}.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$HUB_ADMIN_PORT/healthcheck" > /dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$label: the hub exited; its log:" >&2; cat "$work/${label//\//-}.log" >&2; exit 1
    fi
    sleep 0.02
  done
  end=$(date +%s.%N)
  # utime + stime of the JVM (bin/hub execs java, so $! is the JVM), in clock ticks.
  local ticks
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  printf '%-8s wall %6.2f s   hub CPU %6.2f s\n' "$label" "$(echo "$end - $start" | bc)" \
      "$(echo "$ticks / $(getconf CLK_TCK)" | bc -l)"
  kill -TERM "$pid"
  wait "$pid" || true
}

echo "nproc: $(nproc); $(java -version 2>&1 | head -n 1); $(uptime)"
one first java -jar "$jar" server config.yml
for i in $(seq "$runs"); do one restart java -jar "$jar" server config.yml; done
one cds-dump bin/hub server config.yml   # bin/hub without an archive yet: writes it when it stops
for i in $(seq "$runs"); do one bin/hub bin/hub server config.yml; done
