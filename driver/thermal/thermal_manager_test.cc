// The thermal manager against a scripted admin channel: what it sends
// (Identify, Set Features 0Ch with the planned table, 10h, Get Log Page 02h),
// when it polls, and how threshold events and the forecaster are wired.
#include "driver/thermal/thermal_manager.h"

#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "driver/thermal/test_power_states.h"
#include "spec/opcodes.h"

namespace nvmesim::driver::thermal {
namespace {

constexpr uint64_t kSec = 1'000'000'000ull;

class FakeDma : public hal::DmaMemory {
 public:
  hal::DmaBuffer Allocate(size_t size, size_t align) override {
    auto mem = std::make_unique<std::vector<uint8_t>>(size + align, 0);
    const uint64_t base = next_bus_;
    next_bus_ += (size + 0xFFFF) & ~uint64_t{0xFFF};
    uint8_t* cpu = mem->data();
    regions_[base] = {cpu, size};
    store_.push_back(std::move(mem));
    return hal::DmaBuffer{cpu, base, size};
  }
  void Free(const hal::DmaBuffer& b) override { regions_.erase(b.bus); }
  uint8_t* At(uint64_t bus) {
    for (auto& [base, r] : regions_) {
      if (bus >= base && bus < base + r.second) return r.first + (bus - base);
    }
    return nullptr;
  }

 private:
  uint64_t next_bus_ = 0x10000;
  std::map<uint64_t, std::pair<uint8_t*, size_t>> regions_;
  std::vector<std::unique_ptr<std::vector<uint8_t>>> store_;
};

class FakeClock : public hal::Clock {
 public:
  uint64_t NowNs() override { return now; }
  TimerId StartTimer(uint64_t delay, Callback cb) override {
    timers[++next] = {now + delay, std::move(cb)};
    return next;
  }
  void CancelTimer(TimerId id) override { timers.erase(id); }
  // Runs due timers in (time, id) order up to `until`.
  void RunUntil(uint64_t until) {
    for (;;) {
      auto best = timers.end();
      for (auto it = timers.begin(); it != timers.end(); ++it) {
        if (it->second.first <= until &&
            (best == timers.end() || it->second.first < best->second.first)) {
          best = it;
        }
      }
      if (best == timers.end()) break;
      now = best->second.first;
      Callback cb = std::move(best->second.second);
      timers.erase(best);
      cb();
    }
    now = until;
  }
  uint64_t now = 0;
  TimerId next = 0;
  std::map<TimerId, std::pair<uint64_t, Callback>> timers;
};

class FakeAdmin : public AdminChannel {
 public:
  spec::Status SubmitAdmin(const spec::Sqe& sqe, std::function<void(const spec::Cqe&)> done,
                           uint64_t) override {
    pending.push_back({sqe, std::move(done)});
    sent.push_back(sqe);
    return spec::Status::Ok();
  }
  hal::DmaMemory* dma() override { return &mem; }
  hal::Log* log() override { return nullptr; }

  // Completes every pending command as a controller with `id` would.
  void CompleteAll() {
    while (!pending.empty()) {
      auto [sqe, done] = std::move(pending.front());
      pending.pop_front();
      spec::Cqe cqe{};
      const auto op = static_cast<spec::AdminOpcode>(sqe.opcode);
      if (op == spec::AdminOpcode::kIdentify) {
        std::memcpy(mem.At(sqe.prp1), &id, sizeof(id));
      } else if (op == spec::AdminOpcode::kGetLogPage) {
        spec::SmartHealthLog log;
        log.composite_temperature = kelvin;
        log.thermal_management_temperature1_transition_count = tmt1_count;
        std::memcpy(mem.At(sqe.prp1), &log, sizeof(log));
        ++smart_reads;
      } else if (op == spec::AdminOpcode::kSetFeatures) {
        const uint8_t fid = sqe.cdw10 & 0xFF;
        features[fid] = sqe.cdw11;
        if (fid == static_cast<uint8_t>(spec::FeatureId::kAutonomousPowerStateTransition)) {
          std::memcpy(&apst, mem.At(sqe.prp1), sizeof(apst));
        }
      }
      done(cqe);
    }
  }

