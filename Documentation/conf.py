# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration for the oomlens documentation.  Only what Debian's
# python3-sphinx ships: no extension, a built-in theme.  Built by
# "make docs" into build/docs/, and with -W (warnings are errors) by
# "make check" (scripts/lint/docs.sh).

import re
import os

_abi = os.path.join(os.path.dirname(__file__), '..', 'include', 'oomlens_abi.h')
with open(_abi) as f:
    release = re.search(r'#define OOMLENS_VERSION\s+"([^"]+)"', f.read()).group(1)
version = release

project = 'oomlens'
copyright = 'oomlens developers, GPL-2.0'
root_doc = 'index'
extensions = []
exclude_patterns = []
highlight_language = 'none'
html_theme = 'classic'
html_show_sourcelink = False

# The reader's man page, oomlens(8): "make man" renders it into build/man/.
man_pages = [('oomlens', 'oomlens',
              "explain the OOM killer's badness, commit accounting and OOM kills",
              ['oomlens developers'], 8)]
