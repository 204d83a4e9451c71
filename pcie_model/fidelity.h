// How much of the PCIe link is modelled (docs/pcie.md, "Timing model").
//   kFunctional  : zero time; transactions, faults and counters only; device
//                  DMA through TLM-2.0 DMI while no fault is ahead.
//   kApproximate : one block of arithmetic per transaction (default).
//   kCycle       : every TLP serialised on its direction, with flow-control credits.
#pragma once

#include <optional>
#include <string_view>

namespace nvmesim::pcie {

enum class Fidelity { kFunctional, kApproximate, kCycle };

// "functional", "approximate" or "cycle"; nullopt for anything else.
constexpr std::optional<Fidelity> ParseFidelity(std::string_view text) {
  if (text == "functional") return Fidelity::kFunctional;
  if (text == "approximate") return Fidelity::kApproximate;
  if (text == "cycle") return Fidelity::kCycle;
  return std::nullopt;
}

constexpr const char* FidelityName(Fidelity f) {
  switch (f) {
    case Fidelity::kFunctional:
      return "functional";
    case Fidelity::kApproximate:
      return "approximate";
    case Fidelity::kCycle:
      return "cycle";
  }
  return "?";
}

}  // namespace nvmesim::pcie
