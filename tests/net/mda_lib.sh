# shellcheck shell=bash
#
# tests/net/mda_lib.sh: a lab with two load balancers in a row, a 4-way
# and a 2-way one, for the tests of --mda (net_hoptrace_mda.sh).  Source
# it after lib.sh; mda_lab_up builds lab_up's host and r1 plus eight
# namespaces of its own:
#
#	               /-- m1 --\
#	host -- r1 ---+--- m2 ---+-- r3 --- s1 --\
#	               \-- m3 --/       \-- s2 ---+-- mtgt
#	                \- m4 -/
#
#	r1-mN   203.0.113.(8N+8)/29   2001:db8:30:1N::/64  r1 .(8N+9) ::1, mN .(8N+10) ::2
#	mN-r3   203.0.113.(8N+40)/29  2001:db8:30:2N::/64  mN .(8N+41) ::1, r3 .(8N+42) ::2
#	r3-sN   203.0.113.(8N+72)/29  2001:db8:30:3N::/64  r3 .(8N+73) ::1, sN .(8N+74) ::2
#	sN-tgt  203.0.113.(8N+88)/29  2001:db8:30:4N::/64  sN .(8N+89) ::1, mtgt .(8N+90) ::2
#	mtgt's own address (on lo): 203.0.113.250, 2001:db8:30:ff::1
#
# so m1 is 203.0.113.18 on r1's side, m4 .42; s1 is .82 on r3's side, s2
# .90.  (lab_up routes 203.0.113.0/24 from r1 to r2 for its special
# destinations 203.0.113.1 and .2; every address here is more specific on
# r1, and those two still go to r2.  Nothing here is in ecmp_lib.sh's
# 198.51.100.0/24 or 2001:db8:20::/48 either.)
#
# r1 routes the target over m1..m4, r3 over s1 and s2 (`nexthop via ...`
# each), with the custom multipath hash over addresses, protocol and ports
# (fib_multipath_hash_policy 3, fib_multipath_hash_fields 0x37, both
# families; policy 1 on a kernel without fields), as net_hoptrace_ecmp.sh
# and net_flow.sh set it, and a fixed hash seed of its own on each router
# where the kernel has one (net.ipv4.fib_multipath_hash_seed, Linux 6.11):
# with one seed for both, r3's choice would follow from r1's (the same
# hash over the same fields), and m1, m2 would always lead to one of s1,
# s2.  ICMP echo requests, which Linux hashes on no ICMP field, are
# balanced by nftables as in net_flow.sh: a jhash of ICMP's first word
# (type, code, checksum: what a Paris traceroute flow holds) picks a
# fwmark, and a routing table per mark sends the target through one next
# hop.
#
# Every way back goes through the first next hop (r3 through m1, the
# target through s1), so each router answers from one address: the one on
# the link towards the host (m1..m4 their r1 side, r3 its m1 side, s1 and
# s2 their r3 side).  No reverse-path filter anywhere.  Before it returns,
# every link has carried a ping.  It sets NS_M1..NS_M4, NS_R3, NS_S1,
# NS_S2, NS_MTGT, FAMILIES ("4 6", or "4" without IPv6), MDA_HASH (what r1
# and r3 hash by: "policy 3" or "policy 1") and defines mda_addresses.

# What it sets is for the test that sources it; NS_R1 and the rest come
# from lib.sh.
# shellcheck disable=SC2034,SC2153,SC2317

if [[ -n "${HP_MDA_LIB_LOADED:-}" ]]; then
	return 0
fi
HP_MDA_LIB_LOADED=1

# mda_v4 LINK N SIDE: the IPv4 address of side SIDE (1 or 2) of link N of
# the kind LINK (r1m, mr3, r3s, stgt), as in the plan above.
mda_v4()
{
	local base

	case "$1" in
	r1m) base=8 ;;
	mr3) base=40 ;;
	r3s) base=72 ;;
	stgt) base=88 ;;
	*) fail "mda_v4: no link kind '$1'" ;;
	esac
	printf '203.0.113.%d\n' $((8 * $2 + base + $3))
}

# mda_v6 LINK N SIDE: the same in IPv6.
mda_v6()
{
	local digit

	case "$1" in
	r1m) digit=1 ;;
	mr3) digit=2 ;;
	r3s) digit=3 ;;
	stgt) digit=4 ;;
	*) fail "mda_v6: no link kind '$1'" ;;
	esac
	printf '2001:db8:30:%d%d::%d\n' "$digit" "$2" "$3"
}

