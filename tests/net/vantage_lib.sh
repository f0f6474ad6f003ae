# shellcheck shell=bash
#
# tests/net/vantage_lib.sh: a lab of three vantage points, one target and a
# collector, for the tests of hoptrace driving workers on other hosts with
# stock tools (ip netns exec, OpenSSH, socat).  Source it from bash after
# nothing else; it sources lib.sh for the namespace plumbing and cleanup:
#
#	. "$TESTS_SRCDIR/net/vantage_lib.sh"
#	vantage_require
#	vantage_up
#	ip netns exec "$VP_COL" "$HOPTRACE" --worker "$(vantage_ssh_worker 1)" ...
#
# Every address comes from the documentation ranges (RFC 5737, RFC 3849).
# The target holds 203.0.113.10 and 2001:db8:10::10 on its loopback, and
# each vantage reaches it over routers of its own, on links of its own:
#
#	vp1 -- a1 ---------- tgt      (1 router)
#	vp2 -- b1 -- b2 ---- tgt      (2 routers)
#	vp3 -- c1 -- c2 -- c3 -- tgt  (3 routers)
#
# Link K of vantage P (K = 0 from the vantage to its first router, up to
# K = P from the last router to the target) is 198.51.100.(64P + 8K)/29 and
# 2001:db8:aPK::/64; the end nearer the vantage has host part 1, the other
# end 2.  A router answers from the address of the link it received the
# probe on (nearer the vantage), so the hop at ttl K is
# 198.51.100.(64P + 8(K-1) + 2) / 2001:db8:aP(K-1)::2, and the target
# answers at ttl P+1.
#
# The management network, which carries no probe:
#
#	col (bridge col-br) 192.0.2.1     2001:db8:ff::1
#	  vp1               192.0.2.11    2001:db8:ff::11
#	  vp2               192.0.2.12    2001:db8:ff::12
#	  nat3              192.0.2.13    (IPv4 only)
#	nat3 -- vp3         192.0.2.96/28: nat3 .97, vp3 .98
#
# The collector has no route to the target (the probes are the vantages')
# and none to 192.0.2.96/28: vp3 is behind nat3, which masquerades what vp3
# sends to the management network, so vp3 reaches the collector and the
# collector cannot reach vp3 (the NAT recipe of hoptrace(1)).
#
# OpenSSH: vantage_up starts `sshd -D -f CONFIG` on the management
# address of vp1, vp2 (port 22, the key may run the built hopprobe and
# nothing else) and col (port 22, for vp3's reverse stream-local forward;
# that key may forward and run nothing).  Host and client keys are
# throwaway ed25519 keys made by ssh-keygen in a scratch directory; the
# client trusts the host keys through a known_hosts file written from them.
# Each sshd runs in a mount namespace of its own (ip netns exec gives one)
# with a tmpfs on /run holding its privilege separation directory, so the
# machine's /run is left as it is.
#
# After vantage_up:
#   VP_NS[1..3], VP_COL, VP_NAT3  namespace names (a per-run prefix)
#   VP_TARGET4, VP_TARGET6        the target's addresses
#   VP_SILENT4, VP_SILENT6        routed as the target, answered by the
#                                 routers, silent past them
#   vantage_hops P 4|6            the expected responders, ttl 1 up to the
#                                 target, one a line
#   vantage_local_worker P        `ip netns exec vpP hopprobe`, a /bin/sh word list
#   vantage_ssh_worker P [PORT]   the ssh worker command for vp1 or vp2
#   vantage_nat_up                the NAT recipe from vp3 (socat + ssh -R);
#                                 then vantage_nat_worker is the collector's
#                                 worker command
#   VP_DIR                        the scratch directory (keys, configs, logs)
# vantage_down (also run by the trap on exit) stops what vantage_up started,
# by PID, and deletes every namespace.

if [[ -n "${HP_VANTAGE_LIB_LOADED:-}" ]]; then
	return 0
fi
HP_VANTAGE_LIB_LOADED=1

# shellcheck source=lib.sh
. "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}/net/lib.sh"

