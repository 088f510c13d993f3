#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh: the CNI plugin's tests that need no module and no privileges:
# the unit tests (test/unit.c, under ASan and UBSan) and the binary's
# answers to VERSION and to what it refuses before touching a namespace.
# Each case is a result of stage "cni"; exit status 1 if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../testing/lib.sh"
stage=cni
rm -f "$VMGW_RESULTS/$stage.res"
plugin=$here/../vmgw

if ! make -s -C "$here/.." vmgw test/unit > /dev/null; then
	result $stage "the plugin and its unit tests build" fail
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

# cli NAME STATUS EXPECTED CONF VAR=VALUE...: exit status and exact stdout
# of the plugin with CONF on stdin and only the given environment (and
# PATH); stderr is not part of the answer.
cli() {
	local name=$1 want_rc=$2 want=$3 conf=$4 got got_rc
	shift 4
	got=$(printf '%s' "$conf" | env -i PATH="$PATH" "$@" "$plugin" 2> /dev/null)
	got_rc=$?
	if [ "$got_rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
		result $stage "$name" pass
	else
		echo "vmgw $*: exit $got_rc, said: $got"
		echo "  want exit $want_rc: $want"
		result $stage "$name" fail
		rc=1
	fi
}

env=(CNI_CONTAINERID=c1 CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni)
conf='{"cniVersion": "1.0.0", "name": "podnet", "type": "vmgw"}'
prev='"prevResult": {"interfaces": [{"name": "eth0", "sandbox": "/nonexistent/ns"}], "ips": [{"address": "10.88.0.5/16"}]}'
cli "VERSION" 0 '{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}' \
	'{"cniVersion": "1.0.0"}' CNI_COMMAND=VERSION
cli "no CNI_COMMAND: code 4" 1 \
	'{"cniVersion":"1.0.0","code":4,"msg":"CNI_COMMAND is not set"}' "$conf"
cli "ADD without CNI_NETNS: code 4" 1 \
	'{"cniVersion":"1.0.0","code":4,"msg":"CNI_NETNS is not set"}' "$conf" \
	CNI_COMMAND=ADD "${env[@]}"
cli "ADD without prevResult: code 7" 1 \
	'{"cniVersion":"1.0.0","code":7,"msg":"prevResult is required: chain vmgw after the pod'"'"'s primary plugin"}' \
	"$conf" CNI_COMMAND=ADD CNI_NETNS=/nonexistent/ns "${env[@]}"
cli "ADD in a namespace that does not exist: code 3" 1 \
	'{"cniVersion":"1.0.0","code":3,"msg":"netns /nonexistent/ns: No such file or directory"}' \
	"${conf%\}}, $prev}" CNI_COMMAND=ADD CNI_NETNS=/nonexistent/ns "${env[@]}"
cli "CHECK in a namespace that does not exist: code 3" 1 \
	'{"cniVersion":"1.0.0","code":3,"msg":"netns /nonexistent/ns: No such file or directory"}' \
	"${conf%\}}, $prev}" CNI_COMMAND=CHECK CNI_NETNS=/nonexistent/ns "${env[@]}"
cli "DEL in a namespace that does not exist: success, no output" 0 "" \
	"$conf" CNI_COMMAND=DEL CNI_NETNS=/nonexistent/ns "${env[@]}"
cli "DEL without CNI_NETNS: success, no output" 0 "" \
	"$conf" CNI_COMMAND=DEL "${env[@]}"
cli "not JSON: code 6" 1 \
	'{"cniVersion":"1.0.0","code":6,"msg":"the network configuration is not JSON: unexpected end of data"}' \
	'{"cniVersion": ' CNI_COMMAND=DEL "${env[@]}"
exit $rc
