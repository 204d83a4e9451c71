#include "device_model/media/profile_loader.h"

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <vector>

namespace nvmesim::device::media {
namespace {

// One settable key: its name and how to store a TOML node into the profile.
struct Field {
  const char* key;
  // Returns "" or what is wrong with the value.
  std::function<std::string(const toml::node&, MediaProfile&)> set;
};

template <typename T>
Field Unsigned(const char* key, std::function<T&(MediaProfile&)> ref) {
  return {key, [ref](const toml::node& n, MediaProfile& p) -> std::string {
            auto v = n.value_exact<int64_t>();
            if (!v) return "expects an integer";
            if (*v < 0) return std::to_string(*v) + " is negative";
            if (static_cast<uint64_t>(*v) > static_cast<uint64_t>(std::numeric_limits<T>::max()))
              return std::to_string(*v) + " does not fit (at most " +
                     std::to_string(std::numeric_limits<T>::max()) + ")";
            ref(p) = static_cast<T>(*v);
            return "";
          }};
}

Field Bool(const char* key, std::function<bool&(MediaProfile&)> ref) {
  return {key, [ref](const toml::node& n, MediaProfile& p) -> std::string {
            auto v = n.value_exact<bool>();
            if (!v) return "expects true or false";
            ref(p) = *v;
            return "";
          }};
}

Field Real(const char* key, std::function<double&(MediaProfile&)> ref) {
  return {key, [ref](const toml::node& n, MediaProfile& p) -> std::string {
            auto v = n.value<double>();  // integers accepted
            if (!v) return "expects a number";
            ref(p) = *v;
            return "";
          }};
}

#define U32(sec, f) Unsigned<uint32_t>(#f, [](MediaProfile& p) -> uint32_t& { return p.sec.f; })
#define U64(sec, f) Unsigned<uint64_t>(#f, [](MediaProfile& p) -> uint64_t& { return p.sec.f; })
#define UNS(sec, f) Unsigned<unsigned>(#f, [](MediaProfile& p) -> unsigned& { return p.sec.f; })
#define BOOL(sec, f) Bool(#f, [](MediaProfile& p) -> bool& { return p.sec.f; })

struct Section {
  const char* name;
  std::vector<Field> fields;
};

const std::vector<Section>& Sections() {
  static const std::vector<Section> s = {
      {"link",
       {UNS(link, generation), UNS(link, width), U32(link, max_payload_size),
        U32(link, max_read_request_size)}},
      {"nand", {U32(nand, channels),
                U32(nand, dies_per_channel),
                U32(nand, planes_per_die),
                U32(nand, blocks_per_plane),
                U32(nand, pages_per_block),
                U32(nand, page_bytes),
                U32(nand, spare_bytes),
                U32(nand, pages_per_program),
                U64(nand, t_read_ns),
                U64(nand, t_prog_ns),
                U64(nand, t_erase_ns),
                U32(nand, channel_mts),
                U64(nand, t_cmd_ns),
                BOOL(nand, multi_plane),
                BOOL(nand, independent_plane_reads),
                BOOL(nand, cache_read),
                BOOL(nand, suspend),
                U64(nand, t_suspend_ns),
                U64(nand, t_resume_ns),
                U32(nand, max_suspends)}},
      {"controller",
       {U32(controller, cores), U32(controller, clock_mhz), U32(controller, read_cycles),
        U32(controller, write_cycles), U32(controller, flush_cycles),
        U32(controller, deallocate_cycles), U32(controller, other_cycles),
        U32(controller, unit_cycles)}},
      {"cache", {U64(cache, bytes), U64(cache, bandwidth_mbps), BOOL(cache, power_loss_protected)}},
      {"ftl",
       {U32(ftl, mapping_unit_bytes),
        Real("over_provisioning",
             [](MediaProfile& p) -> double& { return p.ftl.over_provisioning; }),
        U32(ftl, gc_low_superblocks), U32(ftl, gc_high_superblocks)}},
  };
  return s;
}

std::string At(const std::string& source, const toml::node* n) {
  std::ostringstream o;
  o << source;
  if (n && n->source().begin.line) o << ":" << n->source().begin.line;
  return o.str();
}

// The node a validation message's key ("nand.channel_mts: ...") refers to.
const toml::node* NodeOfMessage(const toml::table& root, const std::string& msg) {
  const auto colon = msg.find(':');
  if (colon == std::string::npos) return nullptr;
  const std::string key = msg.substr(0, colon);
  const auto dot = key.find('.');
  if (dot == std::string::npos) return root.get(key);
  const toml::table* t = root[key.substr(0, dot)].as_table();
  return t ? t->get(key.substr(dot + 1)) : nullptr;
}

}  // namespace

ProfileLoad ParseProfile(std::string_view text, const std::string& source) {
  ProfileLoad out;
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream o;
    o << source << ":" << e.source().begin.line << ": " << e.description();
    out.error = o.str();
    return out;
  }
  MediaProfile& p = out.profile;
  for (auto&& [k, node] : root) {
    const std::string key(k.str());
    if (key == "name") {
      auto v = node.value_exact<std::string>();
      if (!v) return out.error = At(source, &node) + ": name: expects a string", out;
      p.name = *v;
    } else if (key == "unlimited") {
      auto v = node.value_exact<bool>();
      if (!v) return out.error = At(source, &node) + ": unlimited: expects true or false", out;
      p.unlimited = *v;
    } else if (key == "thermal") {
      // The drive's thermal character: read with the scenario's thermal
      // settings (docs/profiles.md), not part of the media timing.
      if (!node.is_table())
        return out.error = At(source, &node) + ": thermal: expects a table", out;
    } else {
      const Section* sec = nullptr;
      for (const Section& s : Sections())
        if (key == s.name) sec = &s;
      if (!sec) {
        out.error = At(source, &node) + ": " + key +
                    ": unknown key (known: name, unlimited, [link], [nand], [controller], "
                    "[cache], [ftl], [thermal])";
        return out;
      }
      const toml::table* t = node.as_table();
      if (!t) return out.error = At(source, &node) + ": " + key + ": expects a table", out;
      for (auto&& [fk, fnode] : *t) {
        const std::string fkey(fk.str());
        const Field* f = nullptr;
        for (const Field& cand : sec->fields)
          if (fkey == cand.key) f = &cand;
        if (!f) {
          std::string known;
          for (const Field& cand : sec->fields) {
            known += (known.empty() ? "" : ", ") + std::string(cand.key);
          }
          out.error = At(source, &fnode) + ": " + key + "." + fkey + ": unknown key (known in [" +
                      key + "]: " + known + ")";
          return out;
        }
        const std::string e = f->set(fnode, p);
        if (!e.empty()) {
          out.error = At(source, &fnode) + ": " + key + "." + fkey + ": " + e;
          return out;
        }
      }
    }
  }
  if (p.name.empty()) {
    out.error = source + ": name: missing (every profile names itself)";
    return out;
  }
  const std::string e = ValidateProfile(p);
  if (!e.empty()) out.error = At(source, NodeOfMessage(root, e)) + ": " + e;
  return out;
}

ProfileLoad LoadProfile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || !std::filesystem::is_regular_file(path, ec)) {
    ProfileLoad out;
    out.error = path + ": cannot open the profile file";
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseProfile(text.str(), path);
}

}  // namespace nvmesim::device::media
