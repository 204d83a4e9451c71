#!/usr/bin/env bash
# nvmesim mgmt end to end: one namespace option (-n, --namespace-id, --nsid) reaches the
# zoned-namespace commands, a namespace they cannot act on is refused by name, usage errors
# exit 2 and a failing command 1; the top-level --help and --version exit 0.
set -uo pipefail
nvmesim="$1"
scenario=harness/testdata/conventional_and_zoned.toml  # nsid 1 conventional, nsid 2 zoned
out="${TEST_TMPDIR:-/tmp}/mgmt_e2e"
rm -rf "$out" && mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }

for spelling in "-n 2" "--namespace-id 2" "--nsid 2" "--namespace-id 0x2"; do
  # shellcheck disable=SC2086
  "$nvmesim" mgmt "$scenario" nvme-zns-info $spelling --state empty >"$out/info" 2>&1
  rc=$?
  ((rc == 0)) || fail "nvme-zns-info $spelling: exit $rc: $(cat "$out/info")"
  grep -q "Identify Namespace (nsid 2)" "$out/info" || fail "$spelling: $(cat "$out/info")"
  grep -q "nr_zones: 16" "$out/info" || fail "$spelling: not 16 empty zones: $(cat "$out/info")"
done

# A namespace the command cannot act on is a bad option value: exit 2, nothing sent.
"$nvmesim" mgmt "$scenario" nvme-zns-info >"$out/refused" 2>&1
(($? == 2)) || fail "nvme-zns-info on the conventional namespace 1 was not refused"
grep -q "namespace 1 is not zoned (command set 0); zoned namespaces here: 2" "$out/refused" ||
  fail "nsid 1: $(cat "$out/refused")"
"$nvmesim" mgmt "$scenario" nvme-zns-info -n 3 >"$out/refused" 2>&1
(($? == 2)) || fail "nvme-zns-info on the absent namespace 3 was not refused"
grep -q "no namespace 3 on this controller" "$out/refused" || fail "nsid 3: $(cat "$out/refused")"
"$nvmesim" mgmt "$scenario" nvme-zns-delete --nsid 1 >"$out/refused" 2>&1
(($? == 2)) || fail "nvme-zns-delete of the conventional namespace was not refused"
grep -q "nvme-zns-delete: namespace 1 is not zoned" "$out/refused" ||
  fail "delete nsid 1: $(cat "$out/refused")"
grep -q "delete-ns" "$out/refused" && fail "a refused delete still sent Namespace Management"

# Usage errors exit 2 like every other input error: the option is given once, under any of
# its names, and holds 32 bits.
"$nvmesim" mgmt "$scenario" nvme-zns-info -n 2 --nsid 1 >"$out/bad" 2>&1
(($? == 2)) || fail "two namespace ids: not exit 2: $(cat "$out/bad")"
"$nvmesim" mgmt "$scenario" nvme-zns-info -n 4294967296 >"$out/bad" 2>&1
(($? == 2)) || fail "a namespace id of 2^32: not exit 2: $(cat "$out/bad")"
grep -q -- "--namespace-id" "$out/bad" || fail "2^32: the error does not name the option"
"$nvmesim" mgmt "$scenario" nvme-zns-info --no-such-option >"$out/bad" 2>&1
(($? == 2)) || fail "an unknown option: not exit 2"
"$nvmesim" --help >"$out/help" 2>&1 || fail "--help did not exit 0"
"$nvmesim" --version >"$out/version" 2>&1 || fail "--version did not exit 0"
grep -Eq "^nvmesim [0-9]+\.[0-9]+\.[0-9]+$" "$out/version" || fail "--version: $(cat "$out/version")"
"$nvmesim" mgmt "$scenario" admin-passthru --opcode 6 --data-len 4096 --read --write >"$out/bad" 2>&1
(($? == 2)) || fail "--read --write: not exit 2: $(cat "$out/bad")"
grep -q "admin-passthru: --read and --write are exclusive" "$out/bad" || fail "$(cat "$out/bad")"
"$nvmesim" mgmt "$scenario" nvme-multipath-failover --path nvme9 >"$out/bad" 2>&1
(($? == 2)) || fail "an unknown path: not exit 2: $(cat "$out/bad")"
grep -q "nvme-multipath-failover: no multipath namespace has a path named 'nvme9'" "$out/bad" ||
  fail "unknown path: $(cat "$out/bad")"
for missing in "nvme-zns-create:--blocks is required" "nvme-multipath-failover:--path is required"; do
  "$nvmesim" mgmt "$scenario" "${missing%%:*}" >"$out/bad" 2>&1
  (($? == 2)) || fail "${missing%%:*} without its option: not exit 2: $(cat "$out/bad")"
  grep -q -- "${missing#*:}" "$out/bad" || fail "${missing%%:*}: $(cat "$out/bad")"
done
# A command the device fails exits 1 with its status: Identify with an unknown CNS.
"$nvmesim" mgmt "$scenario" admin-passthru --opcode 6 --cdw10 0xfe --data-len 4096 --read \
  >"$out/failed" 2>&1
(($? == 1)) || fail "a failing Identify: not exit 1: $(cat "$out/failed")"
grep -q "NVMe status: Invalid Field in Command" "$out/failed" || fail "$(cat "$out/failed")"
echo "PASS"
