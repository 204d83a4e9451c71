#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "harness/scenario/diagnostic.h"
#include "harness/scenario/units.h"
#include "harness/workload/job_spec.h"

namespace nvmesim::harness {

bool JobSpec::IsRandom() const {
  return rw == RwMode::kRandRead || rw == RwMode::kRandWrite || rw == RwMode::kRandRw ||
         rw == RwMode::kRandTrim;
}
bool JobSpec::HasReads() const {
  return rw == RwMode::kRead || rw == RwMode::kRandRead ||
         ((rw == RwMode::kReadWrite || rw == RwMode::kRandRw) && rwmixread > 0);
}
bool JobSpec::HasWrites() const {
  return rw == RwMode::kWrite || rw == RwMode::kRandWrite ||
         ((rw == RwMode::kReadWrite || rw == RwMode::kRandRw) && rwmixread < 100);
}
uint64_t JobSpec::MinBlockSize() const {
  if (bssplit.empty()) return bs;
  uint64_t m = UINT64_MAX;
  for (const BlockSizeWeight& w : bssplit) m = std::min(m, w.bytes);
  return m;
}
uint64_t JobSpec::MaxBlockSize() const {
  if (bssplit.empty()) return bs;
  uint64_t m = 0;
  for (const BlockSizeWeight& w : bssplit) m = std::max(m, w.bytes);
  return m;
}

const char* RwModeName(RwMode mode) {
  switch (mode) {
    case RwMode::kRead:
      return "read";
    case RwMode::kWrite:
      return "write";
    case RwMode::kRandRead:
      return "randread";
    case RwMode::kRandWrite:
      return "randwrite";
    case RwMode::kReadWrite:
      return "rw";
    case RwMode::kRandRw:
      return "randrw";
    case RwMode::kTrim:
      return "trim";
    case RwMode::kRandTrim:
      return "randtrim";
  }
  return "?";
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<uint64_t> ParseUnsigned(std::string_view s) {
  s = Trim(s);
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<bool> ParseFlag(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s == "1" || s == "true" || s == "yes" || s == "on") return true;
  if (s == "0" || s == "false" || s == "no" || s == "off") return false;
  return std::nullopt;
}

std::string Bounded(std::string_view key, std::string_view value, uint64_t min, uint64_t max,
                    uint64_t* out) {
  std::optional<uint64_t> v = ParseUnsigned(value);
  if (!v || *v < min || *v > max) {
    return "expected " + std::string(key) + " to be an integer " + std::to_string(min) + ".." +
           std::to_string(max) + ", got \"" + std::string(value) + "\"";
  }
  *out = *v;
  return "";
}

std::string SizeOrPercent(std::string_view value, uint64_t* bytes, uint32_t* percent) {
  value = Trim(value);
  if (!value.empty() && value.back() == '%') {
    std::optional<uint64_t> p = ParseUnsigned(value.substr(0, value.size() - 1));
    if (!p || *p == 0 || *p > 100)
      return "expected a size or a percentage 1%..100%, got \"" + std::string(value) + "\"";
    *percent = static_cast<uint32_t>(*p);
    *bytes = 0;
    return "";
  }
  std::string error;
  std::optional<uint64_t> v = ParseSize(value, SizeStyle::kFio, &error);
  if (!v) return "expected " + error + ", got \"" + std::string(value) + "\"";
  *bytes = *v;
  *percent = 0;
  return "";
}

std::string ParseBlockSize(std::string_view value, uint64_t* out) {
  if (value.find(',') != std::string_view::npos) {
    return "separate read,write block sizes are not supported; give one size";
  }
  std::string error;
  std::optional<uint64_t> v = ParseSize(value, SizeStyle::kFio, &error);
  // The driver's block API moves at most 4 GiB in one request (NLB is 16 bits of 512+ B LBAs
  // per command; larger requests are split) - 128 MiB keeps jobs sane.
  if (!v || *v == 0 || *v > (128ull << 20)) {
    return "expected a block size 1..128MiB (" + (v ? std::string("too large") : error) +
           "), got \"" + std::string(value) + "\"";
  }
  *out = *v;
  return "";
}

std::string ParseBssplit(std::string_view value, std::vector<BlockSizeWeight>* out) {
  if (value.find(',') != std::string_view::npos) {
    return "separate read,write bssplit lists are not supported";
  }
  std::vector<BlockSizeWeight> split;
  std::vector<size_t> blanks;
  uint32_t total = 0;
  size_t pos = 0;
  value = Trim(value);
  while (pos <= value.size()) {
    size_t colon = value.find(':', pos);
    std::string_view item =
        value.substr(pos, colon == std::string_view::npos ? std::string_view::npos : colon - pos);
    size_t slash = item.find('/');
    if (slash == std::string_view::npos) {
      return "expected bssplit as size/percent:size/percent (e.g. 4k/50:64k/50), got \"" +
             std::string(value) + "\"";
    }
    BlockSizeWeight w;
    std::string e = ParseBlockSize(item.substr(0, slash), &w.bytes);
    if (!e.empty()) return "bssplit: " + e;
    std::string_view pct = Trim(item.substr(slash + 1));
    if (pct.empty()) {
      blanks.push_back(split.size());
    } else {
      std::optional<uint64_t> p = ParseUnsigned(pct);
      if (!p || *p > 100)
        return "bssplit: expected a percentage 0..100, got \"" + std::string(pct) + "\"";
      w.percent = static_cast<uint32_t>(*p);
      total += w.percent;
    }
    split.push_back(w);
    if (colon == std::string_view::npos) break;
    pos = colon + 1;
  }
  if (total > 100) return "bssplit percentages add up to " + std::to_string(total) + ", above 100";
  if (!blanks.empty()) {
    // fio: blank percentages share what is left equally (the first ones take the remainder).
    uint32_t left = 100 - total;
    uint32_t each = left / static_cast<uint32_t>(blanks.size());
    uint32_t extra = left % static_cast<uint32_t>(blanks.size());
    for (size_t i = 0; i < blanks.size(); ++i)
      split[blanks[i]].percent = each + (i < extra ? 1 : 0);
    total = 100;
  }
  if (total != 100) return "bssplit percentages add up to " + std::to_string(total) + ", not 100";
  *out = std::move(split);
  return "";
}

std::string ParsePattern(std::string_view value, std::vector<uint8_t>* out) {
  value = Trim(value);
  out->clear();
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    for (char c : value.substr(1, value.size() - 2)) out->push_back(static_cast<uint8_t>(c));
  } else if (value.size() > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X')) {
    std::string_view hex = value.substr(2);
    if (hex.size() % 2 != 0) {
      // fio pads an odd number of hex digits with a leading zero.
      out->push_back(0);
    }
    size_t i = 0;
    if (hex.size() % 2 != 0) {
      uint8_t v = 0;
      auto [p, ec] = std::from_chars(hex.data(), hex.data() + 1, v, 16);
      if (ec != std::errc() || p != hex.data() + 1) return "verify_pattern: bad hex digit";
      out->back() = v;
      i = 1;
    }
    for (; i < hex.size(); i += 2) {
      uint8_t v = 0;
      auto [p, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16);
      if (ec != std::errc() || p != hex.data() + i + 2) return "verify_pattern: bad hex digit";
      out->push_back(v);
    }
  } else if (std::optional<uint64_t> n = ParseUnsigned(value)) {
    // A decimal number is written as its little-endian bytes, like fio.
    uint64_t v = *n;
    do {
      out->push_back(static_cast<uint8_t>(v & 0xFF));
      v >>= 8;
    } while (v != 0);
  } else {
    return "expected verify_pattern as 0x<hex>, a decimal number or a \"quoted string\", got \"" +
           std::string(value) + "\"";
  }
  if (out->empty() || out->size() > 512) return "verify_pattern must be 1..512 bytes";
  return "";
}

std::string ParseDistribution(std::string_view value, JobSpec* job) {
  value = Trim(value);
  size_t colon = value.find(':');
  std::string_view kind = value.substr(0, colon);
  std::optional<double> param;
  if (colon != std::string_view::npos) {
    std::string p(value.substr(colon + 1));
    char* end = nullptr;
    double d = std::strtod(p.c_str(), &end);
    if (p.empty() || *end != '\0') return "random_distribution: \"" + p + "\" is not a number";
    param = d;
  }
  if (kind == "random") {
    if (param) return "random_distribution=random takes no parameter";
    job->distribution = DistributionKind::kUniform;
    job->distribution_param = 0;
    return "";
  }
  if (kind == "zipf") {
    if (!param || !(*param > 0) || *param == 1.0 || *param > 100) {
      return "expected random_distribution=zipf:θ with θ > 0, θ != 1 (e.g. zipf:1.2)";
    }
    job->distribution = DistributionKind::kZipf;
  } else if (kind == "pareto") {
    if (!param || !(*param > 0) || !(*param < 1)) {
      return "expected random_distribution=pareto:h with 0 < h < 1 (e.g. pareto:0.2)";
    }
    job->distribution = DistributionKind::kPareto;
  } else if (kind == "normal") {
    if (!param || !(*param > 0) || *param > 100) {
      return "expected random_distribution=normal:σ with σ in (0, 100] percent of the region";
    }
    job->distribution = DistributionKind::kNormal;
  } else {
    return "expected random_distribution random, zipf:θ, pareto:h or normal:σ, got \"" +
           std::string(value) + "\"";
  }
  job->distribution_param = *param;
  return "";
}

const char* const kIgnored[] = {"ioengine", "direct",      "filename",    "group_reporting",
                                "thread",   "description", "norandommap", "randrepeat"};

}  // namespace

