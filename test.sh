#!/usr/bin/env bash
# Installs what the tests need, builds with warnings as errors, runs every test of the solution.
# Ends with "tests: N passed, N failed, N skipped"; exits non-zero when anything fails.
set -uo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests (about 20 s)..."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  if ! { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null; }; then
    echo "Could not install chromium: the browser tests need /usr/bin/chromium (apt-get install -y chromium)."
    echo "tests: 0 passed, 1 failed, 0 skipped"
    exit 1
  fi
fi

# A throwaway PostgreSQL cluster for the provider tests: its own folder, a free port, removed at the end.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ]; then
  echo "Installing Debian's postgresql for the PostgreSQL tests (about 15 s)..."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  if ! { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null; }; then
    echo "Could not install postgresql: the PostgreSQL tests need it (apt-get install -y postgresql)."
    echo "tests: 0 passed, 1 failed, 0 skipped"
    exit 1
  fi
fi
# In memory (tmpfs) when the machine has room: on ext4 without a journal, as here, creating a file first steps over every
# inode freed in the last minutes, and each test's database is some 570 files copied and then dropped. That search was
# 40% of the server's CPU (perf: ext4_create > recently_deleted), 309 CPU-s of the PostgreSQL pass against 164 on tmpfs.
# The cluster stays under ~100 MB: each test's database is dropped when the test ends.
pg_parent=/tmp
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ -w /dev/shm ] \
  && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt 1048576 ]; then
  pg_parent=/dev/shm
fi
pg_dir="$(mktemp -d "$pg_parent/portalapp-pg.XXXXXX")"
chmod 755 "$pg_dir"
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
stop_pg() { as_pg "$(pg_bin)/pg_ctl -D $pg_dir/data -m immediate stop" >/dev/null 2>&1; rm -rf "$pg_dir"; }
trap stop_pg EXIT
if ! as_pg "$(pg_bin)/initdb -D $pg_dir/data -U portal --auth=trust -E UTF8 --locale=C.UTF-8" >"$pg_dir/initdb.log" 2>&1; then
  cat "$pg_dir/initdb.log"; echo "Could not create the PostgreSQL test cluster."; echo "tests: 0 passed, 1 failed, 0 skipped"; exit 1
fi
pg_started=""
for attempt in 1 2 3 4 5; do
  pg_port=$(( 20000 + RANDOM % 40000 ))
  (echo > "/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null && continue # taken
  if as_pg "$(pg_bin)/pg_ctl -D $pg_dir/data -l $pg_dir/log -w -o '-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300' start" >/dev/null; then
    pg_started=yes; break
  fi
done
if [ -z "$pg_started" ]; then
  cat "$pg_dir/log" 2>/dev/null; echo "Could not start the PostgreSQL test cluster."; echo "tests: 0 passed, 1 failed, 0 skipped"; exit 1
fi
export PORTALAPP_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=portal;Database=postgres"

if ! dotnet build PortalApp.sln -c Release -warnaserror -nologo -clp:ErrorsOnly; then
  echo "The build failed."
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"; stop_pg' EXIT
# The two passes run side by side: much of each is waiting (browsers, SMTP, leases, timers), not computing, and the
# longest tests of each (the bulk crash test kills and restarts the app) then overlap instead of following each other.
# Each writes its own log, shown one after the other when both are done.
dotnet test PortalApp.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results/sqlite" >"$results/sqlite.log" 2>&1 &
sqlite_pid=$!
# The service and concurrency tests again, on PostgreSQL (the UI tests do not depend on the provider: once is enough).
PORTALAPP_TEST_PROVIDER=PostgreSql dotnet test PortalApp.Tests -c Release --no-build --nologo --filter "Providers=Both" \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results/postgres" >"$results/postgres.log" 2>&1 &
postgres_pid=$!
wait $sqlite_pid; sqlite_status=$?
wait $postgres_pid; postgres_status=$?
echo "=== SQLite pass (every test) ==="; cat "$results/sqlite.log"
echo "=== PostgreSQL pass (Providers=Both) ==="; cat "$results/postgres.log"
status=0
[ $sqlite_status -ne 0 ] || [ $postgres_status -ne 0 ] && status=1

count() { cat "$results"/*/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{s+=$1} END {print s+0}'; }
passed=$(count passed)
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
skipped=$(count notExecuted)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run itself failed (crash, no results): never report it as green
fi
if [ "$failed" -ne 0 ]; then
  # Repeated at the very end, where a log cut to its last lines still shows which tests failed and why.
  echo "Failed tests:"
  # Each failure's message (its first lines: Playwright names the locator and the wait there) and the test's own line.
  cat "$results"/*/*.trx 2>/dev/null | awk '
    /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1; lines = 0; frame = 0 }
    want == 1 && /<Message>/ { sub(/.*<Message>/, ""); print "  " name ":"; want = 2 }
    want == 2 { rest = $0; ended = sub(/<\/Message>.*/, "", rest); if (lines < 8 && length(rest) > 0) { print "      " substr(rest, 1, 300); lines++ } if (!ended) next; want = 3 }
    want == 3 && /PortalApp\.Tests\/.*:line [0-9]+/ && !frame { sub(/^.*<StackTrace>/, ""); sub(/^[ \t]*/, ""); sub(/<\/StackTrace>.*/, ""); print "      " substr($0, 1, 300); frame = 1 }
    want == 3 && /<\/StackTrace>/ { want = 0 }'
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
