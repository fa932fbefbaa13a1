# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
#
# Sourced (POSIX sh) by the scripts that use the project's cache: the test
# kernels unpacked by make deps, the tools taken out of packages that would
# start a service, and the debug kernel.  Nothing in the cache is installed:
# no file under /boot or /lib/modules, no package in dpkg's database.
#
#   OOMLENS_CACHE      the cache (default /var/cache/oomlens; make
#                      distclean-cache removes it)
#   kcache             $OOMLENS_CACHE/kernels: one directory per unpacked
#                      kernel image package and version, and one symbolic
#                      link per alias (6.1, 6.12) to the current one
#   kernel_meta ALIAS  the Debian metapackage an alias follows
#   KERNEL_ALIASES     the aliases make deps unpacks (KERNEL_ALIASES_EXTRA:
#                      more that kernel_meta knows, unpacked on demand)
#
# $OOMLENS_CACHE/bin comes first in PATH (promtool lives there).

OOMLENS_CACHE=${OOMLENS_CACHE:-/var/cache/oomlens}
# shellcheck disable=SC2034 # used by the scripts that source this
kcache=$OOMLENS_CACHE/kernels
# shellcheck disable=SC2034
KERNEL_ALIASES="6.1 6.12"
# Known, unpacked on demand (scripts/unpack.sh kernel 6.12-rt), not by make
# deps: the PREEMPT_RT and cloud flavours.
# shellcheck disable=SC2034
KERNEL_ALIASES_EXTRA="6.1-rt 6.12-rt 6.1-cloud 6.12-cloud"
case ":$PATH:" in
*":$OOMLENS_CACHE/bin:"*) ;;
*) PATH=$OOMLENS_CACHE/bin:$PATH ;;
esac
export OOMLENS_CACHE PATH

kernel_meta() {
	case "$1" in
	6.1) echo linux-image-amd64 ;;
	6.12) echo linux-image-6.12-amd64 ;;
	6.12-rt) echo linux-image-6.12-rt-amd64 ;;
	6.1-rt) echo linux-image-rt-amd64 ;;
	6.1-cloud) echo linux-image-cloud-amd64 ;;
	6.12-cloud) echo linux-image-6.12-cloud-amd64 ;;
	*) return 1 ;;
	esac
}