const std::vector<std::string>& SupportedFioOptions() {
  static const std::vector<std::string> options = [] {
    std::vector<std::string> v = {
        "name",        "rw",         "readwrite",      "bs",        "blocksize",
        "bssplit",     "rwmixread",  "rwmixwrite",     "iodepth",   "numjobs",
        "size",        "offset",     "io_size",        "io_limit",  "number_ios",
        "runtime",     "time_based", "startdelay",     "zonemode",  "max_open_zones",
        "zone_append", "verify",     "verify_pattern", "do_verify", "random_distribution",
        "randseed",    "fsync",      "end_fsync"};
    for (const char* i : kIgnored) v.emplace_back(i);
    return v;
  }();
  return options;
}

std::string ApplyFioOption(JobSpec& job, std::string_view key, std::string_view raw_value) {
  std::string_view value = Trim(raw_value);
  uint64_t n = 0;
  std::string e;
  if (key == "name") {
    if (value.empty()) return "name needs a value";
    job.name = std::string(value);
  } else if (key == "rw" || key == "readwrite") {
    static const std::pair<std::string_view, RwMode> kModes[] = {
        {"read", RwMode::kRead},         {"write", RwMode::kWrite},
        {"randread", RwMode::kRandRead}, {"randwrite", RwMode::kRandWrite},
        {"rw", RwMode::kReadWrite},      {"readwrite", RwMode::kReadWrite},
        {"randrw", RwMode::kRandRw},     {"trim", RwMode::kTrim},
        {"randtrim", RwMode::kRandTrim}};
    for (const auto& [text, mode] : kModes) {
      if (text == value) {
        job.rw = mode;
        return "";
      }
    }
    return "expected rw one of read, write, randread, randwrite, rw, readwrite, randrw, trim, "
           "randtrim, got \"" +
           std::string(value) + "\"";
  } else if (key == "bs" || key == "blocksize") {
    return ParseBlockSize(value, &job.bs);
  } else if (key == "bssplit") {
    return ParseBssplit(value, &job.bssplit);
  } else if (key == "rwmixread" || key == "rwmixwrite") {
    e = Bounded(key, value, 0, 100, &n);
    if (!e.empty()) return e;
    job.rwmixread = static_cast<uint32_t>(key == "rwmixread" ? n : 100 - n);
  } else if (key == "iodepth") {
    // An NVMe I/O queue holds at most 65536 entries (CAP.MQES is 16 bits, 0's based).
    e = Bounded(key, value, 1, 65536, &n);
    job.iodepth = static_cast<uint32_t>(n);
  } else if (key == "numjobs") {
    e = Bounded(key, value, 1, 4096, &n);
    job.numjobs = static_cast<uint32_t>(n);
  } else if (key == "size") {
    e = SizeOrPercent(value, &job.size, &job.size_percent);
    if (e.empty() && job.size == 0 && job.size_percent == 0) e = "size must be above zero";
  } else if (key == "offset") {
    e = SizeOrPercent(value, &job.offset, &job.offset_percent);
  } else if (key == "io_size" || key == "io_limit") {
    std::string err;
    std::optional<uint64_t> v = ParseSize(value, SizeStyle::kFio, &err);
    if (!v || *v == 0)
      return "expected " + std::string(key) + " as a size above zero (" + err + ")";
    job.io_size = *v;
  } else if (key == "number_ios") {
    e = Bounded(key, value, 1, UINT64_MAX, &n);
    job.number_ios = n;
  } else if (key == "runtime" || key == "startdelay") {
    std::string err;
    std::optional<uint64_t> v = ParseDuration(value, kPsPerSecond, &err);
    if (!v) return "expected " + std::string(key) + " as " + err + " (a bare number is seconds)";
    (key == "runtime" ? job.runtime_ps : job.startdelay_ps) = *v;
  } else if (key == "time_based" || key == "do_verify" || key == "end_fsync" ||
             key == "zone_append") {
    std::optional<bool> b = ParseFlag(value);
    if (!b)
      return "expected " + std::string(key) + " as 0 or 1, got \"" + std::string(value) + "\"";
    if (key == "time_based") job.time_based = *b;
    if (key == "do_verify") job.do_verify = *b;
    if (key == "end_fsync") job.end_fsync = *b;
    if (key == "zone_append") job.zone_append = *b;
  } else if (key == "zonemode") {
    if (value == "none") {
      job.zonemode = ZoneMode::kNone;
    } else if (value == "zbd") {
      job.zonemode = ZoneMode::kZbd;
    } else {
      return "expected zonemode none or zbd (strided is not supported), got \"" +
             std::string(value) + "\"";
    }
  } else if (key == "max_open_zones") {
    e = Bounded(key, value, 1, UINT32_MAX, &n);
    job.max_open_zones = static_cast<uint32_t>(n);
  } else if (key == "verify") {
    if (value == "0" || value == "none") {
      job.verify = VerifyMode::kNone;
    } else if (value == "pattern") {
      job.verify = VerifyMode::kPattern;
    } else if (value == "crc32c" || value == "crc32c-intel") {
      job.verify = VerifyMode::kCrc32c;
    } else {
      return "expected verify one of 0, none, pattern, crc32c, crc32c-intel, got \"" +
             std::string(value) + "\"";
    }
  } else if (key == "verify_pattern") {
    e = ParsePattern(value, &job.verify_pattern);
    if (e.empty() && job.verify == VerifyMode::kNone) job.verify = VerifyMode::kPattern;
  } else if (key == "random_distribution") {
    return ParseDistribution(value, &job);
  } else if (key == "randseed") {
    e = Bounded(key, value, 0, UINT64_MAX, &n);
    job.randseed = n;
  } else if (key == "fsync") {
    e = Bounded(key, value, 0, UINT32_MAX, &n);
    job.fsync = static_cast<uint32_t>(n);
  } else {
    for (const char* i : kIgnored) {
      if (key == i) {
        job.ignored[std::string(key)] = std::string(value);
        return "";
      }
    }
    std::string list;
    for (const std::string& o : SupportedFioOptions()) list += (list.empty() ? "" : " ") + o;
    return "unknown or unsupported fio option \"" + std::string(key) + "\"" +
           DidYouMean(key, SupportedFioOptions()) + " (supported: " + list + ")";
  }
  return e;
}

