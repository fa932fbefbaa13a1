#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The C files the clang-format gate checks and "make format" rewrites: every
# *.c and *.h under module/, include/, userspace/ and selftests/.
set -euo pipefail
cd "$(dirname "$0")/.."
find module include userspace selftests -type f -name '*.[ch]' | sort
