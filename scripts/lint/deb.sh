#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: "make deb" (scripts/deb.sh) builds the two Debian packages from
# this tree: oomlens-dkms holds exactly the module's DKMS source (the
# files of scripts/lint/dkms.sh's list, dkms.conf installed by dh_dkms),
# its modules-load.d entry, and depends on dkms with dh_dkms's maintainer
# scripts; oomlens holds the reader, its man page and bash completion.
# Both have OOMLENS_VERSION as their version, and lintian reports no error
# and no warning on them (at --pedantic, what it reports is shown).
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../host-test-lib.sh"

need dpkg-buildpackage "dpkg-dev is not installed: run 'make deps'"
need dh_dkms "dh-dkms is not installed: run 'make deps'"
need lintian "lintian is not installed: run 'make deps'"
version=$(sed -n 's/^#define OOMLENS_VERSION[[:space:]]*"\(.*\)"$/\1/p' include/oomlens_abi.h)
out=build/deb
if ! debs=$(scripts/deb.sh 2>"$tmp/deb.err"); then
	bail "make deb" "$(cat "$tmp/deb.err")"
fi
ok "make deb: $(echo "$debs" | xargs -n1 basename | tr '\n' ' ')"
dkms_deb=$out/oomlens-dkms_${version}_all.deb
reader_deb=$(ls "$out"/oomlens_"$version"_*.deb)

for d in "$dkms_deb" "$reader_deb"; do
	v=$(dpkg-deb -f "$d" Version)
	if [ "$v" = "$version" ]; then ok "$(basename "$d"): version $v = OOMLENS_VERSION"; else fail "$(basename "$d"): version '$v', OOMLENS_VERSION '$version'"; fi
done

# The DKMS source: what the tree has, nothing else.
dpkg-deb -c "$dkms_deb" | awk '{ print $6 }' | sed -n "s|^\./usr/src/oomlens-$version/||p" |
	grep -v '/$' | grep -v '^$' | sort >"$tmp/packaged"
git ls-files dkms.conf Makefile Kbuild module include | sort >"$tmp/tracked"
if cmp -s "$tmp/packaged" "$tmp/tracked"; then
	ok "oomlens-dkms: /usr/src/oomlens-$version holds the DKMS source ($(wc -l <"$tmp/tracked") files)"
else
	fail "oomlens-dkms: the DKMS source differs from the tree (- tree, + package)" "$(diff "$tmp/tracked" "$tmp/packaged" || true)"
fi
x=$tmp/x
dpkg-deb -x "$dkms_deb" "$x"
if [ "$(grep -v '^#' "$x/usr/lib/modules-load.d/oomlens.conf" 2>/dev/null)" = oomlens ]; then
	ok "oomlens-dkms: /usr/lib/modules-load.d/oomlens.conf loads oomlens at boot"
else
	fail "oomlens-dkms: no modules-load.d entry for oomlens"
fi
if dpkg-deb -f "$dkms_deb" Depends | grep -q 'dkms' &&
	dpkg-deb --ctrl-tarfile "$dkms_deb" | tar -xO ./postinst | grep -q 'common.postinst'; then
	ok "oomlens-dkms: depends on dkms; its postinst has DKMS build and install it"
else
	fail "oomlens-dkms: no dkms dependency or postinst"
fi
if cmp -s dkms.conf "$x/usr/src/oomlens-$version/dkms.conf"; then
	ok "oomlens-dkms: dkms.conf is the tree's"
else
	fail "oomlens-dkms: dkms.conf differs from the tree's"
fi

r=$tmp/r
dpkg-deb -x "$reader_deb" "$r"
missing=""
for f in usr/sbin/oomlens usr/share/man/man8/oomlens.8.gz usr/share/bash-completion/completions/oomlens \
	lib/systemd/system/oomlens-export.service lib/systemd/system/oomlens-export.timer \
	lib/systemd/system/oomlens-record.service \
	usr/share/oomlens/oomlens-alerts.yml; do
	[ -s "$r/$f" ] || missing="$missing /$f"
done
if [ -z "$missing" ]; then ok "oomlens: the reader, its man page, bash completion, export and record units, alert rules"; else fail "oomlens: missing$missing"; fi
dpkg-deb --ctrl-tarfile "$reader_deb" | tar -xO ./postinst >"$tmp/postinst"
if grep -q "deb-systemd-helper enable 'oomlens-export.timer'" "$tmp/postinst" &&
	grep -q "deb-systemd-helper enable 'oomlens-record.service'" "$tmp/postinst"; then
	ok "oomlens: its postinst enables oomlens-export.timer and oomlens-record.service"
else
	fail "oomlens: the timer or the recorder is not enabled at install" "$(grep enable "$tmp/postinst")"
fi
# The host has no /usr/sbin/oomlens (nothing is installed): that is the
# one complaint allowed.
systemd-analyze verify --man=no "$r/lib/systemd/system/oomlens-export.timer" \
	"$r/lib/systemd/system/oomlens-export.service" \
	"$r/lib/systemd/system/oomlens-record.service" >"$tmp/verify.log" 2>&1 || true
if ! grep -v 'Command /usr/sbin/oomlens is not executable' "$tmp/verify.log" | grep -q .; then
	ok "oomlens: systemd-analyze verify accepts the units"
else
	fail "oomlens: systemd-analyze verify" "$(cat "$tmp/verify.log")"
fi
if "$r/usr/sbin/oomlens" --help | grep -q '^Usage: oomlens'; then ok "oomlens: the packaged reader runs"; else fail "oomlens: the packaged reader does not run"; fi

changes=$(ls "$out"/oomlens_"$version"_*.changes)
rc=0
lintian --pedantic -I --fail-on error,warning "$changes" >"$tmp/lintian.txt" 2>&1 || rc=$?
grep -v 'running with root privileges' "$tmp/lintian.txt" >"$tmp/lintian.tags" || true
if [ "$rc" = 0 ]; then
	ok "lintian: no error, no warning ($(wc -l <"$tmp/lintian.tags") info or pedantic tags)"
	_ktap_diag "$(cat "$tmp/lintian.tags")"
else
	fail "lintian (exit $rc)" "$(cat "$tmp/lintian.tags")"
fi
finish
