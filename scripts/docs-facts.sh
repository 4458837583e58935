#!/bin/sh
# The README split into docs/ loses nothing and says nothing twice: every
# non-blank line of README.md at REV (default: the commit before the split)
# stands in exactly one of README.md and docs/*.md now. Prints the lines
# that stand nowhere (lost) or twice; exit 1 if any.
#   sh scripts/docs-facts.sh [REV]
set -u
rev=${1:-HEAD}
cd "$(dirname "$0")/.."
old=$(mktemp) new=$(mktemp)
trap 'rm -f "$old" "$new"' EXIT
git show "$rev:README.md" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | grep -v '^$' |
	grep -v '^#' | grep -v '^```' | grep -v '^|---' >"$old"
cat README.md docs/*.md | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | sort >"$new"
bad=0
while IFS= read -r line; do
	n=$(grep -cxF -- "$line" "$new")
	if [ "$n" -ne 1 ]; then
		echo "$n× $line"
		bad=1
	fi
done <"$old"
exit $bad