std::string CheckJobOptions(const JobSpec& job) {
  if (job.zone_append && job.zonemode != ZoneMode::kZbd) return "zone_append=1 needs zonemode=zbd";
  if (job.time_based && job.runtime_ps == 0) return "time_based needs runtime";
  if (job.verify == VerifyMode::kPattern && job.verify_pattern.empty()) {
    return "verify=pattern needs verify_pattern";
  }
  if (job.max_open_zones != 0 && job.zonemode != ZoneMode::kZbd) {
    return "max_open_zones needs zonemode=zbd";
  }
  return "";
}

std::map<std::string, std::string> JobOptionsForReport(const JobSpec& job) {
  std::map<std::string, std::string> o;
  o["rw"] = RwModeName(job.rw);
  o["bs"] = std::to_string(job.bs);
  o["iodepth"] = std::to_string(job.iodepth);
  if (!job.bssplit.empty()) {
    std::string s;
    for (const BlockSizeWeight& w : job.bssplit) {
      s += (s.empty() ? "" : ":") + std::to_string(w.bytes) + "/" + std::to_string(w.percent);
    }
    o["bssplit"] = s;
  }
  if (job.rw == RwMode::kReadWrite || job.rw == RwMode::kRandRw)
    o["rwmixread"] = std::to_string(job.rwmixread);
  if (job.numjobs != 1) o["numjobs"] = std::to_string(job.numjobs);
  if (job.size_percent)
    o["size"] = std::to_string(job.size_percent) + "%";
  else if (job.size)
    o["size"] = std::to_string(job.size);
  if (job.offset_percent)
    o["offset"] = std::to_string(job.offset_percent) + "%";
  else if (job.offset)
    o["offset"] = std::to_string(job.offset);
  if (job.io_size) o["io_size"] = std::to_string(job.io_size);
  if (job.number_ios) o["number_ios"] = std::to_string(job.number_ios);
  if (job.runtime_ps) o["runtime"] = FormatDuration(job.runtime_ps);
  if (job.time_based) o["time_based"] = "1";
  if (job.zonemode == ZoneMode::kZbd) o["zonemode"] = "zbd";
  if (job.zone_append) o["zone_append"] = "1";
  if (job.verify == VerifyMode::kPattern) o["verify"] = "pattern";
  if (job.verify == VerifyMode::kCrc32c) o["verify"] = "crc32c";
  switch (job.distribution) {
    case DistributionKind::kUniform:
      break;
    case DistributionKind::kZipf:
    case DistributionKind::kPareto:
    case DistributionKind::kNormal: {
      char buf[64];
      const char* kind = job.distribution == DistributionKind::kZipf     ? "zipf"
                         : job.distribution == DistributionKind::kPareto ? "pareto"
                                                                         : "normal";
      std::snprintf(buf, sizeof buf, "%s:%g", kind, job.distribution_param);
      o["random_distribution"] = buf;
      break;
    }
  }
  if (job.fsync) o["fsync"] = std::to_string(job.fsync);
  return o;
}

