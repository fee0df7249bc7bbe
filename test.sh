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

if ! dotnet build PortalApp.sln -c Release -warnaserror -nologo -clp:ErrorsOnly; then
  echo "The build failed."
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
dotnet test PortalApp.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
status=$?

count() { cat "$results"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{s+=$1} END {print s+0}'; }
passed=$(count passed)
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
skipped=$(count notExecuted)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run itself failed (crash, no results): never report it as green
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
