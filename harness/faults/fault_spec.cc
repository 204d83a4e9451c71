#include "harness/faults/fault_spec.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "harness/scenario/diagnostic.h"
#include "harness/scenario/toml_reader.h"
#include "harness/scenario/units.h"

namespace nvmesim::harness {

int64_t FaultSpec::Int(const std::string& param, int64_t fallback) const {
  auto it = params.find(param);
  return it == params.end() ? fallback : it->second.integer;
}
double FaultSpec::Real(const std::string& param, double fallback) const {
  auto it = params.find(param);
  return it == params.end() ? fallback : it->second.real;
}
uint64_t FaultSpec::DurationPs(const std::string& param, uint64_t fallback) const {
  auto it = params.find(param);
  return it == params.end() ? fallback : it->second.duration_ps;
}
std::string FaultSpec::Text(const std::string& param, const std::string& fallback) const {
  auto it = params.find(param);
  return it == params.end() ? fallback : it->second.text;
}

namespace {

FaultParamValue ReadParam(TomlReader& r, const FaultParamInfo& p) {
  FaultParamValue v;
  v.type = p.type;
  switch (p.type) {
    case FaultParamType::kInteger: {
      // Limits are exact in a double up to 2^53; above that the catalogue uses INT64_MAX.
      int64_t max = p.max >= 9.2e18 ? INT64_MAX : static_cast<int64_t>(p.max);
      v.integer = *r.Int(p.name, static_cast<int64_t>(p.min), max, true);
      if (!p.choices.empty()) {
        bool ok = false;
        for (const std::string& c : p.choices) ok = ok || c == std::to_string(v.integer);
        if (!ok) {
          std::string list;
          for (const std::string& c : p.choices) list += (list.empty() ? "" : ", ") + c;
          r.Fail(p.name, "expected one of " + list + ", got " + std::to_string(v.integer));
        }
      }
      break;
    }
    case FaultParamType::kFloat:
      v.real = *r.Float(p.name, p.min, p.max, true);
      break;
    case FaultParamType::kDuration:
      v.duration_ps = *r.Duration(p.name, true);
      break;
    case FaultParamType::kEnum: {
      const toml::node* n = r.Raw(p.name);
      bool ok = false;
      if (n != nullptr && n->is_string()) {
        for (const std::string& c : p.choices) ok = ok || c == *n->value<std::string_view>();
      }
      if (!ok) {
        std::string list;
        for (const std::string& c : p.choices) list += (list.empty() ? "\"" : ", \"") + c + "\"";
        const std::string hint =
            n->is_string() ? DidYouMean(*n->value<std::string_view>(), p.choices) : "";
        r.Fail(p.name, "expected one of " + list + ", got " + DescribeValue(*n) + hint);
      }
      v.text = std::string(*n->value<std::string_view>());
      break;
    }
    case FaultParamType::kString:
      v.text = *r.String(p.name, true);
      break;
  }
  return v;
}

// The default of an optional parameter as a value; nullopt when it has no value form ("any").
std::optional<FaultParamValue> DefaultValue(const FaultParamInfo& p) {
  FaultParamValue v;
  v.type = p.type;
  switch (p.type) {
    case FaultParamType::kInteger: {
      char* end = nullptr;
      long long x = std::strtoll(p.default_text.c_str(), &end, 10);
      if (p.default_text.empty() || *end != '\0') return std::nullopt;
      v.integer = x;
      return v;
    }
    case FaultParamType::kFloat: {
      char* end = nullptr;
      double x = std::strtod(p.default_text.c_str(), &end);
      if (p.default_text.empty() || *end != '\0') return std::nullopt;
      v.real = x;
      return v;
    }
    case FaultParamType::kDuration: {
      std::optional<uint64_t> ps = ParseDuration(p.default_text, 0, nullptr);
      if (!ps) return std::nullopt;
      v.duration_ps = *ps;
      return v;
    }
    case FaultParamType::kEnum:
      v.text = p.default_text;
      return v;
    case FaultParamType::kString:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

FaultSpec ParseFaultEntry(const toml::table& table, const std::string& file,
                          const std::string& context, int index) {
  TomlReader r(table, file, context);
  FaultSpec f;
  f.line = r.line();
  std::string kinds;
  std::vector<std::string> names;
  for (const FaultKindInfo& k : FaultCatalogue()) {
    kinds += (kinds.empty() ? "" : ", ") + k.name;
    names.push_back(k.name);
  }
  std::string kind_name = *r.String("kind", true);
  const FaultKindInfo* info = FindFaultKind(kind_name);
  if (info == nullptr) {
    r.Fail("kind", "unknown fault kind \"" + kind_name + "\"" + DidYouMean(kind_name, names) +
                       " (known: " + kinds + ")");
  }
  f.kind = info->kind;
  f.name = r.String("name").value_or(info->name + "#" + std::to_string(index));
  f.target = r.String("target").value_or("");

  // Exactly one trigger.
  int triggers = 0;
  if (std::optional<uint64_t> at = r.Duration("at")) {
    f.trigger.kind = TriggerKind::kAtTime;
    f.trigger.at_ps = *at;
    ++triggers;
  }
  if (std::optional<int64_t> n = r.Int("after_commands", 0, INT64_MAX)) {
    f.trigger.kind = TriggerKind::kAfterCommands;
    f.trigger.after_commands = static_cast<uint64_t>(*n);
    ++triggers;
  }
  if (std::optional<std::string> when = r.String("when")) {
    std::string error;
    std::optional<Condition> c = ParseCondition(*when, &error);
    if (!c) r.Fail("when", error);
    f.trigger.kind = TriggerKind::kOnCondition;
    f.trigger.condition = *c;
    ++triggers;
  }
  if (triggers != 1) {
    r.Fail(triggers == 0 ? "" : "at",
           std::string(triggers == 0 ? "a fault needs a trigger" : "a fault takes one trigger") +
               ": exactly one of at = \"<time>\", after_commands = <N>, when = \"<condition>\"");
  }

  // Optional end.
  std::optional<uint64_t> duration = r.Duration("duration");
  std::optional<std::string> until = r.String("until");
  if ((duration || until) && info->end == FaultEnd::kNone) {
    r.Fail(duration ? "duration" : "until",
           "fault kind \"" + info->name + "\" has no end (it is one-shot or permanent)");
  }
  if (duration && until) r.Fail("until", "give either duration or until, not both");
  if (duration) {
    if (*duration == 0) r.Fail("duration", "expected a duration above zero");
    f.duration_ps = duration;
  }
  if (until) {
    std::string error;
    std::optional<Condition> c = ParseCondition(*until, &error);
    if (!c) r.Fail("until", error);
    f.until = c;
  }

  for (const FaultParamInfo& p : info->params) {
    if (r.Has(p.name)) {
      f.params[p.name] = ReadParam(r, p);
    } else if (p.required) {
      r.Raw(p.name);
      r.Fail("", "fault kind \"" + info->name + "\" needs key \"" + p.name + "\" (" +
                     p.description + ")");
    } else if (std::optional<FaultParamValue> d = DefaultValue(p)) {
      r.Raw(p.name);
      f.params[p.name] = *d;
    } else {
      r.Raw(p.name);
    }
  }
  r.RejectUnknown();
  return f;
}

std::string DescribeFault(const FaultSpec& f) {
  const FaultKindInfo& info = FaultKindInfoOf(f.kind);
  std::string out = info.name + " '" + f.name + "'";
  out +=
      " on " + (f.target.empty() ? std::string("the ") + FaultTargetName(info.target) : f.target);
  switch (f.trigger.kind) {
    case TriggerKind::kAtTime:
      out += " at " + FormatDuration(f.trigger.at_ps);
      break;
    case TriggerKind::kAfterCommands:
      out += " after " + std::to_string(f.trigger.after_commands) + " commands";
      break;
    case TriggerKind::kOnCondition:
      out += " when " + f.trigger.condition.text;
      break;
  }
  if (f.duration_ps) out += " for " + FormatDuration(*f.duration_ps);
  if (f.until) out += " until " + f.until->text;
  std::string params;
  for (const auto& [k, v] : f.params) {
    std::string value;
    switch (v.type) {
      case FaultParamType::kInteger:
        value = std::to_string(v.integer);
        break;
      case FaultParamType::kFloat: {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v.real);
        value = buf;
        break;
      }
      case FaultParamType::kDuration:
        value = FormatDuration(v.duration_ps);
        break;
      default:
        value = v.text;
    }
    params += (params.empty() ? "" : ", ") + k + "=" + value;
  }
  if (!params.empty()) out += " (" + params + ")";
  return out;
}

}  // namespace nvmesim::harness
