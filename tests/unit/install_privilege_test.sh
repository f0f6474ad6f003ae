#!/bin/bash
# Test of packaging/install-privilege (make install's setcap / setuid step)
# and packaging/check-version (the pages and README say AC_INIT's version),
# on scratch copies in a temporary directory.  The expected messages,
# modes and capabilities are written here from what the scripts promise
# (their headers), not taken from a run.  The parts that set a capability
# or the setuid bit need root and a filesystem with extended attributes;
# without them only those parts are left out (and said so).
set -u
pkg=${TESTS_SRCDIR:-$(dirname "$0")/..}/../packaging
priv=$pkg/install-privilege
checkver=$pkg/check-version
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
pass=0 fail=0 left_out=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*"; }

# expect_out NAME WANT-RC WANT-PATTERN CMD...: CMD's status and its
# combined output, its lines joined by spaces, which must match the
# extended regex WANT-PATTERN.
expect_out()
{
	local name=$1 want_rc=$2 pattern=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [[ $rc -ne $want_rc ]]; then
		bad "$name: exit $rc, want $want_rc; output: $out"
	elif ! tr '\n' ' ' <<<"$out" | grep -qE -- "$pattern"; then
		bad "$name: output does not match /$pattern/: $out"
	else
		ok
	fi
}

fresh()
{
	rm -f "$tmp/bin/hopprobe"
	mkdir -p "$tmp/bin" "$tmp/stage$tmp/bin"
	printf '#!/bin/sh\n' >"$tmp/bin/hopprobe"
	chmod 755 "$tmp/bin/hopprobe"
	cp -p "$tmp/bin/hopprobe" "$tmp/stage$tmp/bin/hopprobe"
}
mode_of() { stat -c %a "$1"; }

# expect_eq NAME GOT WANT
expect_eq()
{
	if [[ $2 == "$3" ]]; then
		ok
	else
		bad "$1: got [$2], want [$3]"
	fi
}

# Usage errors: exit 2.
expect_out "no arguments" 2 'usage: packaging/install-privilege' sh "$priv"
expect_out "bad mode" 2 "mode must be caps or setuid, not 'root'" \
	sh "$priv" root "$tmp/bin/hopprobe"

# DESTDIR: nothing set, the message names the final path and the command.
fresh
expect_out "DESTDIR caps" 0 \
	"staged under DESTDIR=$tmp/stage: the file capability cap_net_raw\\+ep is left to the package.*setcap cap_net_raw\\+ep $tmp/bin/hopprobe" \
	env DESTDIR="$tmp/stage" sh "$priv" caps "$tmp/bin/hopprobe"
expect_out "DESTDIR setuid" 0 \
	"setuid root is left to the package.*chown root:root $tmp/bin/hopprobe && chmod 4755 $tmp/bin/hopprobe" \
	env DESTDIR="$tmp/stage" sh "$priv" setuid "$tmp/bin/hopprobe"
expect_eq "DESTDIR setuid: the staged file's mode" \
	"$(mode_of "$tmp/stage$tmp/bin/hopprobe")" 755
if command -v getcap >/dev/null 2>&1; then
	expect_eq "DESTDIR caps: the staged file's capabilities" \
		"$(getcap "$tmp/stage$tmp/bin/hopprobe")" ""
fi

# Not installed: said, not failed.
expect_out "missing file" 0 "is not installed; nothing to set" \
	sh "$priv" caps "$tmp/none/hopprobe"

# As a user other than root: the advice, exit 0, the file unchanged.
as_user=()
if [[ $(id -u) -eq 0 ]]; then
	if command -v setpriv >/dev/null 2>&1; then
		as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	fi
