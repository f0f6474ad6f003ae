#!/bin/bash
#
# net_valgrind.sh: a representative session under valgrind's memcheck:
# no memory errors, no definite or indirect leaks.
#
# Two sessions in the lab's host namespace, each written to the worker's
# stdin at once and followed by end of file:
#   privileged    as root (raw sockets);
#   unprivileged  a plain copy as uid 65534 (per-probe sockets and the
#                 error queue), with the user in the host namespace's
#                 net.ipv4.ping_group_range.
# Each session holds, for IPv4 and (when the lab has it) IPv6: probes of
# every protocol to the target (TCP to a closed and to an open port), ttl 1
# of every protocol and ttl 2, r2's black hole with `timeout 1`, network
# and host unreachable, a mark, size/bit-pattern/tos, a foreign source
# address, local-device and local-port; 200 ICMP probes in one burst; the
# standard check-support names; and malformed lines: parse errors, an
# unknown command, invalid arguments, a 5,000-byte line, NUL bytes inside
# lines and a line that is only a NUL, CRLF and tabs.
#
# valgrind runs with --error-exitcode=99 --leak-check=full (and --vgdb=no: a
# worker started by root becomes nobody and could not remove the vgdb
# pipes valgrind made as root)
# --errors-for-leak-kinds=definite,indirect, so the exit status is 0 only
# if the worker exited 0 and memcheck found nothing.  Every token must be
# answered exactly once with the reply the lab determines; the malformed
# lines without a token are counted.  Skipped (77) without valgrind.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory; PYTHON3_SYSTEM, the system python3.
# The checking functions are called through check(), which shellcheck
# does not follow.
# shellcheck disable=SC2317
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping timeout awk setpriv valgrind \
	"$PYTHON3_SYSTEM" "$HOPPROBE"
# valgrind cannot run a program built with AddressSanitizer (the
# sanitizer pass of quickstart check); that build has ASan watching instead.
if grep -q __asan_init "$HOPPROBE" 2>/dev/null; then
	skip "$HOPPROBE is built with AddressSanitizer, which valgrind cannot run"
fi

NOBODY=65534
OPEN_PORT=8080
CLOSED_PORT=81
BURST=200
# Every session must end within this many seconds (valgrind is slow).
SESSION_LIMIT=60

failures=0

RTT='round-trip-time [0-9]+'

# want TOKEN REGEX: one request's expected reply (after the token), added
# to the session's expectations.
want()
{
	printf '%s %s\n' "$1" "$2" >>"$EXPECT"
}

