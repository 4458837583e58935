#!/bin/sh
# Gets the upstream proot commit that integrations/proot/proot.patch is made
# for, into DIR (default ./proot-src), for `make proot PROOT_SRC=DIR`:
#   sh integrations/proot/fetch.sh [DIR]
# proot is GPL-2.0-or-later and is never committed to ukcov: only the patch
# (17 added lines in 3 of proot's files) and the extension are ours.
set -eu
PROOT_REPO=${PROOT_REPO:-https://github.com/proot-me/proot}
PROOT_COMMIT=5f780cba57ce7ce557a389e1572e0d30026fcbca   # "Add clone3." (after v5.4.0)
dir=${1:-proot-src}
if [ ! -d "$dir/.git" ]; then
	git clone -q "$PROOT_REPO" "$dir"
fi
git -C "$dir" fetch -q origin "$PROOT_COMMIT" 2>/dev/null || true
git -C "$dir" checkout -q "$PROOT_COMMIT"
echo "proot $PROOT_COMMIT in $dir: make proot PROOT_SRC=$dir"
