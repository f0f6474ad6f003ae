# shellcheck shell=bash
#
# tests/net/ecmp_lib.sh: a lab with two equal-cost paths, for the tests
# that need load balancing (net_hoptrace_ecmp.sh, net_flow.sh).  Source it
# after lib.sh; ecmp_lab_up builds lab_up's host and r1 plus three
# namespaces of its own:
#
#	host -- r1 --(ecmp-a)-- r2a --(a-tgt)-- etgt
#	           \--(ecmp-b)-- r2b --(b-tgt)--/
#
#	ecmp-a  198.51.100.64/26   2001:db8:20:1::/64  r1 .65  ::1  r2a .66  ::2
#	ecmp-b  198.51.100.128/26  2001:db8:20:2::/64  r1 .129 ::1  r2b .130 ::2
#	a-tgt   198.51.100.192/28  2001:db8:20:3::/64  r2a .193 ::1 etgt .194 ::2
#	b-tgt   198.51.100.208/28  2001:db8:20:4::/64  r2b .209 ::1 etgt .210 ::2
#	etgt's own address (on lo): 198.51.100.250, 2001:db8:20:ff::1
#
# (lab_up's only use of 198.51.100.0/24 is LAB_UNREACH_NET4, 198.51.100.9,
# which r1 must not route: it still does not.)  r1 routes the target's
# address over both next hops (`nexthop via r2a nexthop via r2b`); which
# multipath hash it uses is the test's choice.  The target answers
# everything through r2a.  Before it returns, every link has carried a
# ping.  It sets NS_R2A, NS_R2B, NS_ETGT, FAMILIES ("4 6", or "4" without
# IPv6) and defines family_addresses.

if [[ -n "${HP_ECMP_LIB_LOADED:-}" ]]; then
	return 0
fi
HP_ECMP_LIB_LOADED=1

# The addresses of the plan above.
R1A4=198.51.100.65 R1B4=198.51.100.129
R2A4=198.51.100.66 R2B4=198.51.100.130
R2A_T4=198.51.100.193 R2B_T4=198.51.100.209
TGT_A4=198.51.100.194 TGT_B4=198.51.100.210 ETGT4=198.51.100.250
R1A6=2001:db8:20:1::1 R1B6=2001:db8:20:2::1
R2A6=2001:db8:20:1::2 R2B6=2001:db8:20:2::2
R2A_T6=2001:db8:20:3::1 R2B_T6=2001:db8:20:4::1
TGT_A6=2001:db8:20:3::2 TGT_B6=2001:db8:20:4::2 ETGT6=2001:db8:20:ff::1