VP_TARGET4=203.0.113.10
VP_TARGET6=2001:db8:10::10
# Routed like the target, but nobody has it: the target's namespace (no
# forwarding) drops it without a word, so a probe there that passed the
# routers waits out its timeout.
VP_SILENT4=203.0.113.11
VP_SILENT6=2001:db8:10::11
VP_COL4=192.0.2.1
VP_COL6=2001:db8:ff::1
VP_MGMT4=([1]=192.0.2.11 [2]=192.0.2.12)
VP_MGMT6=([1]=2001:db8:ff::11 [2]=2001:db8:ff::12)
VP_NAT3_MGMT4=192.0.2.13
VP_NAT3_INSIDE4=192.0.2.97
VP_VP3_INSIDE4=192.0.2.98
SSHD=${SSHD:-/usr/sbin/sshd}
_vp_is_up=0
_vp_counter=0
_vp_nat_ssh_pid=""
declare -A _vp_sshd_pid=()

# vantage_require: skip (77) unless root and every tool the lab uses is
# here: OpenSSH's server and client, socat and setpriv for the NAT recipe,
# nft for the NAT itself.
vantage_require()
{
	if [[ "$(id -u)" -eq 0 && ! -x "$SSHD" ]]; then
		skip "needs $SSHD (Debian's openssh-server)"
	fi
	require_root_and_tools ip ping ssh ssh-keygen socat nft setpriv timeout \
		"$HOPPROBE"
	[[ -d /proc/sys/net/ipv6 ]] || skip "needs IPv6 in the kernel"
}

# _vp_link_addr P K 4|6 END: the address of END (1 = nearer the vantage,
# 2 = farther) on link K of vantage P.
_vp_link_addr()
{
	local p=$1 k=$2 fam=$3 end=$4

	if [[ $fam == 4 ]]; then
		printf '198.51.100.%d\n' $((64 * p + 8 * k + end))
	else
		printf '2001:db8:a%d%d::%d\n' "$p" "$k" "$end"
	fi
}

# vantage_hops P 4|6: the responders vantage P's trace must show, ttl 1
# first, the target last.
vantage_hops()
{
	local p=$1 fam=$2 k

	for ((k = 1; k <= p; k++)); do
		_vp_link_addr "$p" $((k - 1)) "$fam" 2
	done
	if [[ $fam == 4 ]]; then
		printf '%s\n' "$VP_TARGET4"
	else
		printf '%s\n' "$VP_TARGET6"
	fi
}

# _vp_router NS: forwarding on.
_vp_router()
{
	_lab_sysctl "$1" net.ipv4.ip_forward 1
	_lab_sysctl "$1" net.ipv6.conf.all.forwarding 1
}

# _vp_path P: vantage P's namespaces, links, addresses and routes to the
# target (and the target's routes back).
_vp_path()
{
	local p=$1 k ns nsa nsb ifa ifb
	local -a nodes=("${VP_NS[$p]}")

	for ((k = 1; k <= p; k++)); do
		ns=${_vp_prefix}p${p}r$k
		_lab_ns_add "$ns"
		_lab_ns_common "$ns"
		_vp_router "$ns"
		nodes+=("$ns")
	done
	nodes+=("$VP_TGT")
	for ((k = 0; k <= p; k++)); do
		nsa=${nodes[$k]} nsb=${nodes[$((k + 1))]}
		ifa=l${p}${k}a ifb=l${p}${k}b
		_lab_link "$nsa" "$ifa" "$nsb" "$ifb"
		_lab_addr "$nsa" "$ifa" "$(_vp_link_addr "$p" "$k" 4 1)/29"
		_lab_addr "$nsa" "$ifa" "$(_vp_link_addr "$p" "$k" 6 1)/64"
		_lab_addr "$nsb" "$ifb" "$(_vp_link_addr "$p" "$k" 4 2)/29"
		_lab_addr "$nsb" "$ifb" "$(_vp_link_addr "$p" "$k" 6 2)/64"
		# Towards the target: everything not local goes on (the
		# vantage's default is its management link, so only the
		# target's addresses); back: the vantage's own link 0.
		if ((k == 0)); then
			_lab_route "$nsa" "$VP_TARGET4/32" via "$(_vp_link_addr "$p" 0 4 2)"
			_lab_route "$nsa" "$VP_TARGET6/128" via "$(_vp_link_addr "$p" 0 6 2)"
			_lab_route "$nsa" "$VP_SILENT4/32" via "$(_vp_link_addr "$p" 0 4 2)"
			_lab_route "$nsa" "$VP_SILENT6/128" via "$(_vp_link_addr "$p" 0 6 2)"
		else
			_lab_route "$nsa" default via "$(_vp_link_addr "$p" "$k" 4 2)"
			_lab_route "$nsa" default via "$(_vp_link_addr "$p" "$k" 6 2)"
		fi
		# Back: every answer goes to the vantage's address on link
		# 0, which the first router has on link; the others (and the
		# target) send it to the node before them.
		if ((k > 0)); then
			_lab_route "$nsb" "$(_vp_link_addr "$p" 0 4 0)/29" via "$(_vp_link_addr "$p" "$k" 4 1)"
			_lab_route "$nsb" "2001:db8:a${p}0::/64" via "$(_vp_link_addr "$p" "$k" 6 1)"
		fi
	done
}

