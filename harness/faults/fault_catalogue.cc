#include "harness/faults/fault_catalogue.h"

#include <cstdio>
#include <utility>

namespace nvmesim::harness {
namespace {

using T = FaultParamType;

FaultParamInfo Int(std::string name, std::string unit, double min, double max, bool required,
                   std::string def, std::string description,
                   std::vector<std::string> choices = {}) {
  FaultParamInfo p;
  p.name = std::move(name);
  p.type = T::kInteger;
  p.unit = std::move(unit);
  p.min = min;
  p.max = max;
  p.required = required;
  p.default_text = std::move(def);
  p.description = std::move(description);
  p.choices = std::move(choices);
  return p;
}

FaultParamInfo Real(std::string name, std::string unit, double min, double max, bool required,
                    std::string def, std::string description) {
  FaultParamInfo p = Int(std::move(name), std::move(unit), min, max, required, std::move(def),
                         std::move(description));
  p.type = T::kFloat;
  return p;
}

FaultParamInfo Dur(std::string name, bool required, std::string def, std::string description) {
  FaultParamInfo p;
  p.name = std::move(name);
  p.type = T::kDuration;
  p.unit = "duration";
  p.required = required;
  p.default_text = std::move(def);
  p.description = std::move(description);
  return p;
}

FaultParamInfo Choice(std::string name, std::vector<std::string> choices, bool required,
                      std::string def, std::string description) {
  FaultParamInfo p;
  p.name = std::move(name);
  p.type = T::kEnum;
  p.choices = std::move(choices);
  p.required = required;
  p.default_text = std::move(def);
  p.description = std::move(description);
  return p;
}

// Completion faults pick their victims the same way.
std::vector<FaultParamInfo> CompletionVictims() {
  return {
      Int("count", "completions", 1, 1000000, false, "1",
          "how many completions are affected, one after another from the trigger on"),
      // Queue identifiers are 16-bit; 0 is the admin queue (Base 2.0 section 3.3).
      Int("queue", "queue id", 0, 65535, false, "any I/O queue",
          "only completions posted to this queue (0 = admin queue)"),
  };
}

std::vector<FaultKindInfo> BuildCatalogue() {
  std::vector<FaultKindInfo> c;
  c.push_back({FaultKind::kLinkDown,
               "link_down",
               FaultTarget::kController,
               FaultEnd::kOptional,
               "The controller's PCIe link goes down (DL_Down): TLPs in flight and new ones are "
               "dropped, MMIO reads complete with all ones. Ends after `duration` (link retrains "
               "to its configured speed) or at a later link_up.",
               {}});
  c.push_back({FaultKind::kLinkUp,
               "link_up",
               FaultTarget::kController,
               FaultEnd::kNone,
               "Brings a link that is down back up at its configured generation and width.",
               {}});
  c.push_back(
      {FaultKind::kLinkRetrain,
       "link_retrain",
       FaultTarget::kController,
       FaultEnd::kOptional,
       "The link retrains to another speed and width; traffic continues at the new rate. "
       "Ends after `duration` by retraining to the configured speed and width.",
       {
           // PCIe 5.0: generations 1 (2.5 GT/s) to 5 (32 GT/s), section 4.2.
           Int("generation", "PCIe generation", 1, 5, true, "",
               "new link speed: 1=2.5, 2=5, 3=8, 4=16, 5=32 GT/s (PCIe 5.0 section 4.2)"),
           // Link widths the model supports (PCIe 5.0 section 4.2.4.10 lists x1..x32).
           Int("width", "lanes", 1, 16, true, "", "new link width", {"1", "2", "4", "8", "16"}),
       }});
  c.push_back(
      {FaultKind::kLcrcErrorRate,
       "lcrc_error_rate",
       FaultTarget::kController,
       FaultEnd::kOptional,
       "TLPs fail their LCRC check at the receiver with this probability and are replayed "
       "by the data link layer (PCIe 5.0 section 3.6.2): throughput drops, nothing is lost.",
       {
           Real("rate", "probability per TLP", 0.0, 1.0, true, "",
                "chance that one TLP transmission is corrupted"),
           Choice("direction", {"down", "up", "both"}, false, "both",
                  "down = host to device, up = device to host"),
       }});
  c.push_back({FaultKind::kControllerFatal,
               "controller_fatal",
               FaultTarget::kController,
               FaultEnd::kNone,
               "The controller sets CSTS.CFS (Base 2.0 section 3.1.4.6) and stops processing "
               "commands; only a controller reset recovers it.",
               {}});
  c.push_back({FaultKind::kControllerHang,
               "controller_hang",
               FaultTarget::kController,
               FaultEnd::kOptional,
               "The controller stops fetching and completing commands without reporting anything; "
               "the driver's timeouts must notice. Ends after `duration` or at a controller reset.",
               {}});
  {
    FaultKindInfo k{FaultKind::kDropCompletion,
                    "drop_completion",
                    FaultTarget::kController,
                    FaultEnd::kNone,
                    "Completions are executed but never posted: the command's effect happens, its "
                    "CQE is lost, so the driver must time out, abort and possibly reset.",
                    CompletionVictims()};
    c.push_back(std::move(k));
  }
  {
    std::vector<FaultParamInfo> p = CompletionVictims();
    p.insert(p.begin(), Dur("delay", true, "", "extra time before each affected CQE is posted"));
    c.push_back({FaultKind::kDelayCompletion, "delay_completion", FaultTarget::kController,
                 FaultEnd::kNone, "Completions are posted late by `delay`.", std::move(p)});
  }
  c.push_back({FaultKind::kDuplicateCompletion, "duplicate_completion", FaultTarget::kController,
               FaultEnd::kNone,
               "Each affected completion is posted twice (the second in the next CQ slot); the "
               "driver must not complete a request twice.",
               CompletionVictims()});
  {
    std::vector<FaultParamInfo> p = CompletionVictims();
    p.push_back(Choice("field", {"cid", "status", "sq_head", "sq_id"}, false, "status",
                       "which CQE field is corrupted (the phase tag is left intact)"));
    c.push_back({FaultKind::kCorruptCompletion, "corrupt_completion", FaultTarget::kController,
                 FaultEnd::kNone,
                 "Each affected CQE is posted with one field flipped; the driver must reject or "
                 "survive it.",
                 std::move(p)});
  }
  c.push_back(
      {FaultKind::kMediaError,
       "media_error",
       FaultTarget::kNamespace,
       FaultEnd::kOptional,
       "Commands touching the LBA range fail with a media status (Base 2.0 Figure 102); "
       "commands outside it are unaffected. Ends after `duration`.",
       {
           Int("lba", "LBA", 0, 9.2233720368547758e18, true, "", "first failing LBA"),
           Int("lba_count", "LBAs", 1, 9.2233720368547758e18, false, "1", "number of failing LBAs"),
           Choice("status",
                  {"unrecovered_read_error", "write_fault", "end_to_end_guard_check_error",
                   "access_denied"},
                  false, "unrecovered_read_error", "the status the failing commands get"),
           Choice("ops", {"read", "write", "both"}, false, "read",
                  "which commands fail on the range"),
       }});
  c.push_back({FaultKind::kPowerLoss,
               "power_loss",
               FaultTarget::kSubsystem,
               FaultEnd::kOptional,
               "Power is cut to every controller of the subsystem: volatile write cache contents "
               "not yet flushed may be lost, in-flight commands never complete. After `duration` "
               "power returns and the controllers come up again (not ready until enabled).",
               {}});
  c.push_back({FaultKind::kSurpriseRemoval,
               "surprise_removal",
               FaultTarget::kController,
               FaultEnd::kNone,
               "The device disappears from the bus: link down for good, MMIO reads return all "
               "ones, DMA stops. I/O must fail promptly; nothing may hang.",
               {}});
  c.push_back(
      {FaultKind::kAnaStateChange,
       "ana_state_change",
       FaultTarget::kController,
       FaultEnd::kOptional,
       "The ANA group's state as seen through this controller changes and an ANA change "
       "notice (Base 2.0 section 8.1.1) is raised. Ends after `duration` by returning to "
       "the previous state.",
       {
           // ANAGRPID 0 means "no group" (Base 2.0 section 8.1.2).
           Int("group", "ANA group id", 1, 4294967294.0, true, "", "ANA group identifier"),
           Choice("state",
                  {"optimized", "non_optimized", "inaccessible", "persistent_loss", "change"}, true,
                  "", "new ANA state (Base 2.0 section 8.1.3)"),
       }});
  c.push_back({FaultKind::kNamespaceHotRemove,
               "namespace_hot_remove",
               FaultTarget::kNamespace,
               FaultEnd::kOptional,
               "The namespace is detached from every controller it is attached to and a "
               "Namespace Attribute Changed notice is raised. Ends after `duration` by attaching "
               "it again.",
               {}});
  c.push_back({FaultKind::kNamespaceAttach,
               "namespace_attach",
               FaultTarget::kNamespace,
               FaultEnd::kNone,
               "The namespace is attached to a controller (default: every controller of its "
               "subsystem) and a Namespace Attribute Changed notice is raised.",
               {{"controller",
                 T::kString,
                 "",
                 false,
                 "every controller of the subsystem",
                 0,
                 0,
                 {},
                 "the controller to attach to"}}});
  c.push_back({FaultKind::kZoneReadOnly,
               "zone_read_only",
               FaultTarget::kNamespace,
               FaultEnd::kNone,
               "A zone of a zoned namespace goes to ZSRO (ZNS 1.1 section 2.1.1.8): writes fail "
               "with Zone Is Read Only, reads still work.",
               {Int("zone", "zone index", 0, 4294967295.0, true, "",
                    "zone number (its start LBA divided by the zone size)")}});
  c.push_back({FaultKind::kZoneOffline,
               "zone_offline",
               FaultTarget::kNamespace,
               FaultEnd::kNone,
               "A zone of a zoned namespace goes to ZSO (ZNS 1.1 section 2.1.1.9): every access "
               "fails with Zone Is Offline.",
               {Int("zone", "zone index", 0, 4294967295.0, true, "",
                    "zone number (its start LBA divided by the zone size)")}});
  c.push_back({FaultKind::kTemperatureExcursion,
               "temperature_excursion",
               FaultTarget::kController,
               FaultEnd::kOptional,
               "The composite temperature is driven to `temperature` over `ramp` (thermal "
               "thresholds, throttling and events follow). Ends after `duration` by returning "
               "control to the thermal model.",
               {
                   // Composite Temperature is a 16-bit kelvin value (Base 2.0 Figure 207).
                   Real("temperature", "degC", -273.0, 65262.0, true, "",
                        "target composite temperature in degrees Celsius"),
                   Dur("ramp", false, "0s", "time to reach the target"),
               }});
  c.push_back({FaultKind::kWearOut,
               "wear_out",
               FaultTarget::kController,
               FaultEnd::kNone,
               "The medium wears out: SMART Available Spare falls and Percentage Used rises at "
               "steady rates (Base 2.0 Figure 207) until the spare reaches its threshold, when "
               "critical warning bit 0 is set (the drive has failed).",
               {
                   Real("spare_per_second", "percent per simulated second", 0.0, 1e6, true, "",
                        "Available Spare lost per simulated second"),
                   Real("wear_per_second", "percent per simulated second", 0.0, 1e6, false, "0",
                        "Percentage Used gained per simulated second"),
                   Dur("step", false, "1ms", "how often the SMART values are updated"),
               }});
  return c;
}

}  // namespace

const FaultParamInfo* FaultKindInfo::FindParam(std::string_view param) const {
  for (const FaultParamInfo& p : params) {
    if (p.name == param) return &p;
  }
  return nullptr;
}

const std::vector<FaultKindInfo>& FaultCatalogue() {
  static const std::vector<FaultKindInfo> catalogue = BuildCatalogue();
  return catalogue;
}

const FaultKindInfo* FindFaultKind(std::string_view name) {
  for (const FaultKindInfo& k : FaultCatalogue()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

const FaultKindInfo& FaultKindInfoOf(FaultKind kind) {
  for (const FaultKindInfo& k : FaultCatalogue()) {
    if (k.kind == kind) return k;
  }
  return FaultCatalogue().front();  // unreachable: every kind is catalogued (tested)
}

const char* FaultKindName(FaultKind kind) { return FaultKindInfoOf(kind).name.c_str(); }

const char* FaultTargetName(FaultTarget target) {
  switch (target) {
    case FaultTarget::kController:
      return "controller";
    case FaultTarget::kNamespace:
      return "namespace";
    case FaultTarget::kSubsystem:
      return "subsystem";
  }
  return "?";
}

namespace {

std::string FormatLimit(double v) {
  if (v >= 9.2e18) return "9223372036854775807";  // INT64_MAX: TOML integers are signed 64-bit
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

std::string TypeText(const FaultParamInfo& p) {
  switch (p.type) {
    case T::kInteger:
      if (!p.choices.empty()) {
        std::string s = "integer, one of";
        for (const std::string& c : p.choices) s += " " + c;
        return s;
      }
      return "integer " + FormatLimit(p.min) + ".." + FormatLimit(p.max);
    case T::kFloat:
      return "number " + FormatLimit(p.min) + ".." + FormatLimit(p.max);
    case T::kDuration:
      return "duration";
    case T::kEnum: {
      std::string s = "one of";
      for (const std::string& c : p.choices) s += " " + c;
      return s;
    }
    case T::kString:
      return "string";
  }
  return "?";
}

}  // namespace

std::string FormatFaultCatalogue() {
  std::string out;
  out +=
      "Every fault: kind, target ("
      "a controller, namespace or subsystem name), one trigger\n"
      "(at = \"<time>\" | after_commands = N | when = \"<counter> <op> <value>\"), optional name;\n"
      "faults marked [end] also take duration = \"<time>\" or until = \"<condition>\".\n\n";
  for (const FaultKindInfo& k : FaultCatalogue()) {
    out += k.name + " (target: " + FaultTargetName(k.target) + ")" +
           (k.end == FaultEnd::kOptional ? " [end]" : "") + "\n";
    out += "    " + k.description + "\n";
    for (const FaultParamInfo& p : k.params) {
      out += "    " + p.name + ": " + TypeText(p);
      if (!p.unit.empty() && p.type != T::kDuration) out += " [" + p.unit + "]";
      out += p.required ? ", required" : ", default " + p.default_text;
      out += " - " + p.description + "\n";
    }
  }
  return out;
}

}  // namespace nvmesim::harness