fi
if [[ $(id -u) -ne 0 || ${#as_user[@]} -gt 0 ]]; then
	fresh
	expect_out "not root caps" 0 \
		"NOT given the file capability cap_net_raw\\+ep: installing user is not root.*run as root: setcap cap_net_raw\\+ep $tmp/bin/hopprobe.*--enable-setuid" \
		"${as_user[@]}" sh "$priv" caps "$tmp/bin/hopprobe"
	expect_out "not root setuid" 0 \
		"NOT given setuid root: installing user is not root.*chown root:root $tmp/bin/hopprobe && chmod 4755" \
		"${as_user[@]}" sh "$priv" setuid "$tmp/bin/hopprobe"
	expect_eq "not root: the mode" "$(mode_of "$tmp/bin/hopprobe")" 755
else
	left_out=$((left_out + 1))
	echo "# left out: the not-root messages (root without setpriv)"
fi

# As root: the capability, or setuid root.
if [[ $(id -u) -eq 0 ]] && command -v getcap >/dev/null 2>&1 &&
	fresh && setcap cap_net_raw+ep "$tmp/bin/hopprobe" 2>/dev/null; then
	fresh
	expect_out "root caps" 0 "hopprobe install: $tmp/bin/hopprobe cap_net_raw[+=]ep" \
		sh "$priv" caps "$tmp/bin/hopprobe"
	got=$(getcap "$tmp/bin/hopprobe")
	expect_eq "root caps: getcap" "$got" "$tmp/bin/hopprobe cap_net_raw=ep"
	fresh
	chown 65534:65534 "$tmp/bin/hopprobe"
	expect_out "root setuid" 0 "$tmp/bin/hopprobe is setuid root \\(mode 4755\\)" \
		sh "$priv" setuid "$tmp/bin/hopprobe"
	got=$(stat -c '%a %u %g' "$tmp/bin/hopprobe")
	expect_eq "root setuid: mode, uid, gid" "$got" "4755 0 0"
else
	left_out=$((left_out + 1))
	echo "# left out: setting the capability and setuid (not root, no getcap, or no xattrs on $tmp)"
fi

# A setcap that fails as on a filesystem without extended attributes: the
# advice, exit 0.  (Found first on PATH; only root gets that far.)
if [[ $(id -u) -eq 0 ]]; then
	mkdir -p "$tmp/fakebin"
	printf '#!/bin/sh\necho "Failed to set capabilities on file: Operation not supported" >&2\nexit 1\n' \
		>"$tmp/fakebin/setcap"
	chmod 755 "$tmp/fakebin/setcap"
	fresh
	expect_out "setcap fails" 0 \
		"NOT given the file capability cap_net_raw\\+ep: setcap failed \\(a filesystem without extended attributes\\?\\): Failed to set capabilities on file: Operation not supported.*run as root: setcap cap_net_raw\\+ep $tmp/bin/hopprobe.*--enable-setuid" \
		env PATH="$tmp/fakebin:$PATH" sh "$priv" caps "$tmp/bin/hopprobe"
else
	left_out=$((left_out + 1))
	echo "# left out: a failing setcap (not root)"
fi

# check-version on a scratch source tree.
mkdir -p "$tmp/src/man"
write_tree()
{
	local th=$1 example=$2
	printf '.TH HOPPROBE 8 2026-01-01 "hopprobe %s" "System Manager'"'"'s Manual"\nhopprobe %s (reply names of mtr 0.95)\nrouter 192.0.2.1\n' \
		"$th" "$example" >"$tmp/src/man/hopprobe.8"
	printf '.TH HOPTRACE 1 2026-01-01 "hopprobe %s" "User Commands"\n' "$th" >"$tmp/src/man/hoptrace.1"
	printf 'hoptrace %s to 192.0.2.130\n' "$example" >"$tmp/src/README"
}
write_tree 2.3.4 2.3.4
expect_out "check-version agrees" 0 '^ ?$' sh "$checkver" 2.3.4 "$tmp/src"
write_tree 2.3.5 2.3.4
expect_out "check-version .TH" 1 'hopprobe.8: .TH does not name "hopprobe 2.3.4"' \
	sh "$checkver" 2.3.4 "$tmp/src"
write_tree 2.3.4 2.3.40
expect_out "check-version example" 1 "README shows a version other than 2.3.4.*1: 2.3.40" \
	sh "$checkver" 2.3.4 "$tmp/src"
expect_out "check-version usage" 2 'usage: packaging/check-version' sh "$checkver" 2.3.4

printf '%d passed, %d failed, %d parts left out\n' "$pass" "$fail" "$left_out"
[[ $fail -eq 0 ]]
