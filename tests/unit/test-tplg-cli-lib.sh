# Sourced by the tplg command-line tests (test-tplg-cli.sh, test-tplg-ipc-cli.sh): a scratch
# directory removed on exit, failure counting, and running a command for its exit code.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# expect_rc WANT CMD...: run CMD, keep its output in $work/out and $work/err.
expect_rc() {
	want=$1
	shift
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	[ "$rc" -eq "$want" ] || fail "'$*' exited $rc, want $want: $(head -c 300 "$work/err")"
}

# finish MESSAGE: exit 1 if anything failed, else print MESSAGE.
finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures failure(s)"
		exit 1
	fi
	echo "$1"
}