# _vp_mgmt: the collector's bridge, vp1 and vp2 on it, nat3 on it with vp3
# behind, and nat3's masquerade.
_vp_mgmt()
{
	local p

	ip -n "$VP_COL" link add col-br type bridge || fail "vantage: bridge in col"
	ip -n "$VP_COL" link set col-br up || fail "vantage: bridge up"
	_lab_addr "$VP_COL" col-br "$VP_COL4/24"
	_lab_addr "$VP_COL" col-br "$VP_COL6/64"
	for p in 1 2; do
		_lab_link "$VP_COL" "col-vp$p" "${VP_NS[$p]}" mgmt
		ip -n "$VP_COL" link set "col-vp$p" master col-br || fail "vantage: bridge port $p"
		_lab_addr "${VP_NS[$p]}" mgmt "${VP_MGMT4[$p]}/24"
		_lab_addr "${VP_NS[$p]}" mgmt "${VP_MGMT6[$p]}/64"
	done
	_lab_link "$VP_COL" col-nat3 "$VP_NAT3" mgmt
	ip -n "$VP_COL" link set col-nat3 master col-br || fail "vantage: bridge port nat3"
	_lab_addr "$VP_NAT3" mgmt "$VP_NAT3_MGMT4/24"
	_lab_link "$VP_NAT3" inside "${VP_NS[3]}" mgmt
	_lab_addr "$VP_NAT3" inside "$VP_NAT3_INSIDE4/28"
	_lab_addr "${VP_NS[3]}" mgmt "$VP_VP3_INSIDE4/28"
	_lab_route "${VP_NS[3]}" default via "$VP_NAT3_INSIDE4"
	_lab_sysctl "$VP_NAT3" net.ipv4.ip_forward 1
	in_ns "$VP_NAT3" nft -f - <<EOF || fail "vantage: nftables masquerade on nat3"
table ip vpnat {
	chain nat_out {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "mgmt" ip saddr 192.0.2.96/28 masquerade
	}
	chain from_inside {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "inside" oifname "mgmt" accept
	}
}
EOF
}

# _vp_keys: the scratch directory's keys: one host key a server, the
# vantage client key (runs hopprobe), the NAT key (forwards only), and the
# known_hosts that trusts exactly those host keys at those addresses.
_vp_keys()
{
	local name

	for name in host_vp1 host_vp2 host_col client nat; do
		ssh-keygen -q -t ed25519 -N '' -C "hoptrace-lab-$name" \
			-f "$VP_DIR/$name" </dev/null || fail "vantage: ssh-keygen $name"
	done
	{
		printf '%s,%s %s\n' "${VP_MGMT4[1]}" "${VP_MGMT6[1]}" "$(cut -d' ' -f1,2 "$VP_DIR/host_vp1.pub")"
		printf '%s,%s %s\n' "${VP_MGMT4[2]}" "${VP_MGMT6[2]}" "$(cut -d' ' -f1,2 "$VP_DIR/host_vp2.pub")"
		printf '%s %s\n' "$VP_COL4" "$(cut -d' ' -f1,2 "$VP_DIR/host_col.pub")"
	} >"$VP_DIR/known_hosts"
	# The vantages' key may run the built worker and nothing else
	# (restrict: no pty, no forwarding, no agent, no X11, no ~/.ssh/rc).
	printf 'restrict,command="%s" %s\n' "$HOPPROBE" "$(cat "$VP_DIR/client.pub")" \
		>"$VP_DIR/authorized_keys_vantage"
	# The NAT key may open the reverse forward and nothing else; its
	# forced command refuses a session.
	printf 'restrict,port-forwarding,command="/bin/false" %s\n' "$(cat "$VP_DIR/nat.pub")" \
		>"$VP_DIR/authorized_keys_col"
}

