#!/bin/sh
# tests/unit/examples_check.sh: the cheap checks of packaging/examples/ and
# packaging/systemd/ (examples_check.py): documentation addresses only,
# and the Kubernetes YAML parsed when python3-yaml is installed; the
# systemd units through systemd-analyze verify when it is here.  Each
# check also on a broken copy, so that it is seen to fail.
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
# The address outside the ranges is made here, not written in the tree
# (which holds none): it goes into a file and is never addressed.
bad=$((5 * 2)).1.2.3
printf 'ExecStart=/usr/bin/hoptrace %s\n' "$bad" >"$tmp/packaging/systemd/bad.service"
if "$py" "$check" "$tmp" >"$tmp/out" 2>&1; then
	echo "not ok - an address outside the documentation ranges was not noticed"
	cat "$tmp/out"
	exit 1
fi
grep -q "not ok .*${bad//./\\.}" "$tmp/out" || {
	echo "not ok - the failure does not name the address"
	cat "$tmp/out"
	exit 1
}
echo "ok - an address outside the documentation ranges fails the check"

# systemd-analyze verify, when it is here, on copies of the units whose
# programs (not installed here) are replaced by /bin/true; it exits 0 even
# on unknown keys, so any FILE:LINE message it prints is a failure.
verify_units()
{
	dir=$1
	shift
	(cd "$dir" && systemd-analyze verify --man=no "$@") >"$tmp/verify.out" 2>&1 || return 1
	! grep -qE '^[^ ]+:[0-9]+: ' "$tmp/verify.out"
}
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$tmp/units"
	for unit in "$srcdir"/packaging/systemd/* "$srcdir"/packaging/examples/systemd/*.service \
		"$srcdir"/packaging/examples/systemd/*.timer; do
		sed 's#^ExecStart=/usr/bin/[a-z]*#ExecStart=/bin/true#' "$unit" \
			>"$tmp/units/$(basename "$unit")" || exit 1
	done
	# The timer starts hoptrace-run.service, the socket hopprobe@.service.
	if ! verify_units "$tmp/units" ./hopprobe.socket ./hopprobe@.service \
		./hoptrace-run.service ./hoptrace-run.timer; then
		echo "not ok - systemd-analyze verify on the systemd units:"
		cat "$tmp/verify.out"
		exit 1
	fi
	echo "ok - systemd-analyze verify accepts the systemd units"
	printf 'Bogus=1\n' >>"$tmp/units/hopprobe@.service"
	if verify_units "$tmp/units" ./hopprobe.socket ./hopprobe@.service; then
		echo "not ok - systemd-analyze verify did not notice an unknown key"
		exit 1
	fi
	echo "ok - an unknown key in a unit fails the check"
else
	echo "# systemd-analyze is not here: the units are not verified"
fi
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