std::vector<JobSpec> ParseFioJobFile(std::string_view text, const std::string& path) {
  std::vector<JobSpec> jobs;
  JobSpec global;
  global.file = path;
  JobSpec* current = nullptr;
  bool in_global = false;
  std::string section;
  int line_no = 0;
  auto fail = [&](int line, const std::string& key, const std::string& message) {
    Diagnostic d;
    d.file = path;
    d.line = line;
    d.key = key;
    d.message = message;
    throw ScenarioError(std::move(d));
  };
  auto finish = [&](JobSpec* job) {
    if (job == nullptr) return;
    std::string e = CheckJobOptions(*job);
    if (!e.empty()) fail(job->line, "[" + job->name + "]", e);
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    // A job file is text: a control byte means a binary or corrupt file.
    for (size_t i = 0; i < line.size(); ++i) {
      const auto u = static_cast<unsigned char>(line[i]);
      if ((u < 0x20 && u != '\t' && u != '\r') || u == 0x7F) {
        char buf[96];
        std::snprintf(buf, sizeof buf,
                      "expected a text job file, found control byte 0x%02x at column %zu", u,
                      i + 1);
        fail(line_no, "", buf);
      }
    }
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      if (line.back() != ']') fail(line_no, "", "expected a section header like [jobname]");
      section = std::string(Trim(line.substr(1, line.size() - 2)));
      if (section.empty()) fail(line_no, "", "empty section name");
      finish(current);
      if (section == "global") {
        in_global = true;
        current = nullptr;
      } else {
        for (const JobSpec& j : jobs) {
          if (j.name == section) fail(line_no, "[" + section + "]", "job defined twice");
        }
        in_global = false;
        jobs.push_back(global);
        current = &jobs.back();
        current->name = section;
        current->file = path;
        current->line = line_no;
      }
      continue;
    }
    size_t eq = line.find('=');
    std::string key(Trim(line.substr(0, eq)));
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : line.substr(eq + 1);
    if (key == "include" || key.rfind("include ", 0) == 0) {
      fail(line_no, key, "include is not supported; put the options in this file");
    }
    if (!in_global && current == nullptr) {
      fail(line_no, key, "option outside any section (start with [global] or [jobname])");
    }
    JobSpec& target = in_global ? global : *current;
    std::string e = ApplyFioOption(target, key, value);
    if (!e.empty()) fail(line_no, "[" + section + "] " + key, e);
  }
  finish(current);
  if (jobs.empty()) fail(line_no, "", "no job section in the file (only [global]?)");
  return jobs;
}

std::vector<JobSpec> LoadFioJobFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Diagnostic d;
    d.file = path;
    d.message = "cannot open fio job file";
    throw ScenarioError(std::move(d));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ParseFioJobFile(ss.str(), path);
}

}  // namespace nvmesim::harness