# family_requests F PRIV: the requests for family F (4 or 6) and their
# expected replies.  PRIV 1 for the privileged session.
family_requests()
{
	local f=$1 priv=$2 b tgt r1 r2 hole unet uhost foreign
	local tgt_re r1_re r2_re

	if [[ $f == 4 ]]; then
		b=100 tgt=$LAB_TARGET4 r1=$LAB_R1_4 r2=$LAB_R2_4
		hole=$LAB_BLACKHOLE4 unet=$LAB_UNREACH_NET4 uhost=$LAB_UNREACH_HOST4
		foreign=192.0.2.200
	else
		b=200 tgt=$LAB_TARGET6 r1=$LAB_R1_6 r2=$LAB_R2_6
		hole=$LAB_BLACKHOLE6 unet=$LAB_UNREACH_NET6 uhost=$LAB_UNREACH_HOST6
		foreign=2001:db8:1::200
	fi
	tgt_re="ip-$f $(re_escape "$tgt") $RTT"
	r1_re="ip-$f $(re_escape "$r1") $RTT"
	r2_re="ip-$f $(re_escape "$r2") $RTT"

	# The target answers.
	printf '%d send-probe ip-%s %s timeout 5\n' $((b + 1)) "$f" "$tgt"
	want $((b + 1)) "reply $tgt_re"
	printf '%d send-probe ip-%s %s protocol udp timeout 5\n' $((b + 2)) "$f" "$tgt"
	want $((b + 2)) "reply $tgt_re"
	printf '%d send-probe ip-%s %s protocol tcp port %d timeout 5\n' $((b + 3)) "$f" "$tgt" "$CLOSED_PORT"
	want $((b + 3)) "reply $tgt_re"
	printf '%d send-probe ip-%s %s protocol tcp port %d timeout 5\n' $((b + 4)) "$f" "$tgt" "$OPEN_PORT"
	want $((b + 4)) "reply $tgt_re"
	printf '%d send-probe ip-%s %s protocol sctp timeout 5\n' $((b + 5)) "$f" "$tgt"
	# The target's kernel has no SCTP: protocol unreachable (v4) or
	# parameter problem (v6) from the target is a reply.
	if ((priv)); then
		want $((b + 5)) "reply $tgt_re"
	else
		want $((b + 5)) "permission-denied"
	fi

	# ttl 1 of every protocol, ttl 2.
	printf '%d send-probe ip-%s %s ttl 1 timeout 5\n' $((b + 6)) "$f" "$tgt"
	want $((b + 6)) "ttl-expired $r1_re"
	printf '%d send-probe ip-%s %s protocol udp ttl 1 timeout 5\n' $((b + 7)) "$f" "$tgt"
	want $((b + 7)) "ttl-expired $r1_re"
	printf '%d send-probe ip-%s %s protocol tcp port %d ttl 1 timeout 5\n' $((b + 8)) "$f" "$tgt" "$CLOSED_PORT"
	want $((b + 8)) "ttl-expired $r1_re"
	printf '%d send-probe ip-%s %s protocol sctp ttl 1 timeout 5\n' $((b + 9)) "$f" "$tgt"
	if ((priv)); then
		want $((b + 9)) "ttl-expired $r1_re"
	else
		want $((b + 9)) "permission-denied"
	fi
	printf '%d send-probe ip-%s %s protocol udp ttl 2 timeout 5\n' $((b + 10)) "$f" "$tgt"
	want $((b + 10)) "ttl-expired $r2_re"

	# The black hole, timeout 1.
	printf '%d send-probe ip-%s %s timeout 1\n' $((b + 11)) "$f" "$hole"
	want $((b + 11)) "no-reply"
	printf '%d send-probe ip-%s %s protocol udp timeout 1\n' $((b + 12)) "$f" "$hole"
	want $((b + 12)) "no-reply"
	printf '%d send-probe ip-%s %s protocol tcp timeout 1\n' $((b + 13)) "$f" "$hole"
	want $((b + 13)) "no-reply"

	# Unreachables: network from r1, host from r2.
	printf '%d send-probe ip-%s %s protocol udp timeout 5\n' $((b + 14)) "$f" "$unet"
	want $((b + 14)) "$UNREACH_NET $r1_re"
	printf '%d send-probe ip-%s %s timeout 5\n' $((b + 15)) "$f" "$uhost"
	want $((b + 15)) "$UNREACH_HOST $r2_re"

	# Options.
	printf '%d send-probe ip-%s %s mark 5 timeout 5\n' $((b + 16)) "$f" "$tgt"
	if ((priv)); then
		want $((b + 16)) "reply $tgt_re"
	else
		want $((b + 16)) "permission-denied"
	fi
	printf '%d send-probe ip-%s %s size 1000 bit-pattern 170 tos 32 timeout 5\n' $((b + 17)) "$f" "$tgt"
	want $((b + 17)) "reply $tgt_re"
	printf '%d send-probe ip-%s %s local-ip-%s %s timeout 5\n' $((b + 18)) "$f" "$tgt" "$f" "$foreign"
	want $((b + 18)) "address-not-available"
	printf '%d send-probe ip-%s %s protocol udp local-port 40000 timeout 5\n' $((b + 19)) "$f" "$tgt"
	want $((b + 19)) "reply $tgt_re"
	if ((priv)); then
		printf '%d send-probe ip-%s %s protocol udp ttl 1 local-device %s timeout 5\n' \
			$((b + 20)) "$f" "$tgt" "$LAB_IF_HOST"
		want $((b + 20)) "ttl-expired $r1_re"
	fi
}

