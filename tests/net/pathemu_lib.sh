# shellcheck shell=bash
#
# tests/net/pathemu_lib.sh: start the path emulator (pathemu.py) for a
# network test.  Source it after lib.sh:
#
#	. "$TESTS_SRCDIR/net/lib.sh"
#	. "$TESTS_SRCDIR/net/pathemu_lib.sh"
#	pathemu_up "$tmp/path.json" "$tmp/pathemu.log"
#	in_ns "$PE_NS_HOST" "$HOPPROBE" ...
#
# Two namespaces of this test's own:
#
#	PE_NS_HOST  where the worker runs.  Its only interface is the
#	            emulator's TUN device (PE_IF), holding PE_HOST4 and
#	            PE_HOST6; the emulated prefixes PE_PREFIX4 and
#	            PE_PREFIX6 are routed into it.
#	PE_NS_EMU   where the responder process runs, with nothing but
#	            loopback: it can send nothing except through its TUN.
#
# The TUN device is created by the responder in PE_NS_EMU and then moved
# into PE_NS_HOST (the open descriptor stays attached to it).  Routing the
# prefixes from PE_NS_HOST over a veth to a TUN inside PE_NS_EMU would make
# PE_NS_EMU's kernel a router in the path: it would decrement every TTL
# and itself answer the probes with TTL 1, so no probe could reach the
# emulated first hop.  With the device in PE_NS_HOST, locally sent probes
# reach the responder with the TTL the worker gave them.
#
# The responder and both namespaces go away with lib.sh's cleanup (the
# process by PID, through bg_start), however the test ends.

if [[ -n "${HP_PATHEMU_LIB_LOADED:-}" ]]; then
	return 0
fi
HP_PATHEMU_LIB_LOADED=1

PE_HOST4=198.51.100.1
PE_HOST6=2001:db8:100::1
PE_PREFIX4=203.0.113.0/24
PE_PREFIX6=2001:db8:e::/48
PE_IF=pe0
PE_PID=""
export PE_HOST4 PE_HOST6 PE_PREFIX4 PE_PREFIX6 PE_IF

# pathemu_python: the interpreter with scapy, or nothing when there is none.
pathemu_python()
{
	local py=${PYTHON3_SYSTEM:-/usr/bin/python3}

	[[ -x "$py" ]] || return 1
	"$py" "$TESTS_SRCDIR/net/py_has.py" scapy.layers.inet scapy.layers.sctp scapy.contrib.icmp_extensions \
		>/dev/null 2>&1 || return 1
	printf '%s\n' "$py"
}

# pathemu_up CONFIG LOG [LIFETIME]: build the two namespaces, start the
# responder on CONFIG (its log in LOG), and wait (at most 15 s) until the
# path is routed.  Skips the test when python3 with scapy is missing.
pathemu_up()
{
	local config=$1 log=$2 lifetime=${3:-120} py ready n prefix

	require_root_and_tools ip
	py=$(pathemu_python) || skip "needs ${PYTHON3_SYSTEM:-/usr/bin/python3} with scapy (python3-scapy)"
	[[ -c /dev/net/tun ]] || skip "needs /dev/net/tun"
	_lab_install_trap
	if [[ -z "${LAB_HAVE_IPV6:-}" ]]; then
		LAB_HAVE_IPV6=0
		[[ -d /proc/sys/net/ipv6 ]] && LAB_HAVE_IPV6=1
		export LAB_HAVE_IPV6
	fi

	for ((n = 0; n < 100; n++)); do
		_lab_counter=$((_lab_counter + 1))
		prefix=hp$$e$_lab_counter
		if [[ ! -e "/run/netns/${prefix}host" && ! -e "/run/netns/${prefix}emu" ]]; then
			break
		fi
	done
	PE_NS_HOST=${prefix}host
	PE_NS_EMU=${prefix}emu
	export PE_NS_HOST PE_NS_EMU
	_lab_ns_add "$PE_NS_HOST"
	_lab_ns_common "$PE_NS_HOST"
	_lab_ns_add "$PE_NS_EMU"
	_lab_ns_common "$PE_NS_EMU"

	ready=$log.ready
	rm -f "$ready"
	bg_start "$PE_NS_EMU" "$py" "$TESTS_SRCDIR/net/pathemu.py" \
		--config "$config" --tun "$PE_IF" --ready "$ready" \
		--log "$log" --lifetime "$lifetime" \
		</dev/null >"$log.out" 2>&1
	PE_PID=$LAB_LAST_PID
	# shellcheck disable=SC2016 # evaluated by wait_for
	if ! wait_for '[[ -s "$ready" ]] || ! kill -0 "$PE_PID" 2>/dev/null' 15 ||
		[[ ! -s "$ready" ]]; then
		fail "pathemu did not start: $(cat "$log.out" 2>/dev/null)"
	fi

	ip -n "$PE_NS_EMU" link set "$PE_IF" netns "$PE_NS_HOST" ||
		fail "pathemu: cannot move $PE_IF into $PE_NS_HOST"
	ip -n "$PE_NS_HOST" link set "$PE_IF" up || fail "pathemu: $PE_IF up"
	_lab_addr "$PE_NS_HOST" "$PE_IF" "$PE_HOST4/32"
	_lab_addr "$PE_NS_HOST" "$PE_IF" "$PE_HOST6/128"
	_lab_route "$PE_NS_HOST" "$PE_PREFIX4" dev "$PE_IF" src "$PE_HOST4"
	_lab_route "$PE_NS_HOST" "$PE_PREFIX6" dev "$PE_IF" src "$PE_HOST6"
	kill -0 "$PE_PID" 2>/dev/null ||
		fail "pathemu exited: $(cat "$log.out" 2>/dev/null)"
}

# mpls_json STACK: "l,tc,s,ttl,..." as the emulator's [[l,tc,s,ttl],...].
mpls_json()
{
	local IFS=, out="" i
	local -a v

	read -r -a v <<<"$1"
	((${#v[@]} > 0 && ${#v[@]} % 4 == 0)) || fail "bad stack '$1'"
	for ((i = 0; i < ${#v[@]}; i += 4)); do
		out+="${out:+, }[${v[i]}, ${v[i + 1]}, ${v[i + 2]}, ${v[i + 3]}]"
	done
	printf '[%s]' "$out"
}
