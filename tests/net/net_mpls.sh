#!/bin/bash
#
# tests/net/net_mpls.sh: MPLS label stacks and ICMP extensions, and the
# oddities of real paths (duplicated, delayed, reordered, lost answers;
# RFC 792 minimal quotes), through an emulated path.
#
# The kernel cannot forward MPLS, so tests/net/pathemu.py (scapy, through
# a TUN device; started and stopped here, see pathemu_lib.sh) answers the
# probes as the paths described below: each path is three routers
# 203.0.113.(4K+1..4K+3) / 2001:db8:e:K::1..3, the last the destination,
# and each test states what its routers send.  The label stacks are
# written here in the protocol's own form (label,tc,s,ttl,...), the JSON
# for the responder is derived from them, and a worker reply must carry
# exactly that string: nothing expected comes from the worker's output.
#
# All probes of both families go to one worker session, so every later
# answer also shows the worker survived every malformed extension before
# it; after each malformed one a probe to the destination follows at once.
# The whole session must give exactly one line per request and nothing
# else (duplicated answers are sent on purpose).
#
# Then mtr itself (MTR_PACKET=$HOPPROBE) runs through a labelled path: its
# raw output must list every label of every hop (label, TC, S, TTL), and
# its report the label numbers.  mtr 0.95's report shows MPLS lines only
# together with the AS column (-z; Debian builds mtr with IPINFO), so the
# report runs with -z, its AS look-ups sent to the namespace's loopback
# where nothing answers.
#
# Finally the same requests go to Debian's mtr-packet when it is
# installed, and a table shows both workers' answers side by side (for
# information; nothing is checked there).

set -u

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
# shellcheck source=pathemu_lib.sh
. "$TESTS_SRCDIR/net/pathemu_lib.sh"

require_root_and_tools ip timeout

if [[ -z "${HOPPROBE:-}" || ! -x "$HOPPROBE" ]]; then
	skip "HOPPROBE is not set to an executable worker"
fi

note()
{
	printf '# %s\n' "$*"
}

note_file()
{
	local line

	while IFS= read -r line; do
		printf '#   %s\n' "$line"
	done <"$1"
}

# check COND-STATUS MSG: ok when the status is 0.
check()
{
	if (($1 == 0)); then
		ok "$2"
	else
		not_ok "$2"
	fi
}

UNREACH_NET=$(expected_unreach net) || fail "expected_unreach net"
UNREACH_HOST=$(expected_unreach host) || fail "expected_unreach host"
printf '# worker: %s\n' "$("$HOPPROBE" --version 2>&1 | head -n1)"

FAMILIES="4 6"
if [[ ! -d /proc/sys/net/ipv6 ]]; then
	FAMILIES=4
	note "this kernel has no IPv6: IPv4 only"
fi

tmp=$(mktemp -d /tmp/net_mpls.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$tmp"

# ---------------------------------------------------------------------
# Label stacks, in the worker's output form.  They exercise every bit of
# an entry: the largest label, every traffic class, S set in the middle
# and clear at the bottom, TTL 0 and 255, an all-zero entry.

S1="24001,5,1,254"
S3="300000,0,0,255,300001,3,0,128,1048575,7,1,1"
S8="0,0,0,0,1,1,0,1,2,2,0,2,17,3,1,64,100000,4,0,127,524288,5,0,128,999999,6,0,200,1048575,7,1,255"

# ext FORM CHECKSUM STACK [MALFORMATION]: a hop's "ext" member.
ext()
{
	local malformed=""

	[[ -n "${4:-}" ]] && malformed=", \"malformed\": \"$4\""
	printf '"ext": {"form": "%s", "checksum": "%s", "mpls": %s%s}' \
		"$1" "$2" "$(mpls_json "$3")" "$malformed"
}

# a4 K J, a6 K J: the address of router J of path K.
a4()
{
	printf '203.0.113.%d' $((4 * $1 + $2))
}

a6()
{
	printf '2001:db8:e:%x::%x' "$1" "$2"
}

# add_path VAR DST-J HOP-MEMBERS...: a path of as many routers as
# HOP-MEMBERS (each a string of extra JSON members, maybe empty); VAR
# gets its number K.  DST-J: the destination is address J of the path
# ("" for the last router).
paths_json=""
npaths=0
add_path()
{
	local _var=$1 _dst=$2 _k _j=0 _hops="" _member

	shift 2
	npaths=$((npaths + 1))
	_k=$npaths
	((4 * _k + 3 <= 254)) || fail "too many paths"
	for _member in "$@"; do
		_j=$((_j + 1))
		_hops+="${_hops:+,
      }{\"addr4\": \"$(a4 "$_k" "$_j")\", \"addr6\": \"$(a6 "$_k" "$_j")\"${_member:+, $_member}}"
	done
	paths_json+="${paths_json:+,
  }{\"hops\": [
      $_hops]"
	if [[ -n "$_dst" ]]; then
		paths_json+=", \"dst4\": \"$(a4 "$_k" "$_dst")\", \"dst6\": \"$(a6 "$_k" "$_dst")\""
	fi
	paths_json+="}"
	printf -v "$_var" '%s' "$_k"
}

