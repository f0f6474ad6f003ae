#!/bin/bash
#
# tests/pkg/pkg_deb.sh: hopprobe as Debian installs it.
#
# Builds the .deb packages with packaging/build-deb (lintian must be clean),
# installs them with dpkg -i, and checks what a user of the package gets:
#   - /usr/bin/hopprobe carries cap_net_raw (set by the package's postinst);
#   - as the unprivileged user nobody, in the namespace lab of
#     tests/net/lib.sh, `hoptrace -n TARGET` and
#     `MTR_PACKET=/usr/bin/hopprobe mtr --report -c 2 -n TARGET` (Debian's
#     mtr-tiny) both reach the target through r1 and r2;
#   - `dpkg --purge` leaves no file the packages installed (dpkg -L before
#     the purge), nor a directory they made.
# Then, when packaging/build-rpm is there, the .rpm is built and listed with
# `rpm -qlp --filecaps`, which must show cap_net_raw on the worker.
#
# The packages are always purged at exit, whatever happened.  The test
# skips (77) when not root, when a tool or a Build-Depends is missing, or
# when /usr/bin/hopprobe or /usr/bin/hoptrace are there already (from
# another install, which it must not overwrite).  The package build leaves
# out its unit tests and the debug symbols package (make check runs the
# unit tests anyway), so that the test takes a minute or two.

set -u

# shellcheck source=SCRIPTDIR/../net/lib.sh
. "$TESTS_SRCDIR/net/lib.sh"

top=$(cd -- "$TESTS_SRCDIR/.." && pwd)
packages=(hopprobe libhopprobe-client-dev)

require_root_and_tools ip ping timeout setpriv mtr dpkg dpkg-query \
	dpkg-buildpackage dpkg-checkbuilddeps dh lintian getcap
for f in /usr/bin/hopprobe /usr/bin/hoptrace; do
	if [[ -e "$f" || -L "$f" ]]; then
		skip "$f exists already (another install); not overwriting it"
	fi
done
for p in "${packages[@]}"; do
	if dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^[ihu]'; then
		skip "package $p is installed already; not replacing it"
	fi
done
if ! missing=$(dpkg-checkbuilddeps "$top/packaging/debian/control" 2>&1); then
	skip "Build-Depends missing: $missing"
fi

# note MSG...: diagnostic output, TAP style.
note()
{
	printf '# %s\n' "$*"
}

# note_file FILE: show a file as diagnostic lines.
note_file()
{
	local line

	while IFS= read -r line; do
		printf '#   %s\n' "$line"
	done <"$1"
}

