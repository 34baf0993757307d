#!/usr/bin/env bash
# Proves the thread-safety analysis is on: tsa_positive must compile and
# tsa_negative must fail with the analysis's own error.
# Usage: tsa_negative_test.sh BUILD_DIR
set -u
build=$1
if ! cmake --build "$build" --target tsa_positive >/tmp/tsa_positive.$$ 2>&1; then
  cat /tmp/tsa_positive.$$; rm -f /tmp/tsa_positive.$$
  echo "tsa_negative_test: FAIL: the positive twin does not compile"; exit 1
fi
rm -f /tmp/tsa_positive.$$
out=$(cmake --build "$build" --target tsa_negative 2>&1)
rc=$?
if [ "$rc" = 0 ]; then
  echo "tsa_negative_test: FAIL: a guarded field written without its lock compiled: the analysis is off"
  exit 1
fi
if ! grep -q "requires holding mutex 'a.mu' exclusively \[-Werror,-Wthread-safety-analysis\]" <<<"$out"; then
  echo "$out" | tail -20
  echo "tsa_negative_test: FAIL: the build failed, but not with the thread-safety error"
  exit 1
fi
echo "tsa_negative_test: unguarded write rejected by -Wthread-safety: ok"