# ---------------------------------------------------------------------
# Requests and what each must get.

REQ=$tmp/requests
: >"$REQ"
declare -A EXPECT DESC RTT_MIN RTT_MAX
TOKENS=()
ORDERS=()
tok=0
FAM=4

# dst K [J]: the address of router J (default 3) of path K, in family FAM.
dst()
{
	"a$FAM" "$1" "${2:-3}"
}

# probe DESCRIPTION EXPECTED REQUEST-ARGS...: queue a send-probe to be
# answered EXPECTED ("NAME [ARG VALUE]..." with RTT for the round-trip
# time's value); sets T to its token.
probe()
{
	local desc=$1 expected=$2

	shift 2
	tok=$((tok + 1))
	T=$tok
	TOKENS+=("$T")
	DESC[$T]="v$FAM $desc"
	EXPECT[$T]=$expected
	printf '%s send-probe %s\n' "$T" "$*" >>"$REQ"
}

pause()
{
	printf '#sleep %s\n' "$1" >>"$REQ"
}

# answer NAME K J [MPLS]: the expected answer from router J of path K.
answer()
{
	local line

	line="$1 ip-$FAM $(dst "$2" "$3") round-trip-time RTT"
	[[ -n "${4:-}" ]] && line+=" mpls $4"
	printf '%s' "$line"
}

# The paths, then the probes for both families.  Every answered probe
# gets timeout 3; those that must stay unanswered timeout 1.

# A. Every stack, both forms, good and zero checksum.
declare -A STACK_PATH
for n in 1 3 8; do
	stack_var=S$n
	for form in rfc4884 old; do
		for ck in good zero; do
			add_path k "" "" "$(ext "$form" "$ck" "${!stack_var}")" ""
			STACK_PATH[$n-$form-$ck]=$k
		done
	done
done

# B. Every malformation (checksum computed over the malformed bytes, so
# the malformation is the only fault), and a bad checksum, both forms.
declare -A BAD_PATH
MALFORMED="truncated zero-length oversize version odd-mpls bad-checksum"
for form in rfc4884 old; do
	for m in $MALFORMED; do
		if [[ $m == bad-checksum ]]; then
			add_path k "" "" "$(ext "$form" bad "$S3")" ""
		else
			add_path k "" "" "$(ext "$form" good "$S3" "$m")" ""
		fi
		BAD_PATH[$m-$form]=$k
	done
done

# C. Unreachable from router 2, with and without labels; the destination
# is address 3, which no router owns.
add_path P_UNR_HOST 3 "" "\"unreach\": \"host\", $(ext rfc4884 good "$S3")"
add_path P_UNR_NET 3 "" "\"unreach\": \"net\", $(ext old zero "$S1")"
add_path P_UNR_PLAIN 3 "" "\"unreach\": \"host\""

# D. A destination that appends an extension to all it sends.
add_path P_DEST_EXT "" "" "" "$(ext rfc4884 good "$S3"), \"ext_on_answers\": true"

# E. RFC 792 quotes: 8 transport bytes, and one byte short of that.
add_path P_Q8 "" "" "\"quote_transport\": 8" ""
add_path P_Q7 "" "" "\"quote_transport\": 7" ""