# _vp_sshd_config NAME ADDR... : an sshd_config for server NAME listening on
# ADDR:22.  StrictModes is off because the scratch directory sits under the
# world-writable /tmp, which sshd would refuse for authorized_keys.
_vp_sshd_config()
{
	local name=$1 addr keys=authorized_keys_vantage

	shift
	[[ $name == col ]] && keys=authorized_keys_col
	{
		for addr in "$@"; do
			printf 'ListenAddress %s\n' "$addr"
		done
		printf '%s\n' "Port 22" \
			"HostKey $VP_DIR/host_$name" \
			"PidFile none" \
			"AuthorizedKeysFile $VP_DIR/$keys" \
			"AuthenticationMethods publickey" \
			"PasswordAuthentication no" \
			"KbdInteractiveAuthentication no" \
			"UsePAM no" \
			"StrictModes no" \
			"PermitRootLogin forced-commands-only" \
			"AllowAgentForwarding no" \
			"X11Forwarding no" \
			"PermitTTY no" \
			"PrintMotd no" \
			"StreamLocalBindUnlink yes" \
			"LogLevel VERBOSE"
		# The collector takes reverse forwards of unix sockets and
		# nothing else: sshd gates stream-local forwards on
		# AllowTcpForwarding too, so that allows remote forwards,
		# and PermitListen/PermitOpen none refuse every TCP one.
		if [[ $name == col ]]; then
			printf '%s\n' "AllowStreamLocalForwarding remote" \
				"AllowTcpForwarding remote" "PermitListen none" \
				"PermitOpen none"
		else
			printf '%s\n' "AllowStreamLocalForwarding no" \
				"AllowTcpForwarding no"
		fi
	} >"$VP_DIR/sshd_$name.conf"
}

# The sh script that runs its arguments with a private /run: a tmpfs
# holding sshd's privilege separation directory.  ip netns exec already
# gives each command a mount namespace of its own, with / a slave, so the
# mount stays inside and the machine's /run is left as it is.
# shellcheck disable=SC2016 # expanded by that sh
_VP_PRIVATE_RUN='mount -t tmpfs -o mode=0755 vantage-run /run &&
	mkdir -m 0755 /run/sshd && exec "$@"'


# _vp_sshd_start NS NAME ADDR: check sshd NAME's configuration (sshd -t),
# start it in NS with a private /run and wait until ADDR:22 accepts.
_vp_sshd_start()
{
	local ns=$1 name=$2 addr=$3

	in_ns "$ns" sh -c "$_VP_PRIVATE_RUN" sshd "$SSHD" -t -f "$VP_DIR/sshd_$name.conf" ||
		fail "vantage: sshd -t rejects $VP_DIR/sshd_$name.conf"
	bg_start "$ns" sh -c "$_VP_PRIVATE_RUN" sshd "$SSHD" -D -e -f "$VP_DIR/sshd_$name.conf" \
		</dev/null 2>"$VP_DIR/sshd_$name.log"
	_vp_sshd_pid[$name]=$(bg_pid)
	# shellcheck disable=SC2016 # evaluated by wait_for
	wait_for "in_ns '$ns' socat -u /dev/null TCP:$addr:22,connect-timeout=1 2>/dev/null" 10 ||
		fail "vantage: sshd $name does not accept on $addr:22: $(cat "$VP_DIR/sshd_$name.log")"
}