  FakeDma mem;
  spec::IdentifyController id{};
  uint16_t kelvin = 320;
  uint32_t tmt1_count = 0;
  uint64_t smart_reads = 0;
  std::map<uint8_t, uint32_t> features;
  spec::ApstData apst{};
  std::deque<std::pair<spec::Sqe, std::function<void(const spec::Cqe&)>>> pending;
  std::vector<spec::Sqe> sent;
};

struct Rig {
  FakeAdmin admin;
  FakeClock clock;
  Rig() {
    const auto psd = testing::ClientPowerStates();
    for (size_t i = 0; i < psd.size(); ++i) admin.id.psd[i] = psd[i];
    admin.id.npss = 4;
    admin.id.apsta = 1;
    admin.id.wctemp = 343;
    admin.id.cctemp = 358;
    admin.id.hctma = 1;
    admin.id.mntmt = 313;
    admin.id.mxtmt = 353;
  }
};

TEST(ThermalManager, ProgramsApstAndHctmThenPolls) {
  Rig rig;
  ThermalManagerOptions o;
  o.advanced_power_management = true;
  o.tmt1 = 338;
  o.tmt2 = 345;
  ThermalManager tm(rig.admin, rig.clock, o);
  spec::Status started(spec::GenericStatus::kInternalError);
  tm.Start([&](spec::Status s) { started = s; });
  rig.admin.CompleteAll();
  EXPECT_TRUE(started.ok());
  ASSERT_GE(rig.admin.sent.size(), 4u);
  EXPECT_EQ(rig.admin.sent[0].opcode, static_cast<uint8_t>(spec::AdminOpcode::kIdentify));
  EXPECT_EQ(rig.admin.sent[0].cdw10 & 0xFF, 1u);  // CNS 01h
  // HCTM: TMT1 bits 31:16, TMT2 bits 15:0.
  EXPECT_EQ(rig.admin.features[0x10], (338u << 16) | 345u);
  // APST: APSTE and the planner's table in the data buffer.
  EXPECT_EQ(rig.admin.features[0x0C], 1u);
  EXPECT_EQ(rig.admin.apst.entry[0].itps(), 3u);
  EXPECT_EQ(rig.admin.apst.entry[0].itpt(), 71u);
  EXPECT_EQ(rig.admin.apst.entry[3].itps(), 4u);
  EXPECT_EQ(tm.apst_programs(), 1u);
  EXPECT_EQ(tm.forecaster().limit_kelvin(), 338.0);  // TMT1 is where throttling starts
  // First SMART read at start, then one per poll interval.
  EXPECT_EQ(rig.admin.smart_reads, 1u);
  for (int i = 1; i <= 5; ++i) {
    rig.admin.kelvin = static_cast<uint16_t>(320 + i);
    rig.clock.RunUntil(i * kSec);
    rig.admin.CompleteAll();
  }
  EXPECT_EQ(rig.admin.smart_reads, 6u);
  EXPECT_EQ(tm.monitor().stats().last_kelvin, 325);
  EXPECT_NEAR(tm.monitor().stats().slope_k_per_min, 60.0, 1e-6);
  const auto& log_sqe = rig.admin.sent.back();
  EXPECT_EQ(log_sqe.opcode, static_cast<uint8_t>(spec::AdminOpcode::kGetLogPage));
  EXPECT_EQ(log_sqe.cdw10 & 0xFF, 0x02u);        // SMART / Health
  EXPECT_EQ(log_sqe.cdw10 >> 16, 512u / 4 - 1);  // NUMDL
  EXPECT_EQ(log_sqe.cdw10 & (1u << 15), 0u);     // RAE clear: unmask the event type
  const std::string text = tm.FormatStats(true);
  EXPECT_NE(text.find("now 325 K"), std::string::npos) << text;
  EXPECT_NE(text.find("PS0 -> PS3 after 71 ms idle"), std::string::npos) << text;
}

TEST(ThermalManager, TemperatureEventReadsSmartAtOnce) {
  Rig rig;
  ThermalManager tm(rig.admin, rig.clock, ThermalManagerOptions{});
  std::vector<SmartSample> seen;
  tm.SetSmartObserver([&](const SmartSample& s) { seen.push_back(s); });
  tm.Start([](spec::Status) {});
  rig.admin.CompleteAll();
  const uint64_t reads = rig.admin.smart_reads;
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].composite_kelvin, 320);
  rig.clock.RunUntil(kSec / 2);
  tm.OnAsyncEvent(spec::AsyncEventDw0(spec::AsyncEventType::kSmartHealthStatus, 0x01, 0x02));
  rig.admin.CompleteAll();
  EXPECT_EQ(rig.admin.smart_reads, reads + 1);
  EXPECT_EQ(tm.monitor().stats().threshold_events, 1u);
  // Not a temperature event: no extra read.
  tm.OnAsyncEvent(spec::AsyncEventDw0(spec::AsyncEventType::kNotice, 0x03, 0x0C));
  rig.admin.CompleteAll();
  EXPECT_EQ(rig.admin.smart_reads, reads + 1);
  // No APST without advanced_power_management, no HCTM without TMTs.
  EXPECT_EQ(rig.admin.features.count(0x0C), 0u);
  EXPECT_EQ(rig.admin.features.count(0x10), 0u);
}