# F. Duplicates everywhere, the destination's second copy 150 ms late.
add_path P_DUP "" "\"dup\": 1" "\"dup\": 2, $(ext rfc4884 good "$S1")" \
	"\"dup\": 1, \"dup_gap_ms\": 150"

# G. Router 2 answers 300 ms late, router 1 at once.
add_path P_DELAY "" "" "\"delay_ms\": 300" ""

# H. Router 1's answers overtaken by the next answer sent.
add_path P_REORDER "" "\"reorder\": true" "" ""

# I. Router 2 never answers.
add_path P_LOSS "" "" "\"loss\": 1.0" ""

# J. Other objects around the MPLS one are skipped: an interface
# information object (RFC 5837, class 2) before it, an unknown class
# after it.
add_path P_OBJECTS "" "" "\"ext\": {\"form\": \"rfc4884\", \"checksum\": \"good\", \"objects\": [{\"class\": 2, \"ctype\": 12, \"hex\": \"000000070000001400000000\"}, {\"mpls\": $(mpls_json "$S3")}, {\"class\": 250, \"ctype\": 1, \"hex\": \"deadbeef\"}]}" ""

# K. Big probes: the length attribute above 128 bytes; the old form cut
# at 128; and a 200-byte quote without any extension whose byte 128 looks
# like a version 2 header (bit pattern 0x20) but is probe payload.
add_path P_BIG_NEW "" "" "$(ext rfc4884 good "$S3")" ""
add_path P_BIG_OLD "" "" "$(ext old good "$S8")" ""
add_path P_BIG_NONE "" "" "" ""

# L. For mtr: labels on routers 1 and 2.
add_path P_MTR "" "$(ext rfc4884 good "$S1")" "$(ext old zero "$S3")" ""