# session_requests PRIV: the whole session on stdout, expectations in
# $EXPECT; the number of parse errors and overflows wanted in $T.
session_requests()
{
	local priv=$1 i yes_if_priv=no

	((priv)) && yes_if_priv=ok
	: >"$EXPECT"
	printf '1 check-support feature version\n'
	want 1 'feature-support support [^ ]+'
	printf '2 check-support feature send-probe\n'
	want 2 'feature-support support ok'
	printf '3 check-support feature ip-4\n'
	want 3 'feature-support support ok'
	printf '4 check-support feature ip-6\n'
	want 4 "feature-support support $( ((LAB_HAVE_IPV6)) && echo ok || echo no)"
	printf '5 check-support feature udp\n'
	want 5 'feature-support support ok'
	printf '6 check-support feature tcp\n'
	want 6 'feature-support support ok'
	printf '7 check-support feature sctp\n'
	want 7 "feature-support support $yes_if_priv"
	printf '8 check-support feature mark\n'
	want 8 "feature-support support $yes_if_priv"
	printf '9 check-support feature no-such-feature\n'
	want 9 'feature-support support no'
	printf '10 check-support\n'
	want 10 'invalid-argument'

	family_requests 4 "$priv"
	if ((LAB_HAVE_IPV6)); then
		family_requests 6 "$priv"
	fi

	# 200 probes in one burst (the whole session is one write).
	for ((i = 0; i < BURST; i++)); do
		printf '%d send-probe ip-4 %s timeout 5\n' $((1000 + i)) "$LAB_TARGET4"
		want $((1000 + i)) "reply ip-4 $(re_escape "$LAB_TARGET4") $RTT"
	done

	# Malformed lines.  Parse errors (0 command-parse-error): a
	# non-numeric token, a lone token, an argument without a value, a
	# token beyond 31 bits, and (hopprobe(8)) every line containing a NUL
	# byte: one that is only a NUL, and two with a NUL inside a word.
	printf 'abc send-probe ip-4 %s\n' "$LAB_TARGET4"
	printf '5\n'
	printf '30 send-probe ip-4\n'
	printf '2147483648 check-support feature version\n'
	printf '\0\n'
	printf '37 send-pro\0be ip-4 %s\n' "$LAB_TARGET4"
	printf '38 check-support feature ver\0sion\n'
	echo 7 >"$T/parse_errors"
	printf '31 frobnicate\n'
	want 31 'unknown-command'
	printf '32 send-probe ip-4 not-an-address\n'
	want 32 'invalid-argument'
	printf '33 send-probe ip-4 %s ttl 0\n' "$LAB_TARGET4"
	want 33 'invalid-argument'
	# A missing destination (hopprobe(8), as mtr-packet).
	printf '34 send-probe ttl 5\n'
	want 34 'invalid-argument reason ip-version-not-supported'
	# 5,018 bytes: one command-buffer-overflow, token 35 never answered,
	# and no tail of it run as a command.
	printf '35 send-probe ip-4 %s timeout 5' "$LAB_TARGET4"
	for ((i = 0; i < 131; i++)); do
		printf ' x 36 check-support feature send-probe'
	done
	printf '\n'
	echo 1 >"$T/overflows"
	# The lines after the NUL bytes are not swallowed; CRLF and tabs
	# separate tokens.
	printf '39 check-support feature send-probe\n'
	want 39 'feature-support support ok'
	printf '40\tcheck-support  feature\tudp\r\n'
	want 40 'feature-support support ok'
	printf '41 send-probe ip-4 %s timeout 5\r\n' "$LAB_TARGET4"
	want 41 "reply ip-4 $(re_escape "$LAB_TARGET4") $RTT"
}

# answered NAME: every wanted token answered exactly once, the right
# number of token-less errors, and nothing else.
answered()
{
	local name=$1 out=$T/$1.out tok re line n bad=0 pe ov total want_total

	while read -r tok re; do
		n=$(grep -a -c -E "^$tok " "$out")
		if ((n != 1)); then
			line=$(grep -a -E "^$tok " "$out")
			printf 'token %s: %d replies, want 1: %s\n' "$tok" "$n" "$line"
			bad=1
		fi
	done <"$T/$name.expect"
	pe=$(grep -a -c '^0 command-parse-error$' "$out")
	ov=$(grep -a -c '^0 command-buffer-overflow$' "$out")
	if ((pe != $(cat "$T/parse_errors"))); then
		printf '%d command-parse-error, want %d\n' "$pe" "$(cat "$T/parse_errors")"
		bad=1
	fi
	if ((ov != $(cat "$T/overflows"))); then
		printf '%d command-buffer-overflow, want %d\n' "$ov" "$(cat "$T/overflows")"
		bad=1
	fi
	total=$(grep -a -c . "$out")
	want_total=$(($(grep -c . "$T/$name.expect") + pe + ov))
	if ((total != want_total)); then
		printf '%d reply lines, want %d; unexpected:\n' "$total" "$want_total"
		awk 'NR == FNR { want[$1] = 1; next }
			$1 != 0 && !($1 in want) { print "  " $0 }' \
			"$T/$name.expect" "$out" | head -n 10
		bad=1
	fi
	return "$bad"
}

