// ParseScenario / LoadScenario: TOML text into ScenarioSpec, one section at a time.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/scenario/scenario_spec.h"
#include "harness/scenario/status_names.h"
#include "harness/scenario/thermal_section.h"
#include "harness/scenario/toml_reader.h"
#include "harness/scenario/units.h"

namespace nvmesim::harness {

const char* FidelityName(ScenarioFidelity f) {
  switch (f) {
    case ScenarioFidelity::kFunctional:
      return "functional";
    case ScenarioFidelity::kApproximate:
      return "approximate";
    case ScenarioFidelity::kCycle:
      return "cycle";
  }
  return "?";
}

const char* AnaStateSpecName(AnaStateSpec s) {
  switch (s) {
    case AnaStateSpec::kOptimized:
      return "optimized";
    case AnaStateSpec::kNonOptimized:
      return "non_optimized";
    case AnaStateSpec::kInaccessible:
      return "inaccessible";
    case AnaStateSpec::kPersistentLoss:
      return "persistent_loss";
    case AnaStateSpec::kChange:
      return "change";
  }
  return "?";
}

const char* ExpectKindName(ExpectKind k) {
  switch (k) {
    case ExpectKind::kAllCompleted:
      return "all_completed";
    case ExpectKind::kNoCorruption:
      return "no_corruption";
    case ExpectKind::kRecovery:
      return "recovery";
    case ExpectKind::kCounter:
      return "counter";
    case ExpectKind::kState:
      return "state";
    case ExpectKind::kStatusSeen:
      return "status_seen";
    case ExpectKind::kStatusNotSeen:
      return "status_not_seen";
  }
  return "?";
}

namespace {

template <typename T>
const T* FindByName(const std::vector<T>& v, const std::string& name) {
  for (const T& x : v) {
    if (x.name == name) return &x;
  }
  return nullptr;
}

}  // namespace

const HostSpec* ScenarioSpec::FindHost(const std::string& n) const { return FindByName(hosts, n); }
const SubsystemSpec* ScenarioSpec::FindSubsystem(const std::string& n) const {
  return FindByName(subsystems, n);
}
const ControllerSpec* ScenarioSpec::FindController(const std::string& n) const {
  return FindByName(controllers, n);
}
const NamespaceSpec* ScenarioSpec::FindNamespace(const std::string& n) const {
  return FindByName(namespaces, n);
}
const JobSpec* ScenarioSpec::FindJob(const std::string& n) const { return FindByName(jobs, n); }
const FaultSpec* ScenarioSpec::FindFault(const std::string& n) const {
  return FindByName(faults, n);
}

namespace {

#define NVMESIM_ANA_STATES \
  { "optimized", "non_optimized", "inaccessible", "persistent_loss", "change" }

AnaStateSpec AnaFromName(const std::string& s) {
  if (s == "non_optimized") return AnaStateSpec::kNonOptimized;
  if (s == "inaccessible") return AnaStateSpec::kInaccessible;
  if (s == "persistent_loss") return AnaStateSpec::kPersistentLoss;
  if (s == "change") return AnaStateSpec::kChange;
  return AnaStateSpec::kOptimized;
}

std::string Indexed(const char* section, size_t i) {
  return std::string(section) + "[" + std::to_string(i) + "]";
}

// The name a section entry goes by, or a default when it has none.
template <typename Vec>
std::string DefaultName(const char* prefix, const Vec& v) {
  return std::string(prefix) + std::to_string(v.size());
}

bool IsPowerOfTwo(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

class Parser {
 public:
  Parser(const toml::table& root, const std::string& path) : root_(root), path_(path) {
    std::filesystem::path p(path);
    spec_.path = path;
    spec_.directory = p.parent_path().string();
  }

  ScenarioSpec Run() {
    TomlReader top(root_, path_, "");
    ParseInfo(top);
    ParseHosts(top);
    ParseSubsystems(top);
    ParseControllers(top);
    ParseNamespaces(top);
    if (const toml::table* adv = top.Table("advanced_nvme")) {
      spec_.advanced_nvme = *adv;
      spec_.advanced_nvme_line = TomlReader::Position(adv).first;
      for (const auto& [key, node] : *adv)
        spec_.advanced_nvme_key_lines[std::string(key.str())] = TomlReader::Position(&node).first;
    }
    ParseDriver(top);
    ParseThermalSection(top, path_, &spec_.thermal);
    ParseOptimizerSection(top, path_, &spec_.optimizer);
    ParseJobs(top);
    std::vector<const toml::table*> faults = top.TableList("fault");
    for (size_t i = 0; i < faults.size(); ++i) {
      spec_.faults.push_back(
          ParseFaultEntry(*faults[i], path_, Indexed("fault", i), static_cast<int>(i)));
    }
    ParseExpectations(top);
    top.RejectUnknown();
    return std::move(spec_);
  }

 private:
  std::string Resolve(const std::string& relative) const {
    std::filesystem::path p(relative);
    if (p.is_absolute() || spec_.directory.empty()) return relative;
    return (std::filesystem::path(spec_.directory) / p).string();
  }

  void ParseInfo(TomlReader& top) {
    const toml::table* t = top.Table("scenario");
    toml::table empty;
    TomlReader r(t ? *t : empty, path_, "scenario");
    ScenarioInfo& info = spec_.info;
    info.name = r.String("name").value_or(std::filesystem::path(path_).stem().string());
    info.description = r.String("description").value_or("");
    info.seed = static_cast<uint64_t>(r.Int("seed", 0, INT64_MAX).value_or(1));
    std::string fidelity =
        r.Enum("fidelity", {"functional", "approximate", "cycle"}).value_or("approximate");
    info.fidelity = fidelity == "functional" ? ScenarioFidelity::kFunctional
                    : fidelity == "cycle"    ? ScenarioFidelity::kCycle
                                             : ScenarioFidelity::kApproximate;
    if (std::optional<uint64_t> limit = r.Duration("time_limit")) {
      if (*limit == 0) r.Fail("time_limit", "expected a simulated time limit above zero");
      info.time_limit_ps = *limit;
    }
    if (std::optional<uint64_t> wall = r.Duration("wall_time_limit")) {
      if (*wall < kPsPerMs) r.Fail("wall_time_limit", "expected at least 1ms");
      info.wall_time_limit_ms = *wall / kPsPerMs;
    }
    r.RejectUnknown();
  }

  void ParseHosts(TomlReader& top) {
    std::vector<const toml::table*> tables = top.TableList("host");
    for (size_t i = 0; i < tables.size(); ++i) {
      TomlReader r(*tables[i], path_, Indexed("host", i));
      HostSpec h;
      h.line = r.line();
      h.name = r.String("name").value_or(DefaultName("host", spec_.hosts));
      h.cpus = static_cast<uint32_t>(r.Int("cpus", 1, 256).value_or(1));
      r.RejectUnknown();
      spec_.hosts.push_back(h);
    }
    if (spec_.hosts.empty()) spec_.hosts.push_back(HostSpec{"host0", 1, 0});
  }

  void ParseSubsystems(TomlReader& top) {
    std::vector<const toml::table*> tables = top.TableList("subsystem");
    for (size_t i = 0; i < tables.size(); ++i) {
      TomlReader r(*tables[i], path_, Indexed("subsystem", i));
      SubsystemSpec s;
      s.line = r.line();
      s.name = r.String("name").value_or(DefaultName("subsys", spec_.subsystems));
      s.nqn = r.String("nqn").value_or("nqn.2014-08.org.nvmexpress:nvmesim:" + s.name);
      CheckNqn(r, s.nqn);
      // SN 20 and MN 40 bytes of printable ASCII, space padded (Base 2.0 Figure 275).
      s.serial = r.String("serial");
      if (s.serial) CheckAscii(r, "serial", *s.serial, 20, "SN");
      s.model = r.String("model");
      if (s.model) CheckAscii(r, "model", *s.model, 40, "MN");
      // PCI Vendor ID: 0000h and FFFFh are not assigned (FFFFh reads as no function).
      if (auto v = r.Int("vendor_id", 1, 0xFFFE, false, "PCI vendor id")) {
        s.vendor_id = static_cast<uint16_t>(*v);
      }
      std::vector<const toml::table*> groups = r.TableList("ana_group");
      for (size_t g = 0; g < groups.size(); ++g) {
        TomlReader gr(*groups[g], path_, r.KeyPath(Indexed("ana_group", g)));
        AnaGroupSpec a;
        a.line = gr.line();
        // ANAGRPID: 0 is "no group", FFFFFFFFh is reserved (Base 2.0 section 8.1.2).
        a.id = static_cast<uint32_t>(
            *gr.Int("id", 1, 0xFFFFFFFE, true, "ANAGRPID, Base 2.0 section 8.1.2"));
        a.state = AnaFromName(gr.Enum("state", NVMESIM_ANA_STATES).value_or("optimized"));
        if (const toml::table* per = gr.Table("controllers")) {
          TomlReader pr(*per, path_, gr.KeyPath("controllers"));
          for (const auto& [k, v] : *per)
            a.controller_states[std::string(k.str())] =
                AnaFromName(*pr.Enum(k.str(), NVMESIM_ANA_STATES));
          pr.RejectUnknown();
        }
        for (const AnaGroupSpec& other : s.ana_groups) {
          if (other.id == a.id)
            gr.Fail("id", "ANA group " + std::to_string(a.id) + " defined twice");
        }
        gr.RejectUnknown();
        s.ana_groups.push_back(a);
      }
      r.RejectUnknown();
      spec_.subsystems.push_back(s);
    }
    if (spec_.subsystems.empty()) {
      SubsystemSpec s;
      s.name = "subsys0";
      s.nqn = "nqn.2014-08.org.nvmexpress:nvmesim:subsys0";
      spec_.subsystems.push_back(s);
    }
  }

  void CheckNqn(TomlReader& r, const std::string& nqn) {
    // NVMe Qualified Name: "nqn." + "yyyy-mm." + ..., at most 223 bytes (Base 2.0 section 4.5).
    bool ok = nqn.size() <= 223 && nqn.size() > 12 && nqn.rfind("nqn.", 0) == 0 &&
              std::isdigit(static_cast<unsigned char>(nqn[4])) && nqn[8] == '-' && nqn[11] == '.';
    if (!ok) {
      r.Fail("nqn",
             "expected an NVMe Qualified Name \"nqn.yyyy-mm.<reverse domain>:<id>\" of at "
             "most 223 bytes (Base 2.0 section 4.5), got \"" +
                 nqn + "\"");
    }
  }

  // Identify strings: printable ASCII (20h-7Eh), at most `max` bytes.
  void CheckAscii(TomlReader& r, const char* key, const std::string& v, size_t max,
                  const char* field) {
    const bool printable = std::all_of(v.begin(), v.end(), [](char ch) {
      return static_cast<unsigned char>(ch) >= 0x20 && static_cast<unsigned char>(ch) <= 0x7E;
    });
    if (v.empty() || v.size() > max || !printable) {
      r.Fail(key, "expected 1.." + std::to_string(max) +
                      " printable ASCII characters (Identify Controller " + field +
                      ", Base 2.0 Figure 275), got \"" + v + "\"");
    }
  }

  // The single entity of a kind when a key naming it is absent.
  template <typename T>
  std::string OnlyOne(TomlReader& r, const char* key, const std::vector<T>& all, const char* what) {
    std::optional<std::string> v = r.String(key);
    if (v) return *v;
    if (all.size() == 1) return all.front().name;
    r.Fail("", std::string("missing key \"") + key + "\": the scenario has " +
                   std::to_string(all.size()) + " " + what + ", name one");
  }

  void ParseControllers(TomlReader& top) {
    std::vector<const toml::table*> tables = top.TableList("controller");
    if (tables.empty()) top.Fail("controller", "a scenario needs at least one [[controller]]");
    std::map<std::string, uint16_t> per_subsystem;
    for (size_t i = 0; i < tables.size(); ++i) {
      TomlReader r(*tables[i], path_, Indexed("controller", i));
      ControllerSpec c;
      c.line = r.line();
      // `count`: this table stands for that many alike controllers, named
      // <name>0, <name>1, ... with consecutive CNTLIDs (FFEFh is the highest, Figure 275).
      const uint32_t count = static_cast<uint32_t>(
          r.Int("count", 1, 0xFFEF, false, "controllers this table stands for").value_or(1));
      const std::optional<std::string> name = r.String("name");
      c.name = name.value_or(DefaultName("ctrl", spec_.controllers));
      c.subsystem = OnlyOne(r, "subsystem", spec_.subsystems, "subsystems");
      c.host = OnlyOne(r, "host", spec_.hosts, "hosts");
      const uint16_t next = static_cast<uint16_t>(per_subsystem[c.subsystem] + 1);
      per_subsystem[c.subsystem] += count;
      // CNTLID FFF0h-FFFFh are reserved (Base 2.0 Figure 275, CNTLID).
      c.cntlid = static_cast<uint16_t>(
          r.Int("cntlid", 0, 0xFFEF, false, "FFF0h and above are reserved").value_or(next));
      if (uint32_t{c.cntlid} + count - 1 > 0xFFEF) {
        r.Fail("count", "CNTLIDs " + std::to_string(c.cntlid) + " and up run past FFEFh");
      }
      if (const toml::table* link = r.Table("link")) {
        TomlReader lr(*link, path_, r.KeyPath("link"));
        // PCIe 5.0 defines generations 1 (2.5 GT/s) to 5 (32 GT/s), section 4.2.
        c.link.generation = static_cast<uint32_t>(
            lr.Int("generation", 1, 5, false, "PCIe 5.0 defines 2.5 to 32 GT/s, Gen1-Gen5")
                .value_or(5));
        if (std::optional<int64_t> w = lr.Int("width", 1, 16, false, "lanes: 1, 2, 4, 8 or 16")) {
          if (!IsPowerOfTwo(static_cast<uint64_t>(*w))) {
            lr.Fail("width",
                    "expected a link width of 1, 2, 4, 8 or 16 lanes, got " + std::to_string(*w));
          }
          c.link.width = static_cast<uint32_t>(*w);
        }
        // Device Control register: Max_Payload_Size and Max_Read_Request_Size encode
        // 128 B..4096 B as 000b..101b (PCIe 5.0 section 7.5.3.4).
        for (const char* key : {"max_payload_size", "max_read_request_size"}) {
          if (std::optional<uint64_t> v = lr.Size(key)) {
            if (*v < 128 || *v > 4096 || !IsPowerOfTwo(*v)) {
              lr.Fail(key,
                      "expected 128, 256, 512, 1024, 2048 or 4096 bytes (PCIe 5.0 section "
                      "7.5.3.4), got " +
                          std::to_string(*v));
            }
            (std::string(key) == "max_payload_size" ? c.link.max_payload_size
                                                    : c.link.max_read_request_size) =
                static_cast<uint32_t>(*v);
          }
        }
        lr.RejectUnknown();
      }
      c.firmware = r.String("firmware");
      if (c.firmware) CheckAscii(r, "firmware", *c.firmware, 8, "FR");
      // CAP.MQES is 16 bits, 0's based, and 0 is illegal (Base 2.0 Figure 36).
      c.max_queue_entries = static_cast<uint32_t>(
          r.Int("max_queue_entries", 2, 65536, false, "CAP.MQES + 1").value_or(1024));
      // Number of Queues: NSQR/NCQR are 16 bits, 0's based; 65535 is the most (Base 2.0 5.27.1.5).
      c.io_queues = static_cast<uint32_t>(
          r.Int("io_queues", 1, 65535, false, "Number of Queues feature").value_or(8));
      // MDTS is a power of two in units of CAP.MPSMIN (4 KiB here); the model stops at 2^20.
      c.mdts = static_cast<uint32_t>(
          r.Int("mdts", 0, 20, false, "0 = no limit; 2^20 x 4 KiB = 4 GiB is the model's largest")
              .value_or(5));
      c.volatile_write_cache = r.Bool("volatile_write_cache").value_or(true);
      std::string arb =
          r.Enum("arbitration", {"round_robin", "weighted_round_robin"}).value_or("round_robin");
      c.arbitration = arb == "round_robin" ? ArbitrationSpec::kRoundRobin
                                           : ArbitrationSpec::kWeightedRoundRobin;
      c.profile = r.String("profile").value_or("");
      if (!c.profile.empty()) {
        c.profile_resolved = Resolve(c.profile);
        std::error_code ec;
        if (!std::filesystem::is_regular_file(c.profile_resolved, ec)) {
          r.Fail("profile", "cannot open the profile file \"" + c.profile_resolved + "\"");
        }
        // The drive's thermal character; the media tables are read with the system.
        LoadProfileThermal(c.profile_resolved, &c.profile_thermal);
      }
      // The drive in its slot: `thermal = { ... }` or [controller.thermal].
      if (const toml::table* t = r.Table("thermal")) {
        TomlReader tr(*t, path_, r.KeyPath("thermal"));
        ParseThermalTable(tr, ThermalScope::kController, &c.thermal);
      }
      r.RejectUnknown();
      if (count == 1) {
        spec_.controllers.push_back(c);
        continue;
      }
      const std::string base = name.value_or("ctrl");
      const uint16_t first = c.cntlid;
      for (uint32_t k = 0; k < count; ++k) {
        c.name = base + std::to_string(k);
        c.cntlid = static_cast<uint16_t>(first + k);
        spec_.controllers.push_back(c);
      }
    }
  }

  void ParseNamespaces(TomlReader& top) {
    std::vector<const toml::table*> tables = top.TableList("namespace");
    std::map<std::string, uint32_t> next_nsid;
    for (size_t i = 0; i < tables.size(); ++i) {
      TomlReader r(*tables[i], path_, Indexed("namespace", i));
      NamespaceSpec n;
      n.line = r.line();
      n.subsystem = OnlyOne(r, "subsystem", spec_.subsystems, "subsystems");
      // `count`: this table stands for that many alike namespaces with consecutive
      // NSIDs, named <name>0, <name>1, ... (or ns<nsid> without a name).
      const uint32_t count = static_cast<uint32_t>(
          r.Int("count", 1, 0xFFFFFFFE, false, "namespaces this table stands for").value_or(1));
      // NSID 0 and FFFFFFFFh are not valid namespace IDs (Base 2.0 section 3.2.1.2).
      std::optional<int64_t> nsid =
          r.Int("nsid", 1, 0xFFFFFFFE, false, "0 and FFFFFFFFh are not valid NSIDs");
      n.nsid = nsid ? static_cast<uint32_t>(*nsid) : next_nsid[n.subsystem] + 1;
      if (uint64_t{n.nsid} + count - 1 > 0xFFFFFFFEu) {
        r.Fail("count", "NSIDs from " + std::to_string(n.nsid) + " run past FFFFFFFEh");
      }
      next_nsid[n.subsystem] = std::max(next_nsid[n.subsystem], n.nsid + count - 1);
      const std::optional<std::string> name = r.String("name");
      auto default_name = [&](uint32_t id) {
        return "ns" + std::to_string(id) + (spec_.subsystems.size() > 1 ? "@" + n.subsystem : "");
      };
      n.name = name.value_or(default_name(n.nsid));
      n.lba_size = static_cast<uint32_t>(r.Int("lba_size", 512, 4096).value_or(4096));
      if (n.lba_size != 512 && n.lba_size != 4096) {
        r.Fail("lba_size", "expected 512 or 4096, got " + std::to_string(n.lba_size));
      }
      n.size_bytes = *r.Size("size", true);
      if (n.size_bytes == 0 || n.size_bytes % n.lba_size != 0) {
        r.Fail("size", "expected a size above zero that is a multiple of lba_size " +
                           std::to_string(n.lba_size) + ", got " + std::to_string(n.size_bytes) +
                           " bytes");
      }
      std::string kind = r.Enum("type", {"conventional", "zoned"}).value_or("conventional");
      n.kind = kind == "zoned" ? NamespaceKind::kZoned : NamespaceKind::kConventional;
      std::optional<uint64_t> zone_size = r.Size("zone_size");
      std::optional<uint64_t> zone_cap = r.Size("zone_capacity");
      std::optional<int64_t> max_open =
          r.Int("max_open", 0, 0xFFFFFFFE, false,
                "MOR is 32 bits, 0's based (ZNS 1.1 Figure 49); 0 = no limit");
      std::optional<int64_t> max_active =
          r.Int("max_active", 0, 0xFFFFFFFE, false,
                "MAR is 32 bits, 0's based (ZNS 1.1 Figure 49); 0 = no limit");
      if (n.kind == NamespaceKind::kConventional) {
        for (const char* k : {"zone_size", "zone_capacity", "max_open", "max_active"}) {
          if (r.Has(k)) r.Fail(k, "only zoned namespaces take zone keys (set type = \"zoned\")");
        }
      } else {
        if (!zone_size) r.Fail("", "a zoned namespace needs zone_size");
        if (*zone_size == 0 || *zone_size % n.lba_size != 0 || n.size_bytes % *zone_size != 0) {
          r.Fail("zone_size", "expected a multiple of lba_size that divides size (" +
                                  std::to_string(n.size_bytes) + " bytes), got " +
                                  std::to_string(*zone_size));
        }
        n.zone_size_bytes = *zone_size;
        n.zone_capacity_bytes = zone_cap.value_or(*zone_size);
        if (n.zone_capacity_bytes == 0 || n.zone_capacity_bytes > n.zone_size_bytes ||
            n.zone_capacity_bytes % n.lba_size != 0) {
          r.Fail("zone_capacity",
                 "expected a multiple of lba_size, above zero and at most zone_size "
                 "(ZNS 1.1 section 2.1.1), got " +
                     std::to_string(n.zone_capacity_bytes));
        }
        n.max_open_zones = static_cast<uint32_t>(max_open.value_or(0));
        n.max_active_zones = static_cast<uint32_t>(max_active.value_or(0));
        if (n.max_active_zones != 0 && n.max_active_zones > n.zone_count()) {
          r.Fail("max_active",
                 "expected at most the number of zones (" + std::to_string(n.zone_count()) + ")");
        }
        if (n.max_open_zones != 0 && n.max_active_zones != 0 &&
            n.max_open_zones > n.max_active_zones) {
          r.Fail("max_open", "open zones are active zones: max_open must not exceed max_active (" +
                                 std::to_string(n.max_active_zones) + ")");
        }
      }
      if (std::optional<std::vector<std::string>> ctrls = r.StringList("controllers")) {
        n.controllers = *ctrls;
      } else {
        for (const ControllerSpec& c : spec_.controllers) {
          if (c.subsystem == n.subsystem) n.controllers.push_back(c.name);
        }
      }
      n.ana_group = static_cast<uint32_t>(
          r.Int("ana_group", 0, 0xFFFFFFFE, false, "0 = no ANA group").value_or(0));
      r.RejectUnknown();
      if (count == 1) {
        spec_.namespaces.push_back(n);
        continue;
      }
      const uint32_t first = n.nsid;
      for (uint32_t k = 0; k < count; ++k) {
        n.nsid = first + k;
        n.name = name ? *name + std::to_string(k) : default_name(n.nsid);
        spec_.namespaces.push_back(n);
      }
    }
  }

  void ParseDriver(TomlReader& top) {
    const toml::table* t = top.Table("driver");
    if (t == nullptr) return;
    TomlReader r(*t, path_, "driver");
    DriverOptionsSpec& d = spec_.driver;
    d.line = r.line();
    auto positive = [&](const char* key) -> std::optional<uint64_t> {
      std::optional<uint64_t> v = r.Duration(key);
      if (v && *v == 0) r.Fail(key, "expected a duration above zero");
      return v;
    };
    d.io_timeout_ps = positive("io_timeout");
    d.admin_timeout_ps = positive("admin_timeout");
    d.watchdog_interval_ps = positive("watchdog_interval");
    // Keep Alive Timeout is a 32-bit count of milliseconds (Base 2.0 section 5.27.1.12).
    d.keep_alive_ps = r.Duration("keep_alive");
    if (d.keep_alive_ps && *d.keep_alive_ps / kPsPerMs > 0xFFFFFFFFull) {
      r.Fail("keep_alive", "expected at most 4294967295 ms (KATO is 32 bits of milliseconds)");
    }
    if (auto v = r.Int("max_retries", 0, 1000)) d.max_retries = static_cast<uint32_t>(*v);
    if (auto v = r.Int("max_reset_attempts", 0, 1000))
      d.max_reset_attempts = static_cast<uint32_t>(*v);
    // AQA.ASQS/ACQS are 12 bits, 0's based (Base 2.0 Figure 42): 2..4096 entries.
    if (auto v = r.Int("admin_queue_entries", 2, 4096, false, "AQA is 12 bits, 0's based")) {
      d.admin_queue_entries = static_cast<uint32_t>(*v);
    }
    if (auto v = r.Size("max_transfer")) {
      if (*v < 4096 || *v > (1ull << 32)) r.Fail("max_transfer", "expected 4k..4GiB");
      d.max_transfer_bytes = *v;
    }
    d.use_interrupts = r.Bool("use_interrupts");
    d.prefer_sgl = r.Bool("prefer_sgl");
    // Interrupt Coalescing (base 2.0 5.27.1.8, Figure 314): THR is 8 bits,
    // 0's based; TIME is 8 bits in 100 us units.
    if (auto v = r.Int("coalescing_completions", 1, 256, false, "THR is 8 bits, 0's based")) {
      d.coalescing_completions = static_cast<uint32_t>(*v);
    }
    if (auto v = r.Duration("coalescing_time")) {
      constexpr uint64_t k100us = 100'000'000ull;  // ps
      if (*v % k100us != 0 || *v / k100us > 255) {
        r.Fail("coalescing_time",
               "expected a multiple of 100us up to 25.5ms (TIME is 8 bits of 100 us)");
      }
      d.coalescing_time_ps = *v;
    }
    d.reprobe_on_link_up = r.Bool("reprobe_on_link_up");
    if (auto v = r.Duration("reprobe_delay")) {
      if (*v < kLinkSettlePs) {
        r.Fail("reprobe_delay",
               "expected at least 100ms (PCIe 5.0 6.6.1: wait after link training)");
      }
      d.reprobe_delay_ps = *v;
    }
    r.RejectUnknown();
  }

  static std::string FioValue(const toml::node& v) {
    if (v.is_string()) return std::string(*v.value<std::string_view>());
    if (v.is_integer()) return std::to_string(*v.value<int64_t>());
    if (v.is_boolean()) return *v.value<bool>() ? "1" : "0";
    if (v.is_floating_point()) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", *v.value<double>());
      return buf;
    }
    return std::string();
  }

  void ParseJobs(TomlReader& top) {
    std::vector<const toml::table*> tables = top.TableList("job");
    for (size_t i = 0; i < tables.size(); ++i) {
      TomlReader r(*tables[i], path_, Indexed("job", i));
      std::optional<std::string> name = r.String("name");
      std::string ns = OnlyOne(r, "namespace", spec_.namespaces, "namespaces");
      std::string host = OnlyOne(r, "host", spec_.hosts, "hosts");
      std::optional<std::string> file = r.String("file");
      // fio options in the order written (some depend on order, like fio's own parser).
      std::vector<std::pair<toml::source_position, std::string>> keys;
      for (const auto& [k, v] : *tables[i]) {
        std::string key(k.str());
        if (key == "name" || key == "namespace" || key == "host" || key == "file") continue;
        keys.emplace_back(v.source().begin, key);
      }
      std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
        return a.first.line != b.first.line ? a.first.line < b.first.line
                                            : a.first.column < b.first.column;
      });
      std::vector<JobSpec> jobs;
      if (file) {
        const std::string job_path = Resolve(*file);
        std::error_code ec;
        if (!std::filesystem::is_regular_file(job_path, ec)) {
          r.Fail("file", "cannot open the fio job file " + job_path +
                             (job_path == *file ? "" : " (relative to the scenario's directory)"));
        }
        jobs = LoadFioJobFile(job_path);
        if (name && jobs.size() == 1) jobs[0].name = *name;
        if (name && jobs.size() > 1) {
          r.Fail("name", "the job file defines " + std::to_string(jobs.size()) +
                             " jobs: name cannot rename them all");
        }
      } else {
        JobSpec j;
        j.name = name.value_or("job" + std::to_string(i));
        j.file = path_;
        jobs.push_back(j);
      }
      for (JobSpec& j : jobs) {
        if (!file) j.line = r.line();
        for (const auto& [pos, key] : keys) {
          const toml::node* v = r.Raw(key);
          if (v->is_table() || v->is_array())
            r.Fail(key, "expected a string, number or boolean fio value");
          std::string e = ApplyFioOption(j, key, FioValue(*v));
          if (!e.empty()) r.Fail(key, e);
        }
        std::string e = CheckJobOptions(j);
        if (!e.empty()) r.Fail("", e);
        j.target_namespace = ns;
        j.host = host;
        j.scenario_line = r.line();
        spec_.jobs.push_back(std::move(j));
      }
      r.RejectUnknown();
    }
  }

