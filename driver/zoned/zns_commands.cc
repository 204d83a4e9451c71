#include "driver/zoned/zns_commands.h"

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <memory>

#include "driver/text.h"
#include "spec/identify.h"

namespace nvmesim::driver::zoned {

// Zoned Namespace Command Set (Base 2.0 Figure 286).
constexpr uint8_t kCsiZoned = static_cast<uint8_t>(spec::CommandSetIdentifier::kZoned);

namespace {
std::string Limit(uint32_t count) {
  // Printed 0's based like the Identify field; FFFFFFFFh = no limit.
  return count == 0 ? "0xffffffff (no limit)" : Printf("%u", count - 1);
}
constexpr spec::ZoneState kStates[] = {spec::ZoneState::kEmpty,
                                       spec::ZoneState::kImplicitlyOpened,
                                       spec::ZoneState::kExplicitlyOpened,
                                       spec::ZoneState::kClosed,
                                       spec::ZoneState::kReadOnly,
                                       spec::ZoneState::kFull,
                                       spec::ZoneState::kOffline};
}  // namespace

const char* ZoneStateCliName(spec::ZoneState s) {
  switch (s) {
    case spec::ZoneState::kEmpty:
      return "EMPTY";
    case spec::ZoneState::kImplicitlyOpened:
      return "IMP_OPENED";
    case spec::ZoneState::kExplicitlyOpened:
      return "EXP_OPENED";
    case spec::ZoneState::kClosed:
      return "CLOSED";
    case spec::ZoneState::kReadOnly:
      return "READONLY";
    case spec::ZoneState::kFull:
      return "FULL";
    case spec::ZoneState::kOffline:
      return "OFFLINE";
  }
  return "UNKNOWN";
}

std::optional<spec::ZoneState> ParseZoneStateName(const std::string& name) {
  std::string up = name;
  std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return std::toupper(c); });
  for (spec::ZoneState s : kStates) {
    if (up == ZoneStateCliName(s)) return s;
  }
  return std::nullopt;
}

std::string ZonedNamespaceError(const char* command, const NamespaceManager& namespaces,
                                uint32_t nsid) {
  const NamespaceInfo* ns = namespaces.Find(nsid);
  if (ns != nullptr && ns->csi == kCsiZoned) return "";
  std::string zoned;
  for (const auto& [id, info] : namespaces.table()) {
    if (info.csi == kCsiZoned) zoned += (zoned.empty() ? "" : ", ") + std::to_string(id);
  }
  return (ns == nullptr
              ? Printf("%s: no namespace %u on this controller", command, nsid)
              : Printf("%s: namespace %u is not zoned (command set %u)", command, nsid, ns->csi)) +
         "; zoned namespaces here: " + (zoned.empty() ? std::string("none") : zoned);
}

