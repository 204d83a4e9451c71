// Zone Management Send on the NAND/FTL media model of the target profile: a
// reset of a written zone costs the erase of its superblocks.
#include "device_model/zns/zns_media.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "device_model/media/profile_loader.h"
#include "spec/opcodes.h"

namespace nvmesim::device::zns {
namespace {

class Io : public IoServices {
 public:
  explicit Io(MediaTiming& m) : media_(m) {}
  std::vector<uint8_t> host = std::vector<uint8_t>(1 << 20, 0x5A);
  uint64_t now = 0, last_ps = 0;
  spec::Status ToHost(const spec::Sqe&, const void*, uint64_t) override {
    return spec::Status::Ok();
  }
  spec::Status FromHost(const spec::Sqe&, void* d, uint64_t len) override {
    std::memcpy(d, host.data(), len);
    return spec::Status::Ok();
  }
  spec::Status CheckMdts(uint64_t) const override { return spec::Status::Ok(); }
  void AddMediaTime(const MediaOp& op) override { last_ps += media_.LatencyPs(op, now); }
  uint64_t NowPs() const override { return now; }
  void AddLatencyPs(uint64_t ps) override { last_ps += ps; }

 private:
  MediaTiming& media_;
};

TEST(ZnsMedia, ResetOfWrittenZoneCostsAnErase) {
  const media::ProfileLoad load = media::LoadProfile("scenarios/profiles/target.toml");
  ASSERT_TRUE(load.ok()) << load.error;
  media::MediaModel model(load.profile);
  SubsystemConfig sc;
  NamespaceConfig n;
  n.csi = 2;
  n.size_lbas = 16 * 16384;  // 16 zones of 64 MiB
  sc.namespaces = {n};
  Subsystem sub(sc);
  ZnsCommandSetConfig c;
  c.defaults.zone_size_lbas = 16384;
  c.defaults.zone_capacity_lbas = 16384;
  c.media = MediaModelZoneCost(model);
  model.ConfigureZoned(1, 16384, 4096);
  ZnsCommandSet zns(sub, c);
  Io io(model);
  // Write 16 MiB into zone 0 in 256 KiB commands, then reset it.
  for (uint32_t i = 0; i < 64; ++i) {
    spec::Sqe w{};
    w.opcode = static_cast<uint8_t>(spec::NvmOpcode::kWrite);
    w.nsid = 1;
    w.cdw10 = i * 64;
    w.cdw12 = 63;
    IoCommand cmd{w, *sub.Find(1), 1};
    io.last_ps = 0;
    ASSERT_TRUE(zns.Execute(cmd, io).ok());
    io.now += io.last_ps;
  }
  io.now += 1'000'000'000'000;  // 1 s later: programs done
  spec::Sqe r{};
  r.opcode = static_cast<uint8_t>(spec::ZnsOpcode::kZoneManagementSend);
  r.nsid = 1;
  r.cdw13 = static_cast<uint8_t>(spec::ZoneSendAction::kReset);
  IoCommand cmd{r, *sub.Find(1), 1};
  io.last_ps = 0;
  ASSERT_TRUE(zns.Execute(cmd, io).ok());
  const uint64_t reset_ps = io.last_ps;
  // Resetting an empty zone is a state no-op: no media cost at all.
  r.cdw10 = 16384;
  IoCommand empty{r, *sub.Find(1), 1};
  io.last_ps = 0;
  ASSERT_TRUE(zns.Execute(empty, io).ok());
  EXPECT_EQ(io.last_ps, 0u);
  // The erase of NAND blocks takes at least a millisecond in any profile
  // worth the name; the firmware command cost alone is microseconds.
  EXPECT_GT(reset_ps, 1'000'000'000u) << reset_ps;
  EXPECT_GE(model.Stats().nand.erases, 1u);
}

}  // namespace
}  // namespace nvmesim::device::zns
