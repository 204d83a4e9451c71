// main() for Google Benchmark binaries; an object file for the reason in gtest_main.cc.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