std::string ZnsInfoText(const ZoneManager& m, uint32_t nsid, const ZnsInfoOptions& o,
                        std::string* error) {
  const ZonedNamespaceInfo* ns = m.Namespace(nsid);
  if (!ns) {
    if (error)
      *error = "nvme-zns-info: namespace " + std::to_string(nsid) + " is not a zoned namespace";
    return "";
  }
  std::string out;
  // The `nvme zns id-ns` part (ZNS 1.1 Identify Namespace, CNS 05h CSI 02h).
  out += Printf("ZNS Command Set Identify Namespace (nsid %u):\n", nsid);
  out += Printf("zoc     : %u\n", ns->zoc);
  out += Printf("ozcs    : %u\n", ns->ozcs);
  out += "mar     : " + Limit(ns->max_active) + "\n";
  out += "mor     : " + Limit(ns->max_open) + "\n";
  out += Printf("rrl     : %u\n", ns->rrl);
  out += Printf("frl     : %u\n", ns->frl);
  out += Printf("zasl    : %u\n", ns->zasl);
  out += Printf("lbafe   : zsze:0x%" PRIx64 " zdes:%u (in use)\n", ns->zone_size, ns->zdes);
  out += Printf("zone size: %" PRIu64 " blocks x %u bytes, zones: %u (device %u)\n", ns->zone_size,
                ns->lba_bytes, ns->zone_count, ns->device_zones);
  uint32_t counts[16] = {};
  for (uint32_t z = 0; z < ns->zone_count; ++z)
    ++counts[static_cast<uint8_t>(m.Zone(nsid, z)->state) & 0xF];
  out += "zone states:";
  for (spec::ZoneState s : kStates)
    out += Printf(" %s=%u", ZoneStateCliName(s), counts[static_cast<uint8_t>(s)]);
  out += Printf("\nopen: %u active: %u\n", m.open_zones(nsid), m.active_zones(nsid));
  if (!o.zones) return out;
  // The `nvme zns report-zones` part.
  std::string rows;
  uint32_t printed = 0;
  for (uint32_t z = o.first_zone; z < ns->zone_count && printed < o.max_zones; ++z) {
    const ZoneInfo& zi = *m.Zone(nsid, z);
    if (o.state && zi.state != *o.state) continue;
    rows += Printf("SLBA: %#-10" PRIx64 " WP: %#-10" PRIx64 " Cap: %#-10" PRIx64
                   " State: %-12s Type: SEQWRITE_REQ   Attrs: %#x\n",
                   zi.zslba, zi.wp, zi.zcap, ZoneStateCliName(zi.state), zi.za);
    ++printed;
  }
  out += Printf("nr_zones: %u\n", printed) + rows;
  return out;
}

void ZnsCreate(NamespaceManager& namespaces, const ZnsCreateParams& p,
               std::function<void(spec::Status, uint32_t, const std::string&)> done) {
  if (p.blocks == 0) {
    return done(spec::Status(spec::GenericStatus::kInvalidField, true), 0,
                "nvme-zns-create: --blocks must be at least 1");
  }
  NamespaceCreateParams c;
  c.nsze = c.ncap = p.blocks;
  c.flbas = p.flbas;
  c.csi = kCsiZoned;
  namespaces.Create(c, [&namespaces, p, done](spec::Status st, uint32_t nsid) {
    if (!st.ok()) return done(st, 0, "create-ns: " + st.ToString());
    const std::string created = Printf("create-ns: Success, created nsid:%u", nsid);
    if (p.attach_to.empty()) return done(st, nsid, created);
    namespaces.Attach(nsid, p.attach_to, true, [&namespaces, nsid, created, done](spec::Status a) {
      if (!a.ok()) return done(a, nsid, created + "\nattach-ns: " + a.ToString());
      const std::string text = created + Printf("\nattach-ns: Success, nsid:%u", nsid);
      namespaces.Scan([nsid, text, done](spec::Status) { done(spec::Status::Ok(), nsid, text); });
    });
  });
}

void ZnsDelete(NamespaceManager& namespaces, uint32_t nsid,
               const std::vector<uint16_t>& detach_from,
               std::function<void(spec::Status, const std::string&)> done) {
  auto remove = [&namespaces, nsid, done](const std::string& before) {
    namespaces.Delete(nsid, [&namespaces, nsid, before, done](spec::Status st) {
      if (!st.ok()) return done(st, before + "delete-ns: " + st.ToString());
      const std::string text = before + Printf("delete-ns: Success, deleted nsid:%u", nsid);
      namespaces.Scan([text, done](spec::Status) { done(spec::Status::Ok(), text); });
    });
  };
  // Like nvme-zns-info: only a zoned namespace this controller knows.
  const std::string refused = ZonedNamespaceError("nvme-zns-delete", namespaces, nsid);
  if (!refused.empty()) {
    return done(spec::Status(spec::GenericStatus::kInvalidNamespaceOrFormat, true), refused);
  }
  if (detach_from.empty()) return remove("");
  namespaces.Attach(nsid, detach_from, false, [remove, nsid, done](spec::Status st) {
    if (!st.ok()) return done(st, "detach-ns: " + st.ToString());
    remove(Printf("detach-ns: Success, nsid:%u\n", nsid));
  });
}

}  // namespace nvmesim::driver::zoned