for FAM in $FAMILIES; do
	ipf=ip-$FAM

	for n in 1 3 8; do
		stack_var=S$n
		for form in rfc4884 old; do
			for ck in good zero; do
				k=${STACK_PATH[$n-$form-$ck]}
				probe "icmp: $n label(s), $form form, $ck checksum" \
					"$(answer ttl-expired "$k" 2 "${!stack_var}")" \
					"$ipf $(dst "$k") ttl 2 timeout 3"
			done
		done
	done
	k=${STACK_PATH[1-rfc4884-good]}
	probe "icmp: router 1 sends no extension" \
		"$(answer ttl-expired "$k" 1)" "$ipf $(dst "$k") ttl 1 timeout 3"
	for proto in udp tcp sctp; do
		k=${STACK_PATH[3-rfc4884-good]}
		probe "$proto: 3 labels, rfc4884 form, good checksum" \
			"$(answer ttl-expired "$k" 2 "$S3")" \
			"$ipf $(dst "$k") protocol $proto ttl 2 timeout 3"
		k=${STACK_PATH[8-old-zero]}
		probe "$proto: 8 labels, old form, zero checksum" \
			"$(answer ttl-expired "$k" 2 "$S8")" \
			"$ipf $(dst "$k") protocol $proto ttl 2 timeout 3"
	done

	for form in rfc4884 old; do
		for m in $MALFORMED; do
			k=${BAD_PATH[$m-$form]}
			probe "icmp: $m ($form form): ttl-expired without mpls" \
				"$(answer ttl-expired "$k" 2)" \
				"$ipf $(dst "$k") ttl 2 timeout 3"
			pause 0.1
			probe "icmp: the probe after $m ($form form) is answered" \
				"$(answer reply "$k" 3)" "$ipf $(dst "$k") timeout 3"
		done
	done
	k=${BAD_PATH[truncated-rfc4884]}
	probe "udp: truncated (rfc4884 form): ttl-expired without mpls" \
		"$(answer ttl-expired "$k" 2)" \
		"$ipf $(dst "$k") protocol udp ttl 2 timeout 3"

	for proto in icmp udp; do
		probe "$proto: host unreachable with 3 labels" \
			"$(answer "$UNREACH_HOST" "$P_UNR_HOST" 2 "$S3")" \
			"$ipf $(dst "$P_UNR_HOST") protocol $proto timeout 3"
		probe "$proto: net unreachable with 1 label (old form)" \
			"$(answer "$UNREACH_NET" "$P_UNR_NET" 2 "$S1")" \
			"$ipf $(dst "$P_UNR_NET") protocol $proto timeout 3"
		probe "$proto: host unreachable without extension" \
			"$(answer "$UNREACH_HOST" "$P_UNR_PLAIN" 2)" \
			"$ipf $(dst "$P_UNR_PLAIN") protocol $proto timeout 3"
	done

	for proto in icmp tcp sctp; do
		probe "$proto: destination's answer carrying extension bytes: no mpls" \
			"$(answer reply "$P_DEST_EXT" 3)" \
			"$ipf $(dst "$P_DEST_EXT") protocol $proto timeout 3"
	done
	probe "tcp: destination's RST with a 40-byte SYN payload" \
		"$(answer reply "$P_DEST_EXT" 3)" \
		"$ipf $(dst "$P_DEST_EXT") protocol tcp size 100 timeout 3"
	# Port unreachable may carry an extension; the protocol's `reply`
	# has no mpls argument.
	probe "udp: port unreachable with 3 labels from the destination" \
		"$(answer reply "$P_DEST_EXT" 3)" \
		"$ipf $(dst "$P_DEST_EXT") protocol udp timeout 3"

	for proto in icmp udp tcp; do
		probe "$proto: 8-byte quote matched" \
			"$(answer ttl-expired "$P_Q8" 2)" \
			"$ipf $(dst "$P_Q8") protocol $proto ttl 2 timeout 3"
		probe "$proto: 7-byte quote never attributed" "no-reply" \
			"$ipf $(dst "$P_Q7") protocol $proto ttl 2 timeout 1"
	done
	# SCTP's identity (the initiate tag) lies beyond 8 bytes: documented
	# only, in the table.
	probe "sctp: 8-byte quote (INIT's tag not quoted)" "" \
		"$ipf $(dst "$P_Q8") protocol sctp ttl 2 timeout 1"

	pause 0.5
	probe "icmp: duplicated answer of router 1" \
		"$(answer ttl-expired "$P_DUP" 1)" "$ipf $(dst "$P_DUP") ttl 1 timeout 3"
	probe "icmp: triplicated answer of router 2, with label" \
		"$(answer ttl-expired "$P_DUP" 2 "$S1")" \
		"$ipf $(dst "$P_DUP") ttl 2 timeout 3"
	for proto in icmp udp tcp sctp; do
		probe "$proto: duplicated answer of the destination, 150 ms apart" \
			"$(answer reply "$P_DUP" 3)" \
			"$ipf $(dst "$P_DUP") protocol $proto timeout 3"
	done
	pause 0.5

	probe "icmp: router 2 answers 300 ms late" \
		"$(answer ttl-expired "$P_DELAY" 2)" \
		"$ipf $(dst "$P_DELAY") ttl 2 timeout 3"
	late=$T
	RTT_MIN[$T]=300000
	probe "icmp: router 1 answers at once, before router 2" \
		"$(answer ttl-expired "$P_DELAY" 1)" \
		"$ipf $(dst "$P_DELAY") ttl 1 timeout 3"
	RTT_MAX[$T]=250000
	ORDERS+=("$T $late")
	pause 0.5

	probe "icmp: router 1's answer held back" \
		"$(answer ttl-expired "$P_REORDER" 1)" \
		"$ipf $(dst "$P_REORDER") ttl 1 timeout 3"
	held=$T
	probe "icmp: router 2 answers first" \
		"$(answer ttl-expired "$P_REORDER" 2)" \
		"$ipf $(dst "$P_REORDER") ttl 2 timeout 3"
	ORDERS+=("$T $held")
	pause 0.5

	probe "icmp: lost answer" "no-reply" \
		"$ipf $(dst "$P_LOSS") ttl 2 timeout 1"
	probe "icmp: the destination behind a lossy router" \
		"$(answer reply "$P_LOSS" 3)" "$ipf $(dst "$P_LOSS") timeout 3"

	probe "icmp: other objects around the MPLS one" \
		"$(answer ttl-expired "$P_OBJECTS" 2 "$S3")" \
		"$ipf $(dst "$P_OBJECTS") ttl 2 timeout 3"

	probe "icmp: 300-byte probe, rfc4884 form (length attribute > 128 bytes)" \
		"$(answer ttl-expired "$P_BIG_NEW" 2 "$S3")" \
		"$ipf $(dst "$P_BIG_NEW") ttl 2 size 300 timeout 3"
	probe "udp: 300-byte probe, rfc4884 form" \
		"$(answer ttl-expired "$P_BIG_NEW" 2 "$S3")" \
		"$ipf $(dst "$P_BIG_NEW") protocol udp ttl 2 size 300 timeout 3"
	probe "icmp: 300-byte probe, old form (quote cut at 128)" \
		"$(answer ttl-expired "$P_BIG_OLD" 2 "$S8")" \
		"$ipf $(dst "$P_BIG_OLD") ttl 2 size 300 timeout 3"
	probe "icmp: 200-byte quote, no extension, 0x20 payload" \
		"$(answer ttl-expired "$P_BIG_NONE" 2)" \
		"$ipf $(dst "$P_BIG_NONE") ttl 2 size 200 bit-pattern 32 timeout 3"
	pause 0.3
