#include "driver/mgmt/mgmt.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <memory>

#include "driver/commands.h"
#include "driver/text.h"
#include "spec/log_pages.h"
#include "spec/opcodes.h"

namespace nvmesim::driver::mgmt {

namespace {

std::string StatusLine(const spec::Status& s, uint32_t dw0) {
  if (s.ok()) return Printf("NVMe command result:%08" PRIx32 "\n", dw0);
  return "NVMe status: " + s.ToString() + "\n";
}

// A DMA buffer that lives as long as the command that uses it.
struct Buffer {
  hal::DmaMemory* dma;
  hal::DmaBuffer buf;
  Buffer(hal::DmaMemory* d, size_t size) : dma(d), buf(d->Allocate(size, 4096)) {}
  ~Buffer() {
    if (buf.valid()) dma->Free(buf);
  }
};

double Kelvin(uint16_t k) { return static_cast<double>(k) - 273.15; }

}  // namespace

std::string HexDump(const uint8_t* data, size_t length) {
  std::string out = "       0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f\n";
  for (size_t row = 0; row < length; row += 16) {
    out += Printf("%04zx:", row);
    std::string ascii;
    for (size_t i = row; i < row + 16; ++i) {
      if (i < length) {
        out += Printf(" %02x", data[i]);
        ascii += (data[i] >= 0x20 && data[i] < 0x7f) ? static_cast<char>(data[i]) : '.';
      } else {
        out += "   ";
      }
    }
    out += " \"" + ascii + "\"\n";
  }
  return out;
}

std::string ControllerInfo(const Controller& c) {
  const driver::ControllerInfo& i = c.info();
  std::string o = "NVME Identify Controller (as the driver sees it):\n";
  o += Printf("state     : %s\n", ControllerStateName(c.state()));
  o += Printf("vid       : %#x\n", i.vid);
  o += "sn        : " + i.serial + "\n";
  o += "mn        : " + i.model + "\n";
  o += "fr        : " + i.firmware + "\n";
  o += Printf("cntlid    : %#x\n", i.cntlid);
  o += Printf("ver       : %#x (NVMe %u.%u)\n", i.vs, i.vs >> 16, (i.vs >> 8) & 0xff);
  o += Printf("cap       : %#" PRIx64 "\n", i.cap);
  o += Printf("mqes      : %" PRIu64 "\n", (i.cap & 0xffff) + 1);
  o += Printf("dstrd     : %u\n", i.dstrd);
  o += Printf("to        : %" PRIu64 " ms\n", i.ready_timeout_ns / 1000000);
  o += Printf("mps       : %u\n", i.page_size);
  o += Printf("mdts      : %u (%" PRIu64 " bytes per command)\n", i.mdts, i.max_transfer_bytes);
  o += Printf("nn        : %u\n", i.nn);
  o += Printf("oacs      : %#x\n", i.oacs);
  o += Printf("oncs      : %#x\n", i.oncs);
  o += Printf("oaes      : %#x\n", i.oaes);
  o += Printf("acl       : %u\n", i.acl);
  o += Printf("aerl      : %u\n", i.aerl);
  o += Printf("kas       : %u\n", i.kas);
  o += Printf("crdt1-3   : %u %u %u (units of 100 ms)\n", i.crdt[0], i.crdt[1], i.crdt[2]);
  o += Printf("sgls      : %s\n", i.sgls == SglSupport::kNone          ? "not supported"
                                  : i.sgls == SglSupport::kByteAligned ? "byte aligned"
                                                                       : "dword aligned");
  o += Printf("io queues : %u (requested %u, granted %u)\n", i.io_queues, i.io_queues_requested,
              i.io_queues_granted);
  o += Printf("queue size: %u (requested %u)\n", i.queue_depth, i.queue_depth_requested);
  o += Printf("vectors   : %u\n", i.interrupt_vectors);
  return o;
}

std::string AdvancedStats(const Controller& c) {
  const ControllerStats& s = c.stats();
  std::string o = Printf("Driver statistics for %s (%s)\n", c.info().serial.c_str(),
                         ControllerStateName(c.state()));
  o += Printf("resets                 : %" PRIu64 "\n", s.resets);
  o += Printf("init failures          : %" PRIu64 "\n", s.init_failures);
  o += Printf("timeouts               : %" PRIu64 "\n", s.timeouts);
  o += Printf("aborts sent/succeeded  : %" PRIu64 " / %" PRIu64 "\n", s.aborts_sent,
              s.aborts_succeeded);
  o += Printf("retries                : %" PRIu64 "\n", s.retries);
  o += Printf("path errors            : %" PRIu64 "\n", s.path_errors);
  o += Printf("async events           : %" PRIu64 "\n", s.async_events);
  o += Printf("requeued / failed on reset: %" PRIu64 " / %" PRIu64 "\n", s.requeued_on_reset,
              s.failed_on_reset);
  o += "\nqid  submitted  completed  sq_db  cq_db  full  ignored  outstanding  max\n";
  for (uint16_t q = 0; q <= c.io_queue_count(); ++q) {
    const QueueStats* qs = c.queue_stats(q);
    if (qs == nullptr) continue;
    o += Printf("%3u %10" PRIu64 " %10" PRIu64 " %6" PRIu64 " %6" PRIu64 " %5" PRIu64 " %8" PRIu64
                " %12u %4u\n",
                q, qs->submitted, qs->completed, qs->sq_doorbells, qs->cq_doorbells, qs->queue_full,
                qs->ignored_cqes, qs->outstanding, qs->max_outstanding);
  }
  return o;
}

void ControllerReset(Controller& c, hal::Clock& clock, Done done) {
  const uint64_t start = clock.NowNs();
  const std::string before = ControllerStateName(c.state());
  c.Reset([&c, &clock, start, before, done](spec::Status s) {
    std::string o = "Controller reset: " + before + " -> " + ControllerStateName(c.state()) + "\n";
    o += Printf("took %.3f us of simulated time; status: %s\n",
                static_cast<double>(clock.NowNs() - start) / 1000.0, s.ToString().c_str());
    done(o, s);
  });
}

void ThermalStats(Controller& c, Done done) {
  auto buf = std::make_shared<Buffer>(c.dma(), sizeof(spec::SmartHealthLog));
  if (!buf->buf.valid()) {
    done("no DMA memory for the SMART log\n", spec::GenericStatus::kInternalError);
    return;
  }
  const spec::Sqe sqe =
      commands::GetLogPage(static_cast<uint8_t>(spec::LogPageId::kSmartHealth), 0xFFFFFFFF,
                           sizeof(spec::SmartHealthLog), false, buf->buf.bus, 0);
  const spec::Status accepted = c.SubmitAdmin(sqe, [buf, done](const spec::Cqe& cqe) {
    const spec::Status s = cqe.status_value();
    if (!s.ok()) {
      done("Get Log Page (SMART / Health Information) failed: " + s.ToString() + "\n", s);
      return;
    }
    spec::SmartHealthLog log;
    std::memcpy(&log, buf->buf.cpu, sizeof log);
    std::string o = "Thermal statistics (SMART / Health Information log, NVMe 2.0 5.16.1.3):\n";
    const uint16_t k = log.composite_temperature.value();
    o += Printf("composite temperature          : %u K (%.1f C)\n", k, Kelvin(k));
    o += Printf("critical warning               : %#x%s\n", log.critical_warning,
                (log.critical_warning & 0x2) ? " (temperature)" : "");
    for (int s_i = 0; s_i < 8; ++s_i) {
      if (log.temperature_sensor[s_i] != 0) {
        o += Printf("temperature sensor %d           : %u K (%.1f C)\n", s_i + 1,
                    log.temperature_sensor[s_i], Kelvin(log.temperature_sensor[s_i]));
      }
    }
    o +=
        Printf("warning temperature time       : %u min\n", log.warning_composite_temperature_time);
    o += Printf("critical temperature time      : %u min\n",
                log.critical_composite_temperature_time);
    o += Printf("thermal mgmt T1 transitions    : %u\n",
                log.thermal_management_temperature1_transition_count);
    o += Printf("thermal mgmt T2 transitions    : %u\n",
                log.thermal_management_temperature2_transition_count);
    o += Printf("thermal mgmt T1 total time     : %u s\n",
                log.total_time_thermal_management_temperature1);
    o += Printf("thermal mgmt T2 total time     : %u s\n",
                log.total_time_thermal_management_temperature2);
    done(o, s);
  });
  if (!accepted.ok()) done("Get Log Page refused: " + accepted.ToString() + "\n", accepted);
}

std::string CheckPassthru(const Passthru& p) {
  if (p.read && p.write) return "--read and --write are exclusive (one data direction per command)";
  if (p.data_len > 0 && !p.read && !p.write) return "--data-len needs --read or --write";
  if (p.data_len == 0 && (p.read || p.write)) return "--read/--write need --data-len";
  if (p.admin && p.data_len > 8192) {
    return "admin passthrough moves at most 8192 bytes (PRP1 and PRP2, no PRP list)";
  }
  // The page-aligned buffer's first page in PRP1, the rest in one PRP list page of
  // 4096 / 8 entries (PRP entries are 8 bytes, base 2.0 4.1.1).
  constexpr uint32_t kIoMaxBytes = 4096 * (1 + 4096 / 8);
  if (!p.admin && p.data_len > kIoMaxBytes) {
    return "--data-len " + std::to_string(p.data_len) + ": I/O passthrough moves at most " +
           std::to_string(kIoMaxBytes) + " bytes (PRP1 and one PRP list page)";
  }
  if (!p.input.empty() && !p.write) return "--input-file needs --write";
  if (p.input.size() > p.data_len) return "the input is longer than --data-len";
  return "";
}

void SendPassthru(Controller& c, const Passthru& p, Done done) {
  if (std::string e = CheckPassthru(p); !e.empty()) {
    done(e + "\n", spec::GenericStatus::kInvalidField);
    return;
  }
  spec::Sqe sqe{};
  sqe.opcode = p.opcode;
  sqe.flags = p.flags;
  sqe.nsid = p.nsid;
  sqe.cdw2 = p.cdw2;
  sqe.cdw3 = p.cdw3;
  sqe.cdw10 = p.cdw10;
  sqe.cdw11 = p.cdw11;
  sqe.cdw12 = p.cdw12;
  sqe.cdw13 = p.cdw13;
  sqe.cdw14 = p.cdw14;
  sqe.cdw15 = p.cdw15;
  std::shared_ptr<Buffer> buf;
  if (p.data_len > 0) {
    // Whole pages, counted in 64 bits: a length near 4 GiB must not wrap to 0.
    const uint64_t pages_bytes = (uint64_t{p.data_len} + 4095) & ~uint64_t{4095};
    buf = std::make_shared<Buffer>(c.dma(), static_cast<size_t>(pages_bytes));
    if (!buf->buf.valid() || buf->buf.size < p.data_len) {
      done(Printf("no DMA memory for a %u-byte data buffer\n", p.data_len),
           spec::GenericStatus::kInternalError);
      return;
    }
    std::memset(buf->buf.cpu, 0, buf->buf.size);
    if (p.write) std::memcpy(buf->buf.cpu, p.input.data(), p.input.size());
  }
  const bool read = p.read;
  const uint32_t len = p.data_len;
  auto finish = [buf, read, len, done](const spec::Status& s, uint32_t dw0, uint32_t dw1) {
    std::string o = StatusLine(s, dw0);
    o += Printf("DW0: 0x%08x  DW1: 0x%08x\n", dw0, dw1);  // %#x drops the 0x for zero
    if (s.ok() && read && buf) o += HexDump(buf->buf.cpu, len);
    done(o, s);
  };
  spec::Status accepted;
  if (p.admin) {
    if (buf) {
      sqe.prp1 = buf->buf.bus;
      if (len > 4096) sqe.prp2 = buf->buf.bus + 4096;
    }
    accepted = c.SubmitAdmin(
        sqe, [finish](const spec::Cqe& cqe) { finish(cqe.status_value(), cqe.dw0, cqe.dw1); },
        p.timeout_ns);
  } else {
    DataSegment seg{buf ? buf->buf.bus : 0, len};
    accepted = c.SubmitIo(0, sqe, buf ? &seg : nullptr, buf ? 1 : 0,
                          [finish](const BlockResult& r) { finish(r.status, r.dw0, r.dw1); });
  }
  if (!accepted.ok())
    done("the driver refused the command: " + accepted.ToString() + "\n", accepted);
}

}  // namespace nvmesim::driver::mgmt