TEST(ThermalManager, PredictiveAdmissionLimitsARisingDrive) {
  Rig rig;
  ThermalManagerOptions o;
  o.predictive_thermal_management = true;
  ThermalManager tm(rig.admin, rig.clock, o);
  tm.Start([](spec::Status) {});
  rig.admin.CompleteAll();
  EXPECT_TRUE(tm.Admit(0, 1 << 20));
  for (int i = 1; i <= 40 && !tm.forecaster().limiting(); ++i) {
    rig.admin.kelvin = static_cast<uint16_t>(320 + i / 2);  // 0.5 K/s towards WCTEMP 343
    tm.NoteIo(uint64_t{3} << 30);                           // ~3 GiB/s
    rig.clock.RunUntil(i * kSec);
    rig.admin.CompleteAll();
  }
  ASSERT_TRUE(tm.forecaster().limiting());
  EXPECT_LT(tm.monitor().stats().last_kelvin, 343);  // before the threshold
  // Saturating the path: admissions follow the limit, the rest waits.
  uint64_t admitted = 0, deferred = 0;
  for (uint64_t t = rig.clock.now; t < rig.clock.now + kSec / 10; t += 10'000) {
    if (tm.Admit(t, 1 << 20))
      ++admitted;
    else
      ++deferred;
  }
  EXPECT_GT(deferred, 0u);
  EXPECT_GT(tm.NextAdmitNs(rig.clock.now, 1 << 20), rig.clock.now - 1);
  ThermalManager off(rig.admin, rig.clock, ThermalManagerOptions{});
  EXPECT_TRUE(off.Admit(rig.clock.now, uint64_t{1} << 40));
}

TEST(ThermalManager, OptionsFromConfig) {
  AdvancedNvmeConfig c;
  c.advanced_power_management = true;
  c.predictive_thermal_management = true;
  c.thermal_monitoring = false;
  const ThermalManagerOptions o = ThermalManagerOptions::FromConfig(c);
  EXPECT_TRUE(o.advanced_power_management);
  EXPECT_TRUE(o.predictive_thermal_management);
  EXPECT_FALSE(o.thermal_monitoring);
  EXPECT_FALSE(o.adaptive_power_optimization);
}

}  // namespace
}  // namespace nvmesim::driver::thermal