# replies_as_wanted NAME: each token's reply is the one the lab determines.
replies_as_wanted()
{
	local name=$1 out=$T/$1.out tok re line bad=0

	while read -r tok re; do
		line=$(grep -a -E "^$tok " "$out" | head -n 1)
		if [[ ! "$line" =~ ^$tok\ $re$ ]]; then
			printf 'token %s: got "%s", want "%s %s"\n' "$tok" "$line" "$tok" "$re"
			bad=1
		fi
	done <"$T/$name.expect"
	return "$bad"
}

# session NAME PRIV CMD...: run CMD (valgrind and the worker, as the
# session's user) in the host namespace with the session on stdin, and
# check the outcome.
session()
{
	local name=$1 priv=$2 rc start end

	shift 2
	EXPECT=$T/$name.expect
	session_requests "$priv" >"$T/$name.req"
	: >"$T/$name.vg"
	chown "$NOBODY" "$T/$name.vg"
	start=$(_lab_now_us)
	# A pipe, as clients use, written at once.
	# shellcheck disable=SC2002 # a pipe is the point
	cat "$T/$name.req" | in_ns "$NS_HOST" "$@" \
		valgrind -q --vgdb=no --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --track-fds=no \
		--log-file="$T/$name.vg" "$WORKER" \
		>"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	end=$(_lab_now_us)
	printf '# %s: %d requests, %d reply lines, exit status %d after %d.%01d s\n' \
		"$name" "$(grep -a -c . "$T/$name.req")" "$(grep -a -c . "$T/$name.out")" \
		"$rc" $(((end - start) / 1000000)) $(((end - start) / 100000 % 10))
	check "$name: exit status 0 under valgrind (99: memcheck errors or leaks, 124: over ${SESSION_LIMIT} s)" \
		test "$rc" -eq 0
	if ((rc != 0)) || [[ -s "$T/$name.vg" ]]; then
		sed -n '1,60p' "$T/$name.vg" | sed 's/^/#   vg: /'
	fi
	check "$name: memcheck reported nothing" test ! -s "$T/$name.vg"
	check "$name: every token answered exactly once, malformed lines counted" \
		answered "$name"
	check "$name: every reply is the one the lab determines" \
		replies_as_wanted "$name"
	check "$name: nothing on stderr" test ! -s "$T/$name.err"
	if [[ -s "$T/$name.err" ]]; then
		head -n 5 "$T/$name.err" | sed 's/^/#   stderr: /'
	fi
}

T=$(mktemp -d /tmp/net_valgrind.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
chmod 755 "$T" || fail "chmod $T"
WORKER=$T/hopprobe
cp "$HOPPROBE" "$WORKER" || fail "cp $HOPPROBE"
chmod 755 "$WORKER" || fail "chmod $WORKER"

UNREACH_NET=$(expected_unreach net)
UNREACH_HOST=$(expected_unreach host)

lab_up

# An open TCP port in the target (both families on one socket).
tcp_listener_start "$NS_TARGET" "$OPEN_PORT" "$T/listener.log"

session privileged 1 timeout "$SESSION_LIMIT"

# The unprivileged worker may use ICMP ping sockets in the host namespace.
in_ns "$NS_HOST" sh -c "echo '$NOBODY $NOBODY' > /proc/sys/net/ipv4/ping_group_range" ||
	fail "cannot set ping_group_range in $NS_HOST"
session unprivileged 0 setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups \
	timeout "$SESSION_LIMIT"

if ((failures)); then
	printf '# %d check(s) failed\n' "$failures"
	exit 1
fi
exit 0
