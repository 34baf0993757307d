#!/usr/bin/env bash
# Proves the thread-safety analysis is on for every kind of lock the project
# uses: tsa_positive (each lock held through its holder) must compile, and
# each of tsa_negative_absl, tsa_negative_runtime_mutex and
# tsa_negative_spinlock (a guarded field written without its lock) must fail
# with the analysis's own error. Fails if any one of them compiles.
# Usage: tsa_negative_test.sh BUILD_DIR
set -u
build=$1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! cmake --build "$build" --target tsa_positive >"$log" 2>&1; then
  cat "$log"
  echo "tsa_negative_test: FAIL: the positive twin does not compile"
  exit 1
fi
failed=0
for lock in absl runtime_mutex spinlock; do
  target=tsa_negative_$lock
  if cmake --build "$build" --target "$target" >"$log" 2>&1; then
    echo "tsa_negative_test: FAIL: $target: a field guarded by $lock written without it" \
      "compiled: the analysis does not check it"
    failed=1
  elif ! grep -q "requires holding mutex 'a.mu' exclusively \[-Werror,-Wthread-safety-analysis\]" "$log"; then
    tail -20 "$log"
    echo "tsa_negative_test: FAIL: $target failed, but not with the thread-safety error"
    failed=1
  else
    echo "tsa_negative_test: $target: unguarded write rejected by -Wthread-safety: ok"
  fi
done
exit "$failed"