# vantage_up: build the lab above, start the three sshd and wait until the
# target answers ping from each vantage in both families.
vantage_up()
{
	local n p fam ns

	if ((_vp_is_up)); then
		fail "vantage_up called twice without vantage_down"
	fi
	_lab_install_trap
	LAB_HAVE_IPV6=1
	for ((n = 0; n < 100; n++)); do
		_vp_counter=$((_vp_counter + 1))
		_vp_prefix=hp$$v$_vp_counter
		[[ ! -e "/run/netns/${_vp_prefix}tgt" && ! -e "/run/netns/${_vp_prefix}col" ]] && break
	done
	VP_NS=([1]=${_vp_prefix}vp1 [2]=${_vp_prefix}vp2 [3]=${_vp_prefix}vp3)
	VP_TGT=${_vp_prefix}tgt
	VP_COL=${_vp_prefix}col
	VP_NAT3=${_vp_prefix}nat3
	_vp_is_up=1
	VP_DIR=$(mktemp -d /tmp/hp_vantage.XXXXXX) || fail "mktemp"
	lab_at_exit rm -rf -- "$VP_DIR"

	for ns in "$VP_TGT" "$VP_COL" "$VP_NAT3" "${VP_NS[1]}" "${VP_NS[2]}" "${VP_NS[3]}"; do
		_lab_ns_add "$ns"
		_lab_ns_common "$ns"
	done
	ip -n "$VP_TGT" addr add "$VP_TARGET4/32" dev lo || fail "vantage: target address"
	ip -n "$VP_TGT" -6 addr add "$VP_TARGET6/128" dev lo nodad || fail "vantage: target address"
	for p in 1 2 3; do
		_vp_path "$p"
	done
	_vp_mgmt

	for p in 1 2 3; do
		for fam in 4 6; do
			# shellcheck disable=SC2016 # evaluated by wait_for
			wait_for "in_ns '${VP_NS[$p]}' ping -$fam -c1 -W1 $(vantage_hops "$p" "$fam" | tail -n 1) >/dev/null 2>&1" 5 ||
				fail "vantage: the target does not answer ping -$fam from vp$p"
		done
	done
	# The collector reaches vp1 and vp2 but neither the target nor vp3.
	in_ns "$VP_COL" ping -c1 -W1 "${VP_MGMT4[1]}" >/dev/null 2>&1 ||
		fail "vantage: col cannot ping vp1"
	if in_ns "$VP_COL" ping -c1 -W1 "$VP_VP3_INSIDE4" >/dev/null 2>&1; then
		fail "vantage: col reaches vp3, which should be behind NAT"
	fi
	if in_ns "$VP_COL" ping -c1 -W1 "$VP_TARGET4" >/dev/null 2>&1; then
		fail "vantage: col reaches the target"
	fi
	in_ns "${VP_NS[3]}" ping -c1 -W1 "$VP_COL4" >/dev/null 2>&1 ||
		fail "vantage: vp3 cannot reach the collector through nat3"

	_vp_keys
	_vp_sshd_config vp1 "${VP_MGMT4[1]}" "${VP_MGMT6[1]}"
	_vp_sshd_config vp2 "${VP_MGMT4[2]}" "${VP_MGMT6[2]}"
	_vp_sshd_config col "$VP_COL4"
	_vp_sshd_start "${VP_NS[1]}" vp1 "${VP_MGMT4[1]}"
	_vp_sshd_start "${VP_NS[2]}" vp2 "${VP_MGMT4[2]}"
	_vp_sshd_start "$VP_COL" col "$VP_COL4"
	lab_at_exit _vp_sessions_end
	export VP_DIR VP_COL VP_TGT VP_NAT3 VP_TARGET4 VP_TARGET6
}

# vantage_down: everything vantage_up started, stopped and deleted (lib.sh's
# lab_down, which the exit trap also runs).
vantage_down()
{
	lab_down
	_vp_is_up=0
}

# vantage_local_worker P: vantage P's worker started in its namespace, as a
# /bin/sh command line.
vantage_local_worker()
{
	printf 'ip netns exec %q %q' "${VP_NS[$1]}" "$HOPPROBE"
}

# _vp_ssh_args KEY [KNOWN_HOSTS]: set the array VP_SSH_ARGS to the client
# options every lab ssh uses: no user or system configuration, the lab's
# known_hosts only (host keys are checked: no StrictHostKeyChecking=no),
# the one key, never a prompt.  With VP_SSH_PROXY set, that is the
# ProxyCommand.
_vp_ssh_args()
{
	VP_SSH_ARGS=(-F none -T -o BatchMode=yes -o IdentitiesOnly=yes
		-i "$VP_DIR/$1" -o "UserKnownHostsFile=${2:-$VP_DIR/known_hosts}"
		-o GlobalKnownHostsFile=none -o ConnectTimeout=5)
	if [[ -n "${VP_SSH_PROXY:-}" ]]; then
		VP_SSH_ARGS+=(-o "ProxyCommand=$VP_SSH_PROXY")
	fi
}

# vantage_ssh_worker P [PORT [KEY [ADDR [KNOWN_HOSTS]]]]: the ssh worker
# command for vp1 or vp2, run from the collector (the forced command runs
# hopprobe; the client names none).  PORT, KEY (a key name in VP_DIR:
# client or nat), ADDR and KNOWN_HOSTS (a file) let a test point it at a
# closed port, a refused key, another address or an untrusted host key.
vantage_ssh_worker()
{
	local p=$1 port=${2:-22} key=${3:-client} addr=${4:-${VP_MGMT4[$1]}}

	_vp_ssh_args "$key" "${5:-}"
	printf 'ssh'
	printf ' %q' "${VP_SSH_ARGS[@]}" -p "$port" "root@$addr"
}