# ecmp_lab_up: the lab above (skips without multipath routing).
ecmp_lab_up()
{
	local n ns pair fam ifc prefix

	lab_up
	# Multipath routing (CONFIG_IP_ROUTE_MULTIPATH) and its L4 hash, in both
	# families (IPv6 since Linux 4.18).
	if ! in_ns "$NS_R1" test -e /proc/sys/net/ipv4/fib_multipath_hash_policy; then
		skip "this kernel has no IPv4 multipath hash policy (CONFIG_IP_ROUTE_MULTIPATH)"
	fi
	if ((LAB_HAVE_IPV6)) &&
		! in_ns "$NS_R1" test -e /proc/sys/net/ipv6/fib_multipath_hash_policy; then
		skip "this kernel has no IPv6 multipath hash policy (Linux 4.18)"
	fi
	FAMILIES="4 6"
	if ((!LAB_HAVE_IPV6)); then
		FAMILIES=4
		printf '# %s\n' "this kernel has no IPv6: IPv4 only"
	fi

	# Three more namespaces, named after the lab's (unique to this process);
	# a name left behind by an earlier process with our PID is skipped.
	prefix=${NS_HOST%host}
	for ((n = 1; n < 100; n++)); do
		NS_R2A=${prefix}e${n}r2a NS_R2B=${prefix}e${n}r2b NS_ETGT=${prefix}e${n}tgt
		if [[ ! -e "/run/netns/$NS_R2A" && ! -e "/run/netns/$NS_R2B" &&
			! -e "/run/netns/$NS_ETGT" ]]; then
			break
		fi
	done
	for ns in "$NS_R2A" "$NS_R2B" "$NS_ETGT"; do
		_lab_ns_add "$ns"
		_lab_ns_common "$ns"
		# The target answers the probes that came through r2b by r2a, so
		# no reverse-path filter anywhere, whatever the defaults.
		_lab_sysctl "$ns" net.ipv4.conf.all.rp_filter 0
		_lab_sysctl "$ns" net.ipv4.conf.default.rp_filter 0
	done
	for ns in "$NS_R2A" "$NS_R2B"; do
		_lab_sysctl "$ns" net.ipv4.ip_forward 1
		if ((LAB_HAVE_IPV6)); then
			_lab_sysctl "$ns" net.ipv6.conf.all.forwarding 1
		fi
	done

	_lab_link "$NS_R1" r1-r2a "$NS_R2A" r2a-r1
	_lab_link "$NS_R1" r1-r2b "$NS_R2B" r2b-r1
	_lab_link "$NS_R2A" r2a-tgt "$NS_ETGT" tgt-r2a
	_lab_link "$NS_R2B" r2b-tgt "$NS_ETGT" tgt-r2b
	for ifc in tgt-r2a tgt-r2b lo; do
		_lab_sysctl "$NS_ETGT" "net.ipv4.conf.$ifc.rp_filter" 0
	done

	_lab_addr "$NS_R1" r1-r2a "$R1A4/26"
	_lab_addr "$NS_R1" r1-r2a "$R1A6/64"
	_lab_addr "$NS_R1" r1-r2b "$R1B4/26"
	_lab_addr "$NS_R1" r1-r2b "$R1B6/64"
	_lab_addr "$NS_R2A" r2a-r1 "$R2A4/26"
	_lab_addr "$NS_R2A" r2a-r1 "$R2A6/64"
	_lab_addr "$NS_R2A" r2a-tgt "$R2A_T4/28"
	_lab_addr "$NS_R2A" r2a-tgt "$R2A_T6/64"
	_lab_addr "$NS_R2B" r2b-r1 "$R2B4/26"
	_lab_addr "$NS_R2B" r2b-r1 "$R2B6/64"
	_lab_addr "$NS_R2B" r2b-tgt "$R2B_T4/28"
	_lab_addr "$NS_R2B" r2b-tgt "$R2B_T6/64"
	_lab_addr "$NS_ETGT" tgt-r2a "$TGT_A4/28"
	_lab_addr "$NS_ETGT" tgt-r2a "$TGT_A6/64"
	_lab_addr "$NS_ETGT" tgt-r2b "$TGT_B4/28"
	_lab_addr "$NS_ETGT" tgt-r2b "$TGT_B6/64"
	_lab_addr "$NS_ETGT" lo "$ETGT4/32"
	_lab_addr "$NS_ETGT" lo "$ETGT6/128"

	# r1: the target over both paths.  The host's default route already
	# leads to r1.
	_lab_route "$NS_R1" "$ETGT4/32" nexthop via "$R2A4" nexthop via "$R2B4"
	_lab_route "$NS_R1" "$ETGT6/128" nexthop via "$R2A6" nexthop via "$R2B6"
	# r2a, r2b: the target on their own link, everything else back to r1.
	_lab_route "$NS_R2A" default via "$R1A4"
	_lab_route "$NS_R2A" default via "$R1A6"
	_lab_route "$NS_R2A" "$ETGT4/32" via "$TGT_A4"
	_lab_route "$NS_R2A" "$ETGT6/128" via "$TGT_A6"
	_lab_route "$NS_R2B" default via "$R1B4"
	_lab_route "$NS_R2B" default via "$R1B6"
	_lab_route "$NS_R2B" "$ETGT4/32" via "$TGT_B4"
	_lab_route "$NS_R2B" "$ETGT6/128" via "$TGT_B6"
	# The target answers everything through r2a.
	_lab_route "$NS_ETGT" default via "$R2A_T4"
	_lab_route "$NS_ETGT" default via "$R2A_T6"
	if [[ "$(ip -n "$NS_R1" route show "$ETGT4/32")" != *nexthop*nexthop* ]]; then
		fail "lab: r1 has no two-way multipath route to $ETGT4"
	fi

	# Every link carries traffic (neighbours resolved) before hoptrace runs:
	# the host to the target, r1 to both second hops, both second hops to
	# the target's own address (its answer to r2b goes back through r2a).
	# ping_ok NS ADDR: one ping answered within a second.
	ping_ok()
	{
		ip netns exec "$1" ping -c1 -W1 "$2" >/dev/null 2>&1
	}
	# family_addresses FAM: etgt, r2a, r2b and r1 of family FAM (r1's on the
	# host's link).
	family_addresses()
	{
		local v

		v=ETGT$1 etgt=${!v}
		v=R2A$1 r2a=${!v}
		v=R2B$1 r2b=${!v}
		v=LAB_R1_$1 r1=${!v}
	}
	for fam in $FAMILIES; do
		family_addresses "$fam"
		for pair in "$NS_HOST $etgt" "$NS_R1 $r2a" "$NS_R1 $r2b" \
			"$NS_R2A $etgt" "$NS_R2B $etgt"; do
			# shellcheck disable=SC2086 # two words on purpose
			wait_for "ping_ok $pair" 5 ||
				fail "lab: no answer to ping in ${pair% *} from ${pair#* }"
		done
	done
}