tmp=$(mktemp -d /tmp/pkg_deb.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf -- "$tmp"
chmod 755 "$tmp"

# ---- build ------------------------------------------------------------------
start=$SECONDS
if ! DEB_BUILD_OPTIONS="nocheck noautodbgsym parallel=$(nproc)" \
	"$top/packaging/build-deb" --out "$tmp/deb" \
	>"$tmp/debs.list" 2>"$tmp/build-deb.err"; then
	not_ok "packaging/build-deb failed:"
	note_file "$tmp/build-deb.err"
	exit 1
fi
note "packaging/build-deb took $((SECONDS - start)) s; its messages:"
note_file "$tmp/build-deb.err"
if grep -q '^build-deb: lintian: clean$' "$tmp/build-deb.err"; then
	ok "lintian is clean on the packages"
else
	not_ok "build-deb did not report lintian clean"
fi

debs=()
for p in "${packages[@]}"; do
	f=$(grep -E "/${p}_[^/]*\.deb$" "$tmp/debs.list" | head -n 1)
	if [[ -z "$f" || ! -f "$f" ]]; then
		not_ok "no ${p}_*.deb among what build-deb printed:"
		note_file "$tmp/debs.list"
		exit 1
	fi
	debs+=("$f")
done
ok "build-deb made ${debs[*]##*/}"

# ---- install ----------------------------------------------------------------
# The directories the packages hold that are there before they are
# installed: the purge must leave these and remove the others.
for f in "${debs[@]}"; do
	dpkg-deb --fsys-tarfile "$f" | tar -tf -
done | sed -n 's|^\./\(.*[^/]\)/$|/\1|p' | sort -u >"$tmp/dirs.list"
: >"$tmp/dirs-before.list"
while IFS= read -r f; do
	if [[ -d "$f" ]]; then
		printf '%s\n' "$f" >>"$tmp/dirs-before.list"
	fi
done <"$tmp/dirs.list"

# From here on the packages may be on the system: purge them at exit.
lab_at_exit dpkg --purge "${packages[@]}"
if ! dpkg -i "${debs[@]}" >"$tmp/install.out" 2>&1; then
	not_ok "dpkg -i ${debs[*]##*/} failed:"
	note_file "$tmp/install.out"
	exit 1
fi
ok "dpkg -i installed ${packages[*]}"
note "dpkg -i said:"
note_file "$tmp/install.out"

# Every path the packages installed, and whether it was there before: a
# directory that was not must go with the purge, unless another package
# owns it by then.
dpkg -L "${packages[@]}" | sort -u >"$tmp/files.list" ||
	fail "dpkg -L ${packages[*]}"
: >"$tmp/installed.list"
while IFS= read -r f; do
	if [[ -L "$f" || -f "$f" ]]; then
		printf 'file %s\n' "$f" >>"$tmp/installed.list"
	fi
done <"$tmp/files.list"
note "$(grep -c '^file ' "$tmp/installed.list") files installed"

caps=$(getcap /usr/bin/hopprobe 2>&1)
note "getcap /usr/bin/hopprobe: $caps"
if [[ "$caps" =~ cap_net_raw[+=]ep ]]; then
	ok "the worker has cap_net_raw+ep"
else
	not_ok "getcap shows no cap_net_raw+ep on /usr/bin/hopprobe"
fi
if [[ -u /usr/bin/hopprobe ]]; then
	not_ok "the worker is setuid although its capability was set"
else
	ok "the worker is not setuid"
fi

# ---- use, as nobody, in the lab --------------------------------------------
lab_up

# as_nobody CMD...: run CMD in the host namespace as uid and gid 65534 with
# no supplementary groups, a bare environment and / as its directory;
# timeout(1) bounds it.  Whatever privilege CMD has comes from the files
# it executes.
as_nobody()
{
	(cd / && timeout 60 ip netns exec "$NS_HOST" setpriv --reuid=65534 \
		--regid=65534 --clear-groups --inh-caps=-all \
		env -i PATH=/usr/bin:/bin HOME=/nonexistent LC_ALL=C.UTF-8 "$@")
}

as_nobody /usr/bin/hoptrace -n "$LAB_TARGET4" >"$tmp/hoptrace.out" 2>"$tmp/hoptrace.err" </dev/null
rc=$?
note "as nobody: hoptrace -n $LAB_TARGET4 (exit $rc):"
note_file "$tmp/hoptrace.out"
note_file "$tmp/hoptrace.err"
# The path lib.sh builds: r1, r2, the target.
if ((rc == 0)) &&
	grep -Eq "^ 1  $(re_escape "$LAB_R1_4") " "$tmp/hoptrace.out" &&
	grep -Eq "^ 2  $(re_escape "$LAB_R2_4") " "$tmp/hoptrace.out" &&
	grep -Eq "^ 3  $(re_escape "$LAB_TARGET4") " "$tmp/hoptrace.out" &&
	grep -Eq "^reached $(re_escape "$LAB_TARGET4")( \($(re_escape "$LAB_TARGET4")\))? at hop 3," \
		"$tmp/hoptrace.out"; then
	ok "as nobody, hoptrace reached $LAB_TARGET4 at hop 3 through r1 and r2"
else
	not_ok "as nobody, hoptrace did not reach $LAB_TARGET4 at hop 3 through r1, r2"
fi

as_nobody MTR_PACKET=/usr/bin/hopprobe mtr --report -c 2 -n "$LAB_TARGET4" \
	>"$tmp/mtr.out" 2>"$tmp/mtr.err" </dev/null
rc=$?
note "as nobody: MTR_PACKET=/usr/bin/hopprobe mtr --report -c 2 -n $LAB_TARGET4 (exit $rc):"
note_file "$tmp/mtr.out"
note_file "$tmp/mtr.err"
# Report hop lines: `  1.|-- 192.0.2.1  0.0%  2 ...`: number, address, Loss%.
hops=$(awk '$1 ~ /^[0-9]+\.\|--$/ { n = $1; sub(/\..*/, "", n); print n, $2 }' "$tmp/mtr.out")
target_loss=$(awk -v t="$LAB_TARGET4" '$1 ~ /^[0-9]+\.\|--$/ && $2 == t { print $3 }' "$tmp/mtr.out")
if ((rc == 0)) && [[ ! -s "$tmp/mtr.err" ]] &&
	[[ "$hops" == "$(printf '1 %s\n2 %s\n3 %s' "$LAB_R1_4" "$LAB_R2_4" "$LAB_TARGET4")" ]] &&
	[[ -n "$target_loss" && "$target_loss" != "100.0%" ]]; then
	ok "as nobody, mtr with MTR_PACKET=/usr/bin/hopprobe reached $LAB_TARGET4 through r1 and r2 ($target_loss loss)"
else
	not_ok "as nobody, mtr with /usr/bin/hopprobe did not reach $LAB_TARGET4 through r1, r2 with nothing on stderr"
fi

# ---- purge ------------------------------------------------------------------
if ! dpkg --purge "${packages[@]}" >"$tmp/purge.out" 2>&1; then
	not_ok "dpkg --purge failed:"
	note_file "$tmp/purge.out"
else
	ok "dpkg --purge ${packages[*]}"
fi
: >"$tmp/left.list"
while IFS= read -r f; do
	if [[ -e "$f" || -L "$f" ]]; then
		printf '%s\n' "$f" >>"$tmp/left.list"
	fi
done < <(sed -n 's/^file //p' "$tmp/installed.list")
# A directory the packages made (not there before dpkg -i) that no other
# package owns must be gone too.
while IFS= read -r f; do
	[[ -d "$f" ]] || continue
	[[ "$f" == / || "$f" == /. ]] && continue
	if ! grep -qxF "$f" "$tmp/dirs-before.list" &&
		! dpkg-query -S "$f" >/dev/null 2>&1; then
		printf '%s/\n' "$f" >>"$tmp/left.list"
	fi
done <"$tmp/files.list"
if [[ -s "$tmp/left.list" ]]; then
	not_ok "the purge left what the packages installed:"
	note_file "$tmp/left.list"
else
	ok "the purge left none of the $(grep -c '^file ' "$tmp/installed.list") files the packages installed"
fi

# ---- rpm --------------------------------------------------------------------
if [[ ! -x "$top/packaging/build-rpm" ]]; then
	ok "rpm: packaging/build-rpm not there yet # SKIP"
elif ! command -v rpmbuild >/dev/null 2>&1 || ! command -v rpm >/dev/null 2>&1; then
	ok "rpm: rpmbuild or rpm missing (Debian: rpm) # SKIP"
else
	start=$SECONDS
	# build-rpm makes the tarball with `make dist` in a build tree of its
	# own, or in the one configured in place here (BUILD_DIR), which it
	# does not build for itself next to ours.
	rpm_env=(OUT="$tmp/rpm")
	if [[ -f "$top/config.status" ]]; then
		rpm_env+=(BUILD_DIR="$top")
	fi
	if env "${rpm_env[@]}" "$top/packaging/build-rpm" --nocheck \
		>"$tmp/build-rpm.out" 2>&1; then
		note "packaging/build-rpm took $((SECONDS - start)) s"
		rpmfile=$(find "$tmp/rpm" -path '*/RPMS/*' -name 'hopprobe-[0-9]*.rpm' | head -n 1)
		if [[ -z "$rpmfile" ]]; then
			not_ok "rpm: build-rpm made no hopprobe-VERSION.rpm:"
			note_file "$tmp/build-rpm.out"
		else
			rpm -qlp --filecaps "$rpmfile" >"$tmp/rpm.list" 2>&1
			note "rpm -qlp --filecaps ${rpmfile##*/}:"
			note_file "$tmp/rpm.list"
			if grep -Eq '^/usr/bin/hopprobe[[:space:]]+cap_net_raw[+=]ep' "$tmp/rpm.list"; then
				ok "rpm: /usr/bin/hopprobe carries cap_net_raw+ep"
			else
				not_ok "rpm: no cap_net_raw+ep on /usr/bin/hopprobe in the listing"
			fi
		fi
	else
		not_ok "packaging/build-rpm failed:"
		tail -n 40 "$tmp/build-rpm.out" >"$tmp/build-rpm.tail"
		note_file "$tmp/build-rpm.tail"
	fi
fi

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0)) || exit 1
exit 0
