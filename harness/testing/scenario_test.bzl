"""Scenario files as Bazel test targets."""

def nvmesim_scenario_test(name, scenarios, seeds = 1, first_seed = 0, determinism = False,
                          expect_fail = False, fidelity = None, shard_count = None,
                          size = "medium", **kwargs):
    """Runs scenario files, each (scenario, seed) in its own process.

    Args:
      name: target name.
      scenarios: scenario files (labels).
      seeds: how many seeds to sweep (first_seed, first_seed + 1, ...); 1 = the scenario's own.
      first_seed: the first seed of a sweep.
      determinism: run each twice and require the same trace hash.
      expect_fail: the scenarios must fail (a check of the checker).
      fidelity: override the scenarios' fidelity ("functional", "approximate", "cycle").
      shard_count: spread the (scenario, seed) items over this many shards.
      size: test size.
      **kwargs: passed to native.cc_test.
    """
    args = []
    if seeds != 1:
        args += ["--seeds", str(seeds), "--first-seed", str(first_seed)]
    if determinism:
        args.append("--determinism")
    if expect_fail:
        args.append("--expect-fail")
    if fidelity:
        args += ["--fidelity", fidelity]
    args += ["$(location %s)" % s for s in scenarios]
    native.cc_test(
        name = name,
        srcs = ["//harness/testing:scenario_test_main.cc"],
        deps = ["//harness/testing:scenario_test_lib"],
        data = scenarios + kwargs.pop("data", []),
        args = args,
        shard_count = shard_count,
        size = size,
        **kwargs
    )
