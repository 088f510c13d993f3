#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh: vmgwctl's tests that need no module and no privileges: the unit
# tests (test/unit.c), its attribute tables against the spec, and the
# command line behaviour of the binary (help, usage errors, exit status).
# Each case is a result of stage "vmgwctl"; exit status 1 if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../testing/lib.sh"
stage=vmgwctl
rm -f "$VMGW_RESULTS/$stage.res"
tool=$here/../vmgwctl

if ! make -s -C "$here/.." vmgwctl test/unit > /dev/null; then
	result $stage "vmgwctl and its unit tests build" fail
	exit 1
fi

rc=0
# "ok NAME" / "not ok NAME: why" per unit test.
out=$("$here/unit")
[ $? -eq 0 ] || rc=1
while IFS= read -r line; do
	case $line in
	"ok "*) result $stage "${line#ok }" pass ;;
	"not ok "*) echo "$line"; result $stage "${line#not ok }" fail ;;
	esac
done <<< "$out"
# Every run() of unit.c's main() reports: a crash half way is a failure.
want=$(grep -c '^[[:space:]]*run("' "$here/unit.c")
got=$(grep -cE '^(ok|not ok) ' <<< "$out")
if [ "$got" -eq "$want" ]; then
	result $stage "unit: all $want cases reported" pass
else
	result $stage "unit: all $want cases reported (got $got)" fail
	rc=1
fi

# Debian's python3 has the yaml module "make deps" installs; a python3
# earlier in PATH (pyenv, venv) may not.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if out=$("$here/unit" --names | "$py" "$here/spec-names.py" \
		"$VMGW_ROOT/Documentation/netlink/specs/vmgw.yaml"); then
	result $stage "attribute names match the spec" pass
else
	echo "$out"
	result $stage "attribute names match the spec" fail
	rc=1
fi

# cli NAME STATUS EXPECTED ARGS...: exit status and exact output (both
# streams) of vmgwctl ARGS.
cli() {
	local name=$1 want_rc=$2 want=$3 got got_rc
	shift 3
	got=$("$tool" "$@" 2>&1)
	got_rc=$?
	if [ "$got_rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
		result $stage "$name" pass
	else
		echo "vmgwctl $*: exit $got_rc, said: $got"
		echo "  want exit $want_rc: $want"
		result $stage "$name" fail
		rc=1
	fi
}

help=$("$tool" --help)
if [ $? -eq 0 ] && [ "$(echo "$help" | head -n 1)" = "Usage: vmgwctl [OPTIONS] OBJECT COMMAND [ARGUMENTS]" ] &&
		[ "$("$tool" help)" = "$help" ] && [ "$("$tool" -h)" = "$help" ]; then
	result $stage "--help, -h and help print the usage, exit 0" pass
else
	result $stage "--help, -h and help print the usage, exit 0" fail
	rc=1
fi
cli "no object: usage error" 2 \
	"vmgwctl: vmgwctl: an object is required (see vmgwctl --help)"
cli "unknown object" 2 "vmgwctl: unknown object 'route' (see vmgwctl --help)" route
cli "unknown option" 2 "vmgwctl: bad option '--frobnicate' (see vmgwctl --help)" --frobnicate
cli "option without its value" 2 "vmgwctl: bad option '-n' (see vmgwctl --help)" -n
cli "dev: unknown command" 2 \
	"vmgwctl: dev: command must be add, del, show or set (see vmgwctl --help)" dev list
cli "dev set: no device" 2 \
	"vmgwctl: dev set: a device name is required (see vmgwctl --help)" dev set
cli "dev set: not a number" 2 \
	"vmgwctl: dev set: h2g-ring: '-5' is not a number (see vmgwctl --help)" \
	dev set vmgw0 h2g-ring -5
cli "rule add: bad CIDR" 2 \
	"vmgwctl: rule add: 'fd00::/129' is not an address prefix (ADDR[/LEN]) (see vmgwctl --help)" \
	rule add vmgw0 deny fd00::/129
cli "flow: only show" 2 "vmgwctl: flow: command must be show (see vmgwctl --help)" flow del
cli "run: VMM required" 2 \
	"vmgwctl: run: '-- VMM [ARGS...]' is required (see vmgwctl --help)" run sb vmgw0
cli "stream: --listen required" 2 \
	"vmgwctl: stream: --listen PATH is required (see vmgwctl --help)" stream sb vmgw0
cli "-n: missing namespace" 1 \
	"Error: netns /nonexistent/ns: No such file or directory" -n /nonexistent/ns dev show
cli "run: missing namespace" 1 \
	"Error: netns /nonexistent/ns: No such file or directory" \
	run /nonexistent/ns vmgw0 -- true
cli "up: namespace and device required" 2 \
	"vmgwctl: up: a namespace and a device name are required (see vmgwctl --help)" up sb
cli "up: namespace name too long for the veth" 2 \
	"vmgwctl: up: namespace name 'sandbox1234' is not 1 to 10 characters (see vmgwctl --help)" \
	up sandbox1234 vmgw0
cli "up: namespace name with a path" 2 \
	"vmgwctl: up: namespace name '../x': only letters, digits, '_' and '-' (see vmgwctl --help)" \
	up ../x vmgw0
cli "up: --ipv4 without a prefix length" 2 \
	"vmgwctl: up: ipv4: '10.0.2.2' is not an IPv4 address with a prefix length (see vmgwctl --help)" \
	up sb vmgw0 --ipv4 10.0.2.2
cli "up: --ipv4 /31 leaves no room" 2 \
	"vmgwctl: up: ipv4: prefix length must be 8 to 30 (see vmgwctl --help)" \
	up sb vmgw0 --ipv4 10.0.2.2/31
cli "up: --ipv6 must be a /64" 2 \
	"vmgwctl: up: ipv6: prefix length must be 64 (see vmgwctl --help)" \
	up sb vmgw0 --ipv6 fd00::2/56
cli "up: --dns needs an address" 2 \
	"vmgwctl: up: dns: 'resolver' is not an address (see vmgwctl --help)" \
	up sb vmgw0 --dns resolver
cli "up: --dns at most 4" 2 \
	"vmgwctl: up: dns: at most 4 servers (see vmgwctl --help)" \
	up sb vmgw0 --dns 1.1.1.1 --dns 1.1.1.2 --dns 1.1.1.3 --dns 1.1.1.4 --dns 1.1.1.5
cli "up: option without its value" 2 \
	"vmgwctl: up: --ipv4: a value is required (see vmgwctl --help)" up sb vmgw0 --ipv4
cli "up: unknown option" 2 \
	"vmgwctl: up: unknown argument '--bridge' (see vmgwctl --help)" up sb vmgw0 --bridge
cli "down: takes no options" 2 \
	"vmgwctl: down: unknown argument '--uplink' (see vmgwctl --help)" down sb vmgw0 --uplink
cli "down: not up" 1 \
	"Error: down: nosuchns is not up (no /run/vmgw/nosuchns, no netns)" down nosuchns vmgw0
exit $rc