done

# ---------------------------------------------------------------------
# The responder's configuration, and the path.

cat >"$tmp/path.json" <<EOF
{
"lifetime": 300,
"seed": 4950,
"paths": [
  $paths_json
]
}
EOF

pathemu_up "$tmp/path.json" "$tmp/pathemu.log" 300

# feed FILE: the request lines, with the pauses between them.
feed()
{
	local line

	while IFS= read -r line; do
		if [[ $line == "#sleep "* ]]; then
			sleep "${line#\#sleep }"
		else
			printf '%s\n' "$line"
		fi
	done <"$1"
}

# run_session NAME WORKER: every request to WORKER in the host namespace,
# its input closed after the last one (both workers then answer what is
# still in flight and exit).
run_session()
{
	local name=$1 worker=$2

	feed "$REQ" | timeout 120 ip netns exec "$PE_NS_HOST" "$worker" \
		>"$tmp/$name.out" 2>"$tmp/$name.err"
}

# normalise FILE: replies with RTT for the round-trip time.
normalise()
{
	sed -E 's/ round-trip-time [0-9]+( |$)/ round-trip-time RTT\1/' "$1"
}

note "$(grep -c send-probe "$REQ") requests over $npaths emulated paths"
run_session hopprobe "$HOPPROBE"
status=$?
check "$status" "the worker ends with status 0 after its last answer ($status)"
if [[ -s "$tmp/hopprobe.err" ]]; then
	not_ok "the worker wrote nothing to stderr"
	note_file "$tmp/hopprobe.err"
else
	ok "the worker wrote nothing to stderr"
fi