MTGT4=203.0.113.250 MTGT6=2001:db8:30:ff::1

# mda_addresses FAM: the addresses the test expects in family FAM:
# mtgt (the target), r3 (as it answers), mids (m1..m4 as they answer, a
# space-separated list) and sides (s1 s2 as they answer).
mda_addresses()
{
	local n

	if [[ "$1" == 4 ]]; then
		mtgt=$MTGT4 r3=$(mda_v4 mr3 1 2)
	else
		mtgt=$MTGT6 r3=$(mda_v6 mr3 1 2)
	fi
	mids="" sides=""
	for n in 1 2 3 4; do
		mids+="${mids:+ }$("mda_v$1" r1m "$n" 2)"
	done
	for n in 1 2; do
		sides+="${sides:+ }$("mda_v$1" r3s "$n" 2)"
	done
}

# _mda_hash NS SEED: the multipath hash of router NS, both families.
_mda_hash()
{
	local v

	for v in $_mda_hash_families; do
		if in_ns "$1" test -e "/proc/sys/net/$v/fib_multipath_hash_fields"; then
			_lab_sysctl "$1" "net.$v.fib_multipath_hash_policy" 3
			_lab_sysctl "$1" "net.$v.fib_multipath_hash_fields" 0x37
			MDA_HASH="policy 3"
		else
			_lab_sysctl "$1" "net.$v.fib_multipath_hash_policy" 1
			MDA_HASH="policy 1"
		fi
	done
	if in_ns "$1" test -e /proc/sys/net/ipv4/fib_multipath_hash_seed; then
		_lab_sysctl "$1" net.ipv4.fib_multipath_hash_seed "$2"
	fi
}

# _mda_icmp_balance NS WAYS TABLE_BASE SEED LINK: echo requests to the
# target get mark 1..WAYS from a jhash of their first word, and mark N
# routes the target through side 2 of link N of kind LINK (mda_v4) in
# table TABLE_BASE+N.
_mda_icmp_balance()
{
	local ns=$1 ways=$2 base=$3 seed=$4 link=$5 fam n

	in_ns "$ns" nft -f - <<EOF || fail "lab: nftables on $ns"
table inet hp_mda_icmp {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		ip daddr $MTGT4 icmp type echo-request meta mark set jhash @th,0,32 mod $ways seed $seed offset 1
		ip6 daddr $MTGT6 icmpv6 type echo-request meta mark set jhash @th,0,32 mod $ways seed $seed offset 1
	}
}
EOF
	for fam in $FAMILIES; do
		for ((n = 1; n <= ways; n++)); do
			in_ns "$ns" ip "-$fam" rule add fwmark "$n" table $((base + n)) ||
				fail "lab: fwmark rule on $ns"
		done
	done
	for ((n = 1; n <= ways; n++)); do
		_lab_route "$ns" "$MTGT4/32" via "$(mda_v4 "$link" "$n" 2)" table $((base + n))
		_lab_route "$ns" "$MTGT6/128" via "$(mda_v6 "$link" "$n" 2)" table $((base + n))
	done
}

