// The fault kinds a scenario can inject: names, targets, parameters (type, unit, limits,
// default) and whether the fault has an end. `nvmesim faults` prints this catalogue; the
// scenario parser validates [[fault]] entries against it. No behaviour here: the fault injector
// of the runner applies them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nvmesim::harness {

enum class FaultKind {
  kLinkDown,
  kLinkUp,
  kLinkRetrain,
  kLcrcErrorRate,
  kControllerFatal,
  kControllerHang,
  kDropCompletion,
  kDelayCompletion,
  kDuplicateCompletion,
  kCorruptCompletion,
  kMediaError,
  kPowerLoss,
  kSurpriseRemoval,
  kAnaStateChange,
  kNamespaceHotRemove,
  kNamespaceAttach,
  kZoneReadOnly,
  kZoneOffline,
  kTemperatureExcursion,
  kWearOut,
};

// What `target = "..."` names for a fault kind.
enum class FaultTarget {
  kController,  // a [[controller]] name; link faults act on that controller's link
  kNamespace,   // a [[namespace]] name
  kSubsystem,   // a [[subsystem]] name
};

enum class FaultParamType {
  kInteger,   // TOML integer within [min, max]
  kFloat,     // TOML number within [min, max]
  kDuration,  // string with a unit ("200us"); stored in picoseconds
  kEnum,      // one of `choices`
  kString,    // free text (e.g. a controller name)
};

// Whether a fault ends by itself.
enum class FaultEnd {
  kNone,      // a one-shot or permanent fault
  kOptional,  // `duration` (or `until`) ends it; without one it lasts to the end of the run
};

struct FaultParamInfo {
  std::string name;
  FaultParamType type = FaultParamType::kInteger;
  std::string unit;  // "ps", "LBA", "commands", "degC", "probability per TLP", ...
  bool required = false;
  std::string default_text;  // printed form of the default ("1", "any", ""); empty when required
  double min = 0;            // limits for kInteger / kFloat
  double max = 0;
  std::vector<std::string> choices;  // kEnum
  std::string description;
};

struct FaultKindInfo {
  FaultKind kind;
  std::string name;  // "drop_completion"
  FaultTarget target;
  FaultEnd end;
  std::string description;
  std::vector<FaultParamInfo> params;  // kind-specific keys (trigger and end keys are common)

  const FaultParamInfo* FindParam(std::string_view param) const;
};

const std::vector<FaultKindInfo>& FaultCatalogue();
const FaultKindInfo* FindFaultKind(std::string_view name);
const FaultKindInfo& FaultKindInfoOf(FaultKind kind);
const char* FaultKindName(FaultKind kind);
const char* FaultTargetName(FaultTarget target);  // "controller", "namespace", "subsystem"

// The catalogue as text for `nvmesim faults`: one block per kind with its parameters.
std::string FormatFaultCatalogue();

}  // namespace nvmesim::harness
