#!/bin/bash
# Test of packaging/completion/hoptrace: source it, set COMP_WORDS and
# COMP_CWORD as bash would, call _hoptrace, compare COMPREPLY (sorted) with
# what is expected.  Usage: test_completion.sh [path/to/completion]
set -u
comp=${1:-${TESTS_SRCDIR:-$(dirname "$0")/..}/../packaging/completion/hoptrace}
# shellcheck source=/dev/null
. "$comp" || exit 1
complete -p hoptrace | grep -q -- '-F _hoptrace' || { echo "not registered"; exit 1; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# Host names come from $HOSTFILE, so the test does not depend on /etc/hosts.
printf '192.0.2.1 router1.example router2.example\n2001:db8::1 target.example\n' >"$tmp/hosts"
export HOSTFILE=$tmp/hosts
mkdir "$tmp/dir" && touch "$tmp/dir/targets.txt" "$tmp/dir/tags.csv" "$tmp/dir/with space.txt"
pass=0 fail=0

# check "WANT (space separated, sorted; '' for none)" WORD...  (the last
# word is the one being completed)
check()
{
	local want=$1 got
	shift
	COMP_WORDS=(hoptrace "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_hoptrace
	got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' ')
	got=${got% }
	if [[ $got == "$want" ]]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf 'FAIL: hoptrace %s\n  got:  [%s]\n  want: [%s]\n' "$*" "$got" "$want"
	fi
}

all_long='--asn --asn-zone --compare --confidence --count --csv --dns-timeout --each --extensions --fail-on --file --first-ttl --flow --flows --help --icmp --interface --interval --ipv4 --ipv6 --json --jsonl --list-targets --live --mark --max-inflight --max-ttl --mda --no-dns --no-live --ns --pattern --pmtu --port --psize --queries --rate --record --replay --report --run-id --sctp --seed --shard --shard-from --show-ips --source --split --sport --tcp --tos --udp --version --wait --worker --worker-window'
all_short='-4 -6 -B -C -I -L -M -N -P -Q -S -T -U -V -a -b -c -e -f -h -i -j -m -n -p -q -r -s -t -u -w -z'
read -r -a words <<<"$all_long $all_short"
everything=$(printf '%s\n' "${words[@]}" | LC_ALL=C sort | tr '\n' ' ')
everything=${everything% }

# Options.
check "$all_long" --
check "$everything" -
check '--max-inflight --max-ttl' --max
check '--json --jsonl' -r --js
check '--sctp --seed --shard --shard-from --show-ips --source --split --sport' --s
check '--shard --shard-from' --sha
check '--no-dns --no-live --ns' --n
check '' --bogus
# Values: nothing offered for numbers and addresses.
for o in -f --first-ttl -m --max-ttl -q --queries -c --count -i --interval \
	-w --wait -p -P --port -L --sport -s -a --source --psize -t -Q --tos \
	-B --pattern -M --mark -N --max-inflight --dns-timeout --shard --seed \
	--run-id; do
	check '' "$o" ''
done
check '' --count = ''
check '' --count=5
# Targets: host names.
check 'router1.example router2.example' rout
check 'router1.example router2.example target.example' -n ''
check 'target.example' -T -p 443 ta
check 'router2.example' -c 5 router2
# After "--" even a dash word is a target.
check '' -- -
check 'target.example' -n -- t
# --file: files and "-".
check "$tmp/dir/tags.csv $tmp/dir/targets.txt" --file "$tmp/dir/ta"
check "$tmp/dir/with space.txt" --file "$tmp/dir/wi"
check "$tmp/dir/targets.txt" --file = "$tmp/dir/tar"
check "$tmp/dir/targets.txt" "--file=$tmp/dir/tar"
check '-' --file -
# --record: files, never "-" (standard output has the rendering).
check "$tmp/dir/tags.csv $tmp/dir/targets.txt" --record "$tmp/dir/ta"
check '' --record -
check '--record --replay --report' --re
# hoptrace diff: its options, then recordings; --rtt-band's words.
check '--json' diff --j
check '--help --json --rtt-band -h -j' diff -
check "$tmp/dir/targets.txt" diff "$tmp/dir/targ"
check "$tmp/dir/tags.csv" diff "$tmp/dir/targets.txt" "$tmp/dir/tag"
check 'decade factor2 off' diff --rtt-band ''
check 'factor2' diff --rtt-band f
check 'off' diff -j --rtt-band o
# --worker: commands, or files when there is a '/'.
mkdir "$tmp/bin" && printf '#!/bin/sh\n' >"$tmp/bin/hoptrace-test-worker" && chmod +x "$tmp/bin/hoptrace-test-worker"
PATH=$tmp/bin:$PATH check 'hoptrace-test-worker' --worker hoptrace-test-w
check "$tmp/dir/targets.txt" --worker "$tmp/dir/targ"
# --flow's words; --rate takes a number.
check 'auto off' --flow ''
check 'off' --flow o
check '' --rate ''
check '' --flows ''
check '95 99' --confidence ''
check '99' --confidence 99
# --compare: the item after the last comma.
check '4 6 icmp sctp tcp tcp:443 udp udp:53' --compare ''
check 'tcp tcp:443' --compare t
check 'icmp,udp icmp,udp:53' --compare icmp,u
check 'icmp,udp:53,tcp:443' --compare icmp,udp:53,tcp:4
check '' --compare icmp,x
# As bash gives it, split at ':': the value from COMP_LINE, completions
# without what comes before the last ':'.
COMP_LINE='hoptrace --compare icmp,udp:5' COMP_POINT=29 \
	COMP_WORDBREAKS=$' \t\n"\'><=;|&(:' check '53' --compare icmp,udp : 5

# --shard-from: the environment's variable names before the '/'.
HOPTRACE_TEST_INDEX=1 check 'HOPTRACE_TEST_INDEX' --shard-from HOPTRACE_TEST_IND
check '' --shard-from HOPTRACE_TEST_INDEX/
# --asn-zone.
check 'origin.asn.cymru.com origin.asn.cymru.com,origin6.asn.cymru.com' --asn-zone ori
# -I: interface names from /sys/class/net.
if [[ -e /sys/class/net/lo ]]; then
	check 'lo' -I l
	check 'lo' --interface=l
	check 'lo' --interface = lo
else
	echo "SKIP: no /sys/class/net/lo"
fi

echo "completion: $pass passed, $fail failed"
((fail == 0))
