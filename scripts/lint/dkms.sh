#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: dkms.conf works.  "dkms add" and "dkms build" for every test
# kernel, in a private DKMS tree under build/dkms/ (--dkmstree,
# --sourcetree) against the headers make deps unpacked into the cache
# (--kernelsourcedir): nothing is registered in /var/lib/dkms, nothing is
# installed into /lib/modules, nothing is loaded.  The module is signed with
# a throw-away key made in build/dkms/ (dkms makes one if missing), never
# with the host's MOK.  Also: PACKAGE_VERSION equals OOMLENS_VERSION.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../host-test-lib.sh"

# What a DKMS source directory holds (Documentation/admin-guide.rst shows
# the same list).
DKMS_FILES="dkms.conf Makefile Kbuild module include"

conf_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
abi_version=$(sed -n 's/^#define OOMLENS_VERSION[[:space:]]*"\(.*\)"$/\1/p' include/oomlens_abi.h)
if [ -n "$conf_version" ] && [ "$conf_version" = "$abi_version" ]; then
	ok "dkms.conf PACKAGE_VERSION $conf_version = OOMLENS_VERSION"
else
	fail "dkms.conf PACKAGE_VERSION" "'$conf_version' differs from OOMLENS_VERSION '$abi_version'"
fi

need dkms "dkms is not installed: run 'make deps'"
kernels=$(test_kernels) || bail dkms "test kernels not installed"

base=$top/build/dkms
rm -rf "$base"
mkdir -p "$base/tree" "$base/src/oomlens-$conf_version"
# shellcheck disable=SC2086
cp -a $DKMS_FILES "$base/src/oomlens-$conf_version/"
# Signing: our own key, in our own tree (dkms reads these from the
# environment when /etc/dkms/framework.conf does not set them).
export mok_signing_key="$base/mok.key" mok_certificate="$base/mok.pub"
d=(dkms --dkmstree "$base/tree" --sourcetree "$base/src")

if "${d[@]}" add -m oomlens -v "$conf_version" >"$base/add.log" 2>&1; then
	ok "dkms add"
else
	show "$base/add.log"
	bail "dkms add"
fi

for kver in $kernels; do
	log="$base/build-$kver.log"
	kdir=$(scripts/kernels.sh --kdir "$kver")
	# dkms looks for sign-file under /lib/modules and /usr/lib, where
	# an unpacked kernel is not: name the one of its headers.
	rc=0
	sign_file=$kdir/scripts/sign-file "${d[@]}" build -m oomlens -v "$conf_version" \
		-k "$kver" --kernelsourcedir "$kdir" >"$log" 2>&1 || rc=$?
	ko=$(find "$base/tree/oomlens/$conf_version/$kver" -name 'oomlens.ko*' 2>/dev/null | head -n 1 || true)
	make_log="$base/tree/oomlens/$conf_version/$kver/x86_64/log/make.log"
	if [ "$rc" != 0 ] || [ -z "$ko" ]; then
		fail "dkms build $kver" "exit $rc"
		show "$log"
		[ -f "$make_log" ] && show "$make_log"
		continue
	fi
	vermagic=$(/sbin/modinfo -F vermagic "$ko" | cut -d" " -f1 || true)
	version=$(/sbin/modinfo -F version "$ko" || true)
	signer=$(/sbin/modinfo -F signer "$ko" || true)
	if [ "$vermagic" != "$kver" ] || [ "$version" != "$conf_version" ]; then
		fail "dkms build $kver" "built for '$vermagic' version '$version'"
	elif [ "$signer" != "DKMS module signing key" ]; then
		fail "dkms build $kver" "not signed with the build/dkms key (signer '$signer')"
		show "$log"
	else
		ok "dkms build $kver"
	fi
done
finish
