#include "harness/workload/random.h"

#include <cmath>
#include <numeric>

namespace nvmesim::harness {

uint64_t RandomSource::Uniform(uint64_t n) {
  unsigned __int128 m = static_cast<unsigned __int128>(Next64()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(Next64()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

double RandomSource::Normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1 = 0;
  do {
    u1 = UnitReal();
  } while (u1 == 0.0);
  double u2 = UnitReal();
  double r = std::sqrt(-2.0 * std::log(u1));
  double angle = 6.283185307179586 * u2;
  spare_ = r * std::sin(angle);
  has_spare_ = true;
  return r * std::cos(angle);
}

uint64_t DeriveSeed(uint64_t run_seed, std::string_view job_name, uint64_t index) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : job_name) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001B3ULL;
  }
  uint64_t z = run_seed ^ (h * 0x9E3779B97F4A7C15ULL) ^ (index * 0xD1B54A32D192ED03ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

namespace {

double Zeta(uint64_t n, double theta) {
  constexpr uint64_t kExactTerms = 10'000'000;
  uint64_t exact = n < kExactTerms ? n : kExactTerms;
  double sum = 0;
  for (uint64_t i = exact; i >= 1; --i) sum += std::pow(static_cast<double>(i), -theta);
  if (n > exact) {
    // Tail sum_{i=exact+1..n} i^-theta by the midpoint integral from exact+0.5 to n+0.5.
    double a = static_cast<double>(exact) + 0.5, b = static_cast<double>(n) + 0.5;
    sum += (std::pow(b, 1 - theta) - std::pow(a, 1 - theta)) / (1 - theta);
  }
  return sum;
}

}  // namespace

ZipfSampler::ZipfSampler(uint64_t n, double theta) : n_(n), theta_(theta) {
  alpha_ = 1.0 / (1.0 - theta_);
  zeta_n_ = Zeta(n_, theta_);
  double zeta2 = Zeta(n_ < 2 ? n_ : 2, theta_);
  half_pow_theta_ = std::pow(0.5, theta_);
  eta_ = n_ < 2 ? 0.0
                : (1.0 - std::pow(2.0 / static_cast<double>(n_), 1.0 - theta_)) /
                      (1.0 - zeta2 / zeta_n_);
}

uint64_t ZipfSampler::Sample(RandomSource& rng) const {
  double u = rng.UnitReal();
  double uz = u * zeta_n_;
  if (uz < 1.0 || n_ < 2) return 0;
  if (uz < 1.0 + half_pow_theta_) return 1;
  double v = static_cast<double>(n_) * std::pow(eta_ * u - eta_ + 1.0, alpha_);
  uint64_t r = v >= static_cast<double>(n_) ? n_ - 1 : static_cast<uint64_t>(v);
  return r < 2 ? 2 % n_ : r;  // ranks 0 and 1 are decided above
}

ParetoSampler::ParetoSampler(uint64_t n, double h)
    : n_(n), power_(std::log(h) / std::log(1.0 - h)) {}

uint64_t ParetoSampler::Sample(RandomSource& rng) const {
  double v = static_cast<double>(n_ - 1) * std::pow(rng.UnitReal(), power_);
  uint64_t r = static_cast<uint64_t>(v);
  return r >= n_ ? n_ - 1 : r;
}

NormalSampler::NormalSampler(uint64_t n, double sigma_percent)
    : n_(n),
      mean_(static_cast<double>(n) / 2.0),
      stddev_(static_cast<double>(n) * sigma_percent / 100.0) {}

uint64_t NormalSampler::Sample(RandomSource& rng) const {
  for (;;) {
    double v = mean_ + stddev_ * rng.Normal();
    if (v >= 0.0 && v < static_cast<double>(n_)) return static_cast<uint64_t>(v);
  }
}

Scatter::Scatter(uint64_t n, uint64_t seed) : n_(n == 0 ? 1 : n) {
  uint64_t mixed = DeriveSeed(seed, "scatter", 0);
  m_ = (mixed | 1) % n_;
  if (m_ == 0) m_ = 1;
  while (std::gcd(m_, n_) != 1) m_ = m_ + 1 == n_ ? 1 : m_ + 1;
  c_ = DeriveSeed(seed, "scatter", 1) % n_;
}

uint64_t Scatter::operator()(uint64_t rank) const {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(rank) * m_ + c_) % n_);
}

}  // namespace nvmesim::harness