normalise "$tmp/hopprobe.out" >"$tmp/hopprobe.norm"
declare -A GOT LINE_AT COUNT
n=0
stray=0
while IFS= read -r line; do
	n=$((n + 1))
	t=${line%% *}
	if [[ ! "$t" =~ ^[0-9]+$ || -z "${DESC[$t]:-}" ]]; then
		stray=$((stray + 1))
		note "stray line: $line"
		continue
	fi
	COUNT[$t]=$((${COUNT[$t]:-0} + 1))
	if ((${COUNT[$t]} == 1)); then
		GOT[$t]=${line#* }
		LINE_AT[$t]=$n
	else
		note "line again for token $t: $line"
	fi
done <"$tmp/hopprobe.norm"

for t in "${TOKENS[@]}"; do
	count=${COUNT[$t]:-0}
	if [[ -z "${EXPECT[$t]}" ]]; then
		# Documented only: exactly one line, whatever it says.
		if ((count == 1)); then
			ok "${DESC[$t]}: one line (${GOT[$t]})"
		else
			not_ok "${DESC[$t]}: $count lines"
		fi
		continue
	fi
	if ((count != 1)); then
		not_ok "${DESC[$t]}: $count lines for token $t, expected one: ${EXPECT[$t]}"
	elif [[ "${GOT[$t]}" != "${EXPECT[$t]}" ]]; then
		not_ok "${DESC[$t]}: token $t got '${GOT[$t]}', expected '${EXPECT[$t]}'"
	else
		ok "${DESC[$t]}"
	fi
done
if ((stray == 0 && n == ${#TOKENS[@]})); then
	ok "exactly one line per request (${#TOKENS[@]}), none stray"
else
	not_ok "$n lines for ${#TOKENS[@]} requests, $stray stray"
fi

# Round-trip times where the delay is known, and the order of lines.
for t in "${!RTT_MIN[@]}" "${!RTT_MAX[@]}"; do
	rtt=$(sed -nE "s/^$t [^ ]+ [^ ]+ [^ ]+ round-trip-time ([0-9]+).*/\\1/p" \
		"$tmp/hopprobe.out")
	if [[ -z "$rtt" ]]; then
		not_ok "${DESC[$t]}: no round-trip time"
	elif [[ -n "${RTT_MIN[$t]:-}" ]] && ((rtt < ${RTT_MIN[$t]})); then
		not_ok "${DESC[$t]}: round-trip time $rtt us, expected >= ${RTT_MIN[$t]}"
	elif [[ -n "${RTT_MAX[$t]:-}" ]] && ((rtt > ${RTT_MAX[$t]})); then
		not_ok "${DESC[$t]}: round-trip time $rtt us, expected <= ${RTT_MAX[$t]}"
	else
		ok "${DESC[$t]}: round-trip time $rtt us in range"
	fi
done
for pair in "${ORDERS[@]}"; do
	read -r first second <<<"$pair"
	if [[ -n "${LINE_AT[$first]:-}" && -n "${LINE_AT[$second]:-}" ]] &&
		((${LINE_AT[$first]} < ${LINE_AT[$second]})); then
		ok "token $first (${DESC[$first]}) answered before token $second"
	else
		not_ok "token $first (${DESC[$first]}) answered before token $second"
	fi
done

# The responder really did what the tests rely on.
log=$tmp/pathemu.log
for FAM in $FAMILIES; do
	c=$(grep -c "tx v$FAM time-exceeded from $(dst "$P_DUP" 2) (hop 2) copy [0-9]/3" "$log")
	((c == 3)); check $? "v$FAM: the responder sent router 2's answer 3 times ($c)"
	c=$(grep -c "tx v$FAM [a-z-]* from $(dst "$P_DUP" 3) (hop 3) copy 2/2" "$log")
	((c == 4)); check $? "v$FAM: the responder sent 4 duplicated destination answers ($c)"
	grep -q "tx v$FAM time-exceeded from $(dst "$P_REORDER" 1) (hop 1) copy 1/1 (held, after the next)" "$log"
	check $? "v$FAM: the responder held router 1's answer until the next went out"
done
if grep -q "cannot handle" "$log"; then
	not_ok "the responder handled every packet"
	grep "cannot handle" "$log" | head -n 5 >"$tmp/cannot"
	note_file "$tmp/cannot"
else
	ok "the responder handled every packet"
fi

# ---------------------------------------------------------------------
# mtr through the labelled path.

if command -v mtr >/dev/null 2>&1; then
	# The AS look-ups of -z go to the namespace's own loopback: `ip
	# netns exec` gives each command a mount namespace of its own, so
	# this bind mount of resolv.conf is seen by that mtr only.
	printf 'nameserver 127.0.0.1\n' >"$tmp/resolv.conf"
	for FAM in $FAMILIES; do
		fam_opt=-4
		[[ $FAM == 6 ]] && fam_opt=-6
		target=$(dst "$P_MTR")
		timeout 60 ip netns exec "$PE_NS_HOST" env MTR_PACKET="$HOPPROBE" \
			mtr "$fam_opt" --raw -e -n -c 2 "$target" \
			>"$tmp/mtr-raw$FAM.out" 2>"$tmp/mtr-raw$FAM.err"
		check $? "v$FAM: mtr --raw -e through the emulated path exits 0"
		# Raw lines "m HOP LABEL TC S TTL" (hop from 0), once per
		# address change; the set must be exactly the two stacks.
		{
			IFS=, read -r -a v <<<"$S1"
			for ((i = 0; i < ${#v[@]}; i += 4)); do
				echo "m 0 ${v[i]} ${v[i + 1]} ${v[i + 2]} ${v[i + 3]}"
			done
			IFS=, read -r -a v <<<"$S3"
			for ((i = 0; i < ${#v[@]}; i += 4)); do
				echo "m 1 ${v[i]} ${v[i + 1]} ${v[i + 2]} ${v[i + 3]}"
			done
		} | sort >"$tmp/mtr-raw$FAM.want"
		grep '^m ' "$tmp/mtr-raw$FAM.out" | sort -u >"$tmp/mtr-raw$FAM.got"
		if cmp -s "$tmp/mtr-raw$FAM.want" "$tmp/mtr-raw$FAM.got"; then
			ok "v$FAM: mtr --raw -e shows routers 1 and 2's label stacks exactly"
		else
			not_ok "v$FAM: mtr --raw -e shows routers 1 and 2's label stacks exactly"
			note_file "$tmp/mtr-raw$FAM.out"
		fi

		# shellcheck disable=SC2016 # expanded by the inner bash
		timeout 60 ip netns exec "$PE_NS_HOST" bash -c \
			'mount --bind "$1" /etc/resolv.conf 2>/dev/null; shift; exec "$@"' \
			_ "$tmp/resolv.conf" env MTR_PACKET="$HOPPROBE" \
			mtr "$fam_opt" --report -e -n -z -c 2 "$target" \
			>"$tmp/mtr-report$FAM.out" 2>"$tmp/mtr-report$FAM.err"
		check $? "v$FAM: mtr --report -e -n -z -c 2 exits 0"
		# The labels listed under each hop line, in order.
		awk '$1 ~ /^[0-9]+\.(\|--)?$/ { hop = $1; sub(/\..*/, "", hop) }
		     /\[MPLS: Lbl / { for (i = 1; i <= NF; i++)
				if ($i == "Lbl") print hop, $(i + 1) }' \
			"$tmp/mtr-report$FAM.out" >"$tmp/mtr-report$FAM.got"
		{
			IFS=, read -r -a v <<<"$S1"
			for ((i = 0; i < ${#v[@]}; i += 4)); do echo "1 ${v[i]}"; done
			IFS=, read -r -a v <<<"$S3"
			for ((i = 0; i < ${#v[@]}; i += 4)); do echo "2 ${v[i]}"; done
		} >"$tmp/mtr-report$FAM.want"
		if cmp -s "$tmp/mtr-report$FAM.want" "$tmp/mtr-report$FAM.got"; then
			ok "v$FAM: mtr --report -e lists the label numbers under hops 1 and 2"
		else
			not_ok "v$FAM: mtr --report -e lists the label numbers under hops 1 and 2"
			note_file "$tmp/mtr-report$FAM.out"
		fi
		if grep -q "$(dst "$P_MTR" 3)" "$tmp/mtr-report$FAM.out"; then
			ok "v$FAM: the mtr report reaches the destination"
		else
			not_ok "v$FAM: the mtr report reaches the destination"
		fi
	done
else
	note "mtr is not installed: mtr checks skipped"
fi

# ---------------------------------------------------------------------
# The reference worker, for the table (no checks).

if [[ -x /usr/bin/mtr-packet ]]; then
	run_session mtr-packet /usr/bin/mtr-packet
	normalise "$tmp/mtr-packet.out" >"$tmp/mtr-packet.norm"
	declare -A REF
	while IFS= read -r line; do
		t=${line%% *}
		[[ "$t" =~ ^[0-9]+$ ]] || continue
		if [[ -n "${REF[$t]:-}" ]]; then
			REF[$t]+=" AND AGAIN ${line#* }"
		else
			REF[$t]=${line#* }
		fi
	done <"$tmp/mtr-packet.norm"
	note "variant | hopprobe | mtr-packet 0.95 (RTT: any round-trip time)"
	for t in "${TOKENS[@]}"; do
		printf '# %s | %s | %s\n' "${DESC[$t]}" "${GOT[$t]:-(none)}" \
			"${REF[$t]:-(none)}"
	done
else
	note "/usr/bin/mtr-packet is not installed: no comparison table"
fi

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0)) || exit 1
exit 0
