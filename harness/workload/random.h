// Deterministic random numbers for workloads: a Boost.Random Mersenne Twister (a fixed
// algorithm) with our own conversions to integers and reals, and the block-choice
// distributions of fio's random_distribution. No std:: distributions (their output differs
// between standard libraries).
#pragma once

#include <cstdint>
#include <string_view>

#include <boost/random/mersenne_twister.hpp>

namespace nvmesim::harness {

class RandomSource {
 public:
  explicit RandomSource(uint64_t seed) : engine_(seed) {}
  uint64_t Next64() { return engine_(); }
  // Uniform in [0, n), unbiased (Lemire's multiply-and-reject); n > 0.
  uint64_t Uniform(uint64_t n);
  // Uniform in [0, 1) with 53 random bits.
  double UnitReal() { return static_cast<double>(Next64() >> 11) * 0x1.0p-53; }
  // Standard normal (Box-Muller, both values used).
  double Normal();

 private:
  boost::random::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0;
};

// Seeds for the instances of a job: a stable mix of the run seed, the job name and the index
// (numjobs copies, or the i-th [[job]]). FNV-1a over the name, then SplitMix64 finalisation.
uint64_t DeriveSeed(uint64_t run_seed, std::string_view job_name, uint64_t index);

// Zipf over ranks [0, n) with exponent theta (> 0, != 1), by Gray et al., "Quickly generating
// billion-record synthetic databases" (SIGMOD 1994) - the method fio uses. P(rank 0)/P(rank 1)
// is 2^theta. zeta(n) is summed exactly up to 10 million terms; beyond that the tail is the
// integral of x^-theta (relative error below 1e-6 for the normalisation).
class ZipfSampler {
 public:
  ZipfSampler(uint64_t n, double theta);
  uint64_t Sample(RandomSource& rng) const;
  double zeta_n() const { return zeta_n_; }

 private:
  uint64_t n_;
  double theta_, alpha_, zeta_n_, eta_, half_pow_theta_;
};

// fio's pareto:h - rank = (n-1) * u^(log(h)/log(1-h)): the lowest h fraction of the ranks gets
// a (1-h) share of the accesses (h = 0.2 gives the 80/20 rule).
class ParetoSampler {
 public:
  ParetoSampler(uint64_t n, double h);
  uint64_t Sample(RandomSource& rng) const;

 private:
  uint64_t n_;
  double power_;
};

// normal:σ - centred on the middle of the range, standard deviation σ percent of the range,
// draws outside the range are redrawn.
class NormalSampler {
 public:
  NormalSampler(uint64_t n, double sigma_percent);
  uint64_t Sample(RandomSource& rng) const;

 private:
  uint64_t n_;
  double mean_, stddev_;
};

// A bijection of [0, n) (rank -> block) that scatters the hot ranks of zipf/pareto over the
// region, as fio hashes them: block = (rank * m + c) mod n with gcd(m, n) = 1.
class Scatter {
 public:
  Scatter(uint64_t n, uint64_t seed);
  uint64_t operator()(uint64_t rank) const;

 private:
  uint64_t n_, m_, c_;
};

}  // namespace nvmesim::harness
