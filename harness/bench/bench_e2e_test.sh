#!/usr/bin/env bash
# nvmesim bench end to end: preconditioning on a small device, the time series and the
# preconditioning summary in text and JSON, the plot files, and option errors.
set -uo pipefail
nvmesim="$1"
out="${TEST_TMPDIR:-/tmp}/bench_e2e"
rm -rf "$out" && mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }

"$nvmesim" bench harness/bench/testdata/qd4.fio --profile harness/bench/testdata/small.toml \
  --size 25MiB --precondition --interval 1ms --json "$out/r.json" --plot "$out/plots" \
  >"$out/stdout" 2>"$out/stderr"
rc=$?
grep -q "steady state reached" "$out/stdout" || fail "no steady state line: $(cat "$out/stdout")"
grep -q "<- knee" "$out/stdout" || fail "no knee in the text"
grep -q "^Time series" "$out/stdout" || fail "no time series in the text"
for key in '"time_series"' '"precondition"' '"steady_state"' '"fob_iops"' \
           '"gc_relocated_units"' '"link_up_utilisation"' '"write_amplification"' '"jobs"'; do
  grep -q "$key" "$out/r.json" || fail "JSON lacks $key"
done
for f in latency_cdf.dat iops.dat bench.gp; do
  [[ -s "$out/plots/$f" ]] || fail "plot file $f missing"
done
if command -v gnuplot >/dev/null; then
  ((rc == 0)) || fail "exit $rc with gnuplot installed: $(cat "$out/stderr")"
  grep -q "<svg" "$out/plots/iops.svg" || fail "iops.svg is not SVG"
  grep -q "<svg" "$out/plots/latency_cdf.svg" || fail "latency_cdf.svg is not SVG"
else
  ((rc == 1)) || fail "exit $rc without gnuplot"
  grep -q "gnuplot-nox" "$out/stderr" || fail "the error does not name gnuplot-nox"
fi

# Bad options: exit 2 and an error naming the option.
"$nvmesim" bench harness/bench/testdata/qd4.fio --profile harness/bench/testdata/small.toml \
  --interval 10 >"$out/bad" 2>&1
(($? == 2)) || fail "--interval 10 was accepted"
grep -q -- "--interval" "$out/bad" || fail "the error does not name --interval: $(cat "$out/bad")"
"$nvmesim" bench harness/bench/testdata/qd4.fio --profile harness/bench/testdata/small.toml \
  --size 1GiB >"$out/bad" 2>&1
(($? == 2)) || fail "a namespace larger than the media was accepted"
grep -q -- "--size" "$out/bad" || fail "the error does not name --size: $(cat "$out/bad")"
grep -q "Run status" "$out/bad" && fail "a refused bench printed a summary: $(cat "$out/bad")"
# Numbers are decimal or 0x hex: a sign would wrap, a leading zero would read as octal.
for bad in "--seed -1" "--precondition-qd 010"; do
  # shellcheck disable=SC2086
  "$nvmesim" bench harness/bench/testdata/qd4.fio --profile harness/bench/testdata/small.toml \
    $bad >"$out/bad" 2>&1
  rc=$?
  ((rc != 0)) || fail "$bad was accepted"
  grep -q -- "${bad%% *}: expected a whole number" "$out/bad" || fail "$bad: $(cat "$out/bad")"
done
"$nvmesim" run scenarios/default.toml --seed -3 >"$out/bad" 2>&1 && fail "run --seed -3 was accepted"
grep -q -- "--seed: expected a whole number" "$out/bad" || fail "run --seed -3: $(cat "$out/bad")"
# Output files are checked before the run, not after it.
"$nvmesim" run scenarios/default.toml --json "$out/no_such_dir/r.json" >"$out/bad" 2>&1 &&
  fail "an unwritable --json was accepted"
grep -q -- "--json: directory" "$out/bad" || fail "--json: $(cat "$out/bad")"
grep -q "simulated" "$out/bad" && fail "the run went ahead before the --json error"
sed 's/^channels = .*/channels = 0/' harness/bench/testdata/small.toml >"$out/bad_profile.toml"
# A profile that does not load is --profile's error, at its file and line, before anything runs.
"$nvmesim" bench harness/bench/testdata/qd4.fio --profile "$out/bad_profile.toml" >"$out/bad" 2>&1
rc=$?
((rc == 2)) || fail "bench with a bad profile: exit $rc, not 2: $(cat "$out/bad")"
grep -q "nvmesim bench: --profile .*bad_profile.toml:[0-9]*: nand.channels: 0 is not 1..64" \
  "$out/bad" || fail "bench --profile: $(cat "$out/bad")"
# A scenario whose profile file is wrong is refused before the run, by run, check and mgmt alike.
cat >"$out/bad_profile_scenario.toml" <<'TOML'
[scenario]
name = "bad-profile"
[[controller]]
name = "ctrl0"
profile = "bad_profile.toml"
[[namespace]]
name = "ns1"
size = "16MiB"
TOML
for cmd in run check mgmt; do
  extra=()
  [[ $cmd == mgmt ]] && extra=(nvme-advanced-stats)
  "$nvmesim" "$cmd" "$out/bad_profile_scenario.toml" "${extra[@]}" >"$out/bad" 2>&1
  rc=$?
  ((rc == 2)) || fail "$cmd with a bad profile: exit $rc, not 2: $(cat "$out/bad")"
  grep -q "bad_profile.toml:[0-9]*: nand.channels: 0 is not 1..64" "$out/bad" ||
    fail "$cmd: the error does not name the profile's field: $(cat "$out/bad")"
  grep -q "Run status" "$out/bad" && fail "$cmd printed a summary for a refused scenario"
done
echo "PASS"
