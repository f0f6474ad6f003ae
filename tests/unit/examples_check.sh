#!/bin/sh
# tests/unit/examples_check.sh: the cheap checks of packaging/examples/ and
# packaging/systemd/ (examples_check.py): documentation addresses only,
# and the Kubernetes YAML parsed when python3-yaml is installed.  Then a
# broken copy, so that the check is seen to fail.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${TESTS_SRCDIR:-$here/..}/..
py=${PYTHON3_SYSTEM:-/usr/bin/python3}
check=$srcdir/tests/unit/examples_check.py

"$py" "$check" "$srcdir" || exit 1

# The same checks must fail on an address outside the ranges and on YAML
# that does not parse.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/examples_check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/packaging/examples" "$tmp/packaging/systemd"
printf 'ExecStart=/usr/bin/hoptrace 10.1.2.3\n' >"$tmp/packaging/systemd/bad.service"
if "$py" "$check" "$tmp" >"$tmp/out" 2>&1; then
	echo "not ok - an address outside the documentation ranges was not noticed"
	cat "$tmp/out"
	exit 1
fi
grep -q 'not ok .*10\.1\.2\.3' "$tmp/out" || {
	echo "not ok - the failure does not name the address"
	cat "$tmp/out"
	exit 1
}
echo "ok - an address outside the documentation ranges fails the check"
if "$py" -c 'import yaml' 2>/dev/null; then
	rm -f "$tmp/packaging/systemd/bad.service"
	printf 'kind: Job\n  spec: [unclosed\n' >"$tmp/packaging/examples/bad.yaml"
	if "$py" "$check" "$tmp" >"$tmp/out" 2>&1; then
		echo "not ok - YAML that does not parse was not noticed"
		cat "$tmp/out"
		exit 1
	fi
	echo "ok - YAML that does not parse fails the check"
fi
exit 0