# vantage_nat_up: the NAT recipe, from vp3.  On the vantage a stand-in for
# packaging/systemd's hopprobe.socket and hopprobe@.service: `socat
# UNIX-LISTEN:VANTAGE_PATH,fork EXEC:...` starting, per connection, a copy
# of hopprobe with what the service unit gives it and nothing more (uid
# and gid 65534 for DynamicUser, CAP_NET_RAW as an ambient capability,
# no-new-privileges), through setpriv.  Then `ssh -N -R
# COLLECTOR_PATH:VANTAGE_PATH` dialled out to the collector's sshd.  Waits
# until COLLECTOR_PATH exists (sshd makes it once the forward is set up).
# Sets VP_NAT_COLLECTOR_PATH.
vantage_nat_up()
{
	local vantage_path=$VP_DIR/vp3-hopprobe.sock bindir

	VP_NAT_COLLECTOR_PATH=$VP_DIR/col-vp3.sock
	# A copy uid 65534 can run wherever the build tree is, and a script
	# that starts it as the service would (socat's EXEC: would take the
	# commas of setpriv's capability lists for its own options).
	bindir=$(mktemp -d /tmp/hp_vantage_bin.XXXXXX) || fail "mktemp"
	lab_at_exit rm -rf -- "$bindir"
	if ! chmod 755 "$bindir" || ! cp "$HOPPROBE" "$bindir/hopprobe" ||
		! chmod 755 "$bindir/hopprobe"; then
		fail "vantage: cannot copy $HOPPROBE"
	fi
	if ! printf '%s\n' '#!/bin/sh' \
		'# hopprobe as hopprobe@.service starts it.' \
		"exec setpriv --reuid=65534 --regid=65534 --clear-groups \\" \
		"	--inh-caps=-all,+net_raw --ambient-caps=-all,+net_raw \\" \
		"	--bounding-set=-all,+net_raw --no-new-privs $bindir/hopprobe" \
		>"$bindir/hopprobe-as-unit" || ! chmod 755 "$bindir/hopprobe-as-unit"; then
		fail "vantage: cannot write $bindir/hopprobe-as-unit"
	fi
	bg_start "${VP_NS[3]}" socat "UNIX-LISTEN:$vantage_path,fork,mode=0600" \
		"EXEC:$bindir/hopprobe-as-unit" </dev/null 2>"$VP_DIR/socat_vp3.log"
	# shellcheck disable=SC2016 # evaluated by wait_for
	wait_for '[[ -S "$VP_DIR/vp3-hopprobe.sock" ]]' 5 ||
		fail "vantage: socat in vp3 did not listen on $vantage_path"
	_vp_ssh_args nat
	bg_start "${VP_NS[3]}" ssh "${VP_SSH_ARGS[@]}" \
		-o ExitOnForwardFailure=yes -o ServerAliveInterval=5 \
		-N -R "$VP_NAT_COLLECTOR_PATH:$vantage_path" "root@$VP_COL4" \
		</dev/null 2>"$VP_DIR/ssh_vp3.log"
	_vp_nat_ssh_pid=$(bg_pid)
	# shellcheck disable=SC2016 # evaluated by wait_for
	wait_for '[[ -S "$VP_NAT_COLLECTOR_PATH" ]]' 10 ||
		fail "vantage: the reverse forward from vp3 did not appear: $(cat "$VP_DIR/ssh_vp3.log")"
	export VP_NAT_COLLECTOR_PATH
}

# _vp_sessions_end: at exit, before lib.sh stops everything at once, end
# the reverse forward and wait (at most 3 s) until every sshd has no session
# left (an ssh worker's session ends a moment after hoptrace does, once its
# hopprobe has answered the last probes), so that no session process, nor
# the hopprobe it runs, outlives its sshd.
_vp_sessions_end()
{
	local i name busy

	if [[ -n "$_vp_nat_ssh_pid" ]]; then
		kill -TERM "$_vp_nat_ssh_pid" 2>/dev/null
	fi
	for ((i = 0; i < 30; i++)); do
		busy=0
		if [[ -n "$_vp_nat_ssh_pid" ]] && kill -0 "$_vp_nat_ssh_pid" 2>/dev/null; then
			busy=1
		fi
		for name in "${!_vp_sshd_pid[@]}"; do
			if pgrep -P "${_vp_sshd_pid[$name]}" >/dev/null 2>&1; then
				busy=1
			fi
		done
		((busy)) || break
		sleep 0.1
	done
	_vp_nat_ssh_pid=""
}

# vantage_nat_worker: the collector's worker command for vp3.
vantage_nat_worker()
{
	printf 'socat - UNIX-CONNECT:%q' "$VP_NAT_COLLECTOR_PATH"
}