# mda_lab_up: the lab above (skips without multipath routing or nftables).
mda_lab_up()
{
	local n ns prefix fam pair ifc host
	local -a hops4=() hops6=() sides4=() sides6=() pairs

	lab_up
	if ! in_ns "$NS_R1" test -e /proc/sys/net/ipv4/fib_multipath_hash_policy; then
		skip "this kernel has no IPv4 multipath hash policy (CONFIG_IP_ROUTE_MULTIPATH)"
	fi
	if ((LAB_HAVE_IPV6)) &&
		! in_ns "$NS_R1" test -e /proc/sys/net/ipv6/fib_multipath_hash_policy; then
		skip "this kernel has no IPv6 multipath hash policy (Linux 4.18)"
	fi
	command -v nft >/dev/null 2>&1 || skip "needs nft (nftables)"
	FAMILIES="4 6"
	_mda_hash_families="ipv4 ipv6"
	if ((!LAB_HAVE_IPV6)); then
		FAMILIES=4
		_mda_hash_families=ipv4
		printf '# %s\n' "this kernel has no IPv6: IPv4 only"
	fi

	# Eight more namespaces, named after the lab's (unique to this
	# process); a name left behind by an earlier process with our PID is
	# skipped.
	prefix=${NS_HOST%host}
	for ((n = 1; n < 100; n++)); do
		NS_M1=${prefix}d${n}m1 NS_M2=${prefix}d${n}m2
		NS_M3=${prefix}d${n}m3 NS_M4=${prefix}d${n}m4
		NS_R3=${prefix}d${n}r3 NS_S1=${prefix}d${n}s1
		NS_S2=${prefix}d${n}s2 NS_MTGT=${prefix}d${n}tgt
		for ns in "$NS_M1" "$NS_M2" "$NS_M3" "$NS_M4" "$NS_R3" \
			"$NS_S1" "$NS_S2" "$NS_MTGT" ""; do
			[[ -n "$ns" && -e "/run/netns/$ns" ]] && break
		done
		[[ -z "$ns" ]] && break
	done
	for ns in "$NS_M1" "$NS_M2" "$NS_M3" "$NS_M4" "$NS_R3" "$NS_S1" \
		"$NS_S2" "$NS_MTGT"; do
		_lab_ns_add "$ns"
		_lab_ns_common "$ns"
		# Answers come back by the first next hop whichever way the
		# probe went, so no reverse-path filter, whatever the defaults
		# (set before the links exist, which inherit "default").
		_lab_sysctl "$ns" net.ipv4.conf.all.rp_filter 0
		_lab_sysctl "$ns" net.ipv4.conf.default.rp_filter 0
		_lab_sysctl "$ns" net.ipv4.conf.lo.rp_filter 0
		[[ "$ns" == "$NS_MTGT" ]] && continue
		_lab_sysctl "$ns" net.ipv4.ip_forward 1
		if ((LAB_HAVE_IPV6)); then
			_lab_sysctl "$ns" net.ipv6.conf.all.forwarding 1
		fi
	done

	# r1 -- m1..m4 -- r3.
	for n in 1 2 3 4; do
		ns=NS_M$n ns=${!ns}
		_lab_link "$NS_R1" "r1-m$n" "$ns" "m$n-r1"
		_lab_link "$ns" "m$n-r3" "$NS_R3" "r3-m$n"
		_lab_addr "$NS_R1" "r1-m$n" "$(mda_v4 r1m "$n" 1)/29"
		_lab_addr "$NS_R1" "r1-m$n" "$(mda_v6 r1m "$n" 1)/64"
		_lab_addr "$ns" "m$n-r1" "$(mda_v4 r1m "$n" 2)/29"
		_lab_addr "$ns" "m$n-r1" "$(mda_v6 r1m "$n" 2)/64"
		_lab_addr "$ns" "m$n-r3" "$(mda_v4 mr3 "$n" 1)/29"
		_lab_addr "$ns" "m$n-r3" "$(mda_v6 mr3 "$n" 1)/64"
		_lab_addr "$NS_R3" "r3-m$n" "$(mda_v4 mr3 "$n" 2)/29"
		_lab_addr "$NS_R3" "r3-m$n" "$(mda_v6 mr3 "$n" 2)/64"
		_lab_route "$ns" default via "$(mda_v4 r1m "$n" 1)"
		_lab_route "$ns" default via "$(mda_v6 r1m "$n" 1)"
		_lab_route "$ns" "$MTGT4/32" via "$(mda_v4 mr3 "$n" 2)"
		_lab_route "$ns" "$MTGT6/128" via "$(mda_v6 mr3 "$n" 2)"
		hops4+=(nexthop via "$(mda_v4 r1m "$n" 2)")
		hops6+=(nexthop via "$(mda_v6 r1m "$n" 2)")
	done
	# r3 -- s1, s2 -- mtgt.
	for n in 1 2; do
		ns=NS_S$n ns=${!ns}
		_lab_link "$NS_R3" "r3-s$n" "$ns" "s$n-r3"
		_lab_link "$ns" "s$n-tgt" "$NS_MTGT" "tgt-s$n"
		_lab_addr "$NS_R3" "r3-s$n" "$(mda_v4 r3s "$n" 1)/29"
		_lab_addr "$NS_R3" "r3-s$n" "$(mda_v6 r3s "$n" 1)/64"
		_lab_addr "$ns" "s$n-r3" "$(mda_v4 r3s "$n" 2)/29"
		_lab_addr "$ns" "s$n-r3" "$(mda_v6 r3s "$n" 2)/64"
		_lab_addr "$ns" "s$n-tgt" "$(mda_v4 stgt "$n" 1)/29"
		_lab_addr "$ns" "s$n-tgt" "$(mda_v6 stgt "$n" 1)/64"
		_lab_addr "$NS_MTGT" "tgt-s$n" "$(mda_v4 stgt "$n" 2)/29"
		_lab_addr "$NS_MTGT" "tgt-s$n" "$(mda_v6 stgt "$n" 2)/64"
		_lab_route "$ns" default via "$(mda_v4 r3s "$n" 1)"
		_lab_route "$ns" default via "$(mda_v6 r3s "$n" 1)"
		_lab_route "$ns" "$MTGT4/32" via "$(mda_v4 stgt "$n" 2)"
		_lab_route "$ns" "$MTGT6/128" via "$(mda_v6 stgt "$n" 2)"
		sides4+=(nexthop via "$(mda_v4 r3s "$n" 2)")
		sides6+=(nexthop via "$(mda_v6 r3s "$n" 2)")
	done
	for ifc in tgt-s1 tgt-s2 lo; do
		_lab_sysctl "$NS_MTGT" "net.ipv4.conf.$ifc.rp_filter" 0
	done
	_lab_addr "$NS_MTGT" lo "$MTGT4/32"
	_lab_addr "$NS_MTGT" lo "$MTGT6/128"

	# The balancers, and every way back through the first next hop.
	_lab_route "$NS_R1" "$MTGT4/32" "${hops4[@]}"
	_lab_route "$NS_R1" "$MTGT6/128" "${hops6[@]}"
	# r1 reaches r3's address on m1's link through m1, for the ping from
	# r3 below (the routers' errors to the host need no such route).
	_lab_route "$NS_R1" "$(mda_v4 mr3 1 2)/32" via "$(mda_v4 r1m 1 2)"
	_lab_route "$NS_R1" "$(mda_v6 mr3 1 2)/128" via "$(mda_v6 r1m 1 2)"
	_lab_route "$NS_R3" "$MTGT4/32" "${sides4[@]}"
	_lab_route "$NS_R3" "$MTGT6/128" "${sides6[@]}"
	_lab_route "$NS_R3" default via "$(mda_v4 mr3 1 1)"
	_lab_route "$NS_R3" default via "$(mda_v6 mr3 1 1)"
	_lab_route "$NS_MTGT" default via "$(mda_v4 stgt 1 1)"
	_lab_route "$NS_MTGT" default via "$(mda_v6 stgt 1 1)"
	if [[ "$(ip -n "$NS_R1" route show "$MTGT4/32" | grep -c 'nexthop via')" != 4 ]]; then
		fail "lab: r1 has no four-way multipath route to $MTGT4"
	fi
	if [[ "$(ip -n "$NS_R3" route show "$MTGT4/32" | grep -c 'nexthop via')" != 2 ]]; then
		fail "lab: r3 has no two-way multipath route to $MTGT4"
	fi
	_mda_hash "$NS_R1" 20261203
	_mda_hash "$NS_R3" 31415926
	_mda_icmp_balance "$NS_R1" 4 110 0x5eed r1m
	_mda_icmp_balance "$NS_R3" 2 110 0xbeef r3s

	# Every link carries traffic (neighbours resolved) before hoptrace
	# runs: the host to the target, r1 to each m, each m to the target
	# and to the host, r3 to the host (back through m1), r3 to each s,
	# each s to the target.
	_mda_ping_ok()
	{
		ip netns exec "$1" ping -c1 -W1 "$2" >/dev/null 2>&1
	}
	for fam in $FAMILIES; do
		mda_addresses "$fam"
		host=LAB_HOST$fam host=${!host}
		pairs=("$NS_HOST $mtgt" "$NS_R3 $host")
		for n in 1 2 3 4; do
			ns=NS_M$n
			pairs+=("$NS_R1 $("mda_v$fam" r1m "$n" 2)" "${!ns} $mtgt" "${!ns} $host")
		done
		for n in 1 2; do
			ns=NS_S$n
			pairs+=("$NS_R3 $("mda_v$fam" r3s "$n" 2)" "${!ns} $mtgt")
		done
		for pair in "${pairs[@]}"; do
			# shellcheck disable=SC2086 # two words on purpose
			wait_for "_mda_ping_ok $pair" 5 ||
				fail "lab: no answer to ping in ${pair% *} from ${pair#* }"
		done
	done
}