  void ParseExpectations(TomlReader& top) {
    std::vector<const toml::table*> tables = top.TableList("expect");
    for (size_t i = 0; i < tables.size(); ++i) {
      TomlReader r(*tables[i], path_, Indexed("expect", i));
      ExpectSpec x;
      x.line = r.line();
      std::string kind = *r.Enum("kind",
                                 {"all_completed", "no_corruption", "recovery", "counter", "state",
                                  "status_seen", "status_not_seen"},
                                 true);
      static const std::pair<const char*, ExpectKind> kKinds[] = {
          {"all_completed", ExpectKind::kAllCompleted},
          {"no_corruption", ExpectKind::kNoCorruption},
          {"recovery", ExpectKind::kRecovery},
          {"counter", ExpectKind::kCounter},
          {"state", ExpectKind::kState},
          {"status_seen", ExpectKind::kStatusSeen},
          {"status_not_seen", ExpectKind::kStatusNotSeen}};
      for (const auto& [text, k] : kKinds) {
        if (kind == text) x.kind = k;
      }
      x.name = r.String("name").value_or(kind + "#" + std::to_string(i));
      auto status_of = [&](const char* key, const std::string& text) {
        std::optional<spec::Status> s = ParseStatusName(text);
        if (!s) {
          r.Fail(key,
                 "expected an NVMe status name (\"LBA Out of Range\", "
                 "\"unrecovered_read_error\") or SCT/SC (\"2/0x81\"), got \"" +
                     text + "\"");
        }
        return *s;
      };
      switch (x.kind) {
        case ExpectKind::kAllCompleted:
          x.job = r.String("job").value_or("");
          if (auto list = r.StringList("allowed_statuses")) {
            for (const std::string& s : *list) {
              x.allowed_statuses.push_back(status_of("allowed_statuses", s));
              x.allowed_status_names.push_back(s);
            }
          }
          break;
        case ExpectKind::kNoCorruption:
          x.job = r.String("job").value_or("");
          break;
        case ExpectKind::kRecovery:
          x.fault = *r.String("fault", true);
          x.within_ps = *r.Duration("within", true);
          break;
        case ExpectKind::kCounter: {
          std::string text = *r.String("check", true);
          std::string error;
          std::optional<Condition> c = ParseCondition(text, &error);
          if (!c) r.Fail("check", error);
          x.check = *c;
          break;
        }
        case ExpectKind::kState:
          x.object = *r.String("object", true);
          x.state = *r.String("state", true);
          break;
        case ExpectKind::kStatusSeen:
        case ExpectKind::kStatusNotSeen:
          x.job = r.String("job").value_or("");
          x.status_name = *r.String("status", true);
          x.status = status_of("status", x.status_name);
          if (x.kind == ExpectKind::kStatusSeen) {
            x.min_count = static_cast<uint64_t>(r.Int("min_count", 1, INT64_MAX).value_or(1));
            if (std::optional<int64_t> lba = r.Int("lba", 0, INT64_MAX))
              x.lba = static_cast<uint64_t>(*lba);
            x.lba_count = static_cast<uint64_t>(r.Int("lba_count", 1, INT64_MAX).value_or(1));
            x.only_in_range = r.Bool("only_in_range").value_or(false);
            if (!x.lba && (r.Has("lba_count") || x.only_in_range)) {
              r.Fail(r.Has("lba_count") ? "lba_count" : "only_in_range", "needs lba");
            }
          }
          break;
      }
      r.RejectUnknown();
      spec_.expectations.push_back(x);
    }
  }

  const toml::table& root_;
  std::string path_;
  ScenarioSpec spec_;
};

}  // namespace

ScenarioSpec ParseScenario(std::string_view text, const std::string& path) {
  const toml::table root = ParseTomlDocument(text, path);
  return Parser(root, path).Run();
}

ScenarioSpec LoadScenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Diagnostic d;
    d.file = path;
    d.message = "cannot open scenario file";
    throw ScenarioError(std::move(d));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  ScenarioSpec spec = ParseScenario(ss.str(), path);
  std::vector<Diagnostic> problems = Validate(spec);
  if (!problems.empty()) throw ScenarioError(problems.front());
  return spec;
}

}  // namespace nvmesim::harness
