# Sourced by the C differential guests' tests whose Linux side is a known
# answer kept in the script (test_mapsize.sh, test_openers.sh).
#
# known_ok NAME RC KNOWN GOT AS: passes when the guest exited 0 and printed
# KNOWN; else prints the difference and exits 1. AS says what the answer is.
known_ok() {
	if [ "$2" != 0 ] || ! diff -u "$3" "$4" > "$4.diff"; then
		echo "FAIL: $1 under ukcov (exit $2) differs from $5:"
		sed 's/^/    /' "$4.diff"
		exit 1
	fi
	echo "ok   $1: $(wc -l < "$4") lines as $5"
}
