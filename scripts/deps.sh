#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages oomlens needs to build and test, only those
# missing.  Idempotent: a second run installs nothing and makes no network
# access.
set -eu

PKGS="
build-essential
make
gcc
libc6-dev
kmod
cpio
gzip
xz-utils
busybox-static
jq
prometheus
bc
bison
flex
libelf-dev
libssl-dev
qemu-system-x86
linux-image-amd64
linux-headers-amd64
linux-image-6.12-amd64
linux-headers-6.12-amd64
linux-source-6.12
perl
sparse
clang-format
clang
libclang-rt-14-dev
python3-sphinx
dkms
openssl
"

missing=""
for p in $PKGS; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing; run 'make deps' as root" >&2
	exit 1
fi

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
