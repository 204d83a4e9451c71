// A small NVMe controller model for driver unit tests: registers, doorbells,
// admin and NVM command sets over the fake DMA memory, with fault knobs
// (fatal status, surprise removal, never ready, swallowed commands, Abort
// behaviour, injected CQEs). It plays the register/queue protocol only; it
// is not the project's device model.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "driver/testing/fake_platform.h"
#include "spec/command.h"
#include "spec/status.h"

namespace nvmesim::driver::testing {

struct FakeControllerConfig {
  uint32_t mqes = 1023;  // CAP.MQES, 0-based
  uint8_t to = 2;        // CAP.TO, 500 ms units
  uint8_t dstrd = 0;
  uint8_t mdts = 5;             // 2^5 pages = 128 KiB
  uint32_t sgls = 0;            // Identify SGLS bits 1:0
  uint16_t max_io_queues = 16;  // what Set Features Number of Queues grants
  uint8_t acl = 3, aerl = 3;
  uint16_t oncs = 0x010D;   // Compare, DSM, Write Zeroes, Copy
  uint32_t oaes = 1u << 8;  // Namespace Attribute Notices
  uint64_t ready_delay_ns = 20'000;
  uint16_t crdt[3] = {1, 2, 3};
  uint8_t lba_shift = 9;
  uint64_t nsze = 4096;  // blocks per namespace
  std::vector<uint32_t> nsids = {1};
  uint16_t kas = 0;
};

enum class AbortMode : uint8_t {
  kCompleteCommand,          // the target completes with Command Abort Requested
  kAbortedButNeverComplete,  // Abort says "aborted" yet the target never completes
  kNotAborted,               // Abort completes with DW0 bit 0 = 1
};

class FakeNvmeController {
 public:
  FakeNvmeController(FakeDma& dma, FakeClock& clock, FakeInterrupts& irq,
                     FakeControllerConfig config = {});

  uint32_t Read32(uint64_t offset);
  uint64_t Read64(uint64_t offset);
  void Write32(uint64_t offset, uint32_t value);
  void Write64(uint64_t offset, uint64_t value);

  // Executes every command whose doorbell was rung. True if anything ran.
  bool Process();

  // Faults.
  void SetFatal(bool cfs, bool sticky = false) {
    fatal_ = cfs;
    fatal_sticky_ = sticky;
  }
  void SetGone(bool gone) { gone_ = gone; }
  void SetNeverReady(bool v) { never_ready_ = v; }
  // Commands for which this returns true are consumed and never completed.
  std::function<bool(uint16_t qid, const spec::Sqe&)> swallow;
  // Commands for which this returns a status complete with it (no execution).
  std::function<std::optional<spec::Status>(uint16_t qid, const spec::Sqe&)> fail_with;
  AbortMode abort_mode = AbortMode::kCompleteCommand;
  // Posts a CQE on CQ `qid` with the given fields; `stale_phase` writes the
  // phase of the previous pass, which the host must not consume.
  void InjectCqe(uint16_t qid, uint16_t cid, uint16_t sqid, bool stale_phase,
                 spec::Status status = {}, uint16_t sq_head = 0);
  // Completes one outstanding Asynchronous Event Request with `dw0`.
  bool TriggerAsyncEvent(uint32_t dw0);
  void AddNamespace(uint32_t nsid);
  void RemoveNamespace(uint32_t nsid);
  // Reports the namespace's command set as Zoned (CSI 02h) in CNS 03h.
  void SetZoned(uint32_t nsid);

  // Observation.
  struct Received {
    uint16_t qid;
    spec::Sqe sqe;
  };
  const std::vector<Received>& received() const { return received_; }
  size_t CountOpcode(uint16_t qid_class, uint8_t opcode) const;  // qid_class 0 admin, 1 I/O
  uint8_t* NamespaceData(uint32_t nsid);
  uint32_t enables() const { return enables_; }
  uint32_t cc_raw() const { return cc_; }
  uint32_t held() const { return static_cast<uint32_t>(held_.size()); }
  uint32_t cq_posted(uint16_t qid) const;
  bool sq_exists(uint16_t qid) const { return qid < sqs_.size() && sqs_[qid].exists; }
  uint32_t sq_size(uint16_t qid) const { return qid < sqs_.size() ? sqs_[qid].size : 0; }
  uint64_t doorbell_writes() const { return doorbell_writes_; }
  uint32_t page_size() const { return 4096u; }

 private:
  struct Sq {
    bool exists = false;
    uint64_t base = 0;
    uint32_t size = 0, head = 0, tail = 0;
    uint16_t cqid = 0;
  };
  struct Cq {
    bool exists = false;
    uint64_t base = 0;
    uint32_t size = 0, tail = 0, head = 0;
    bool phase = true;
    uint16_t iv = 0;
    bool ien = false;
    uint32_t posted = 0;
  };
  struct Piece {
    uint8_t* p;
    uint64_t len;
  };

  bool Ready();
  void Disable();
  void Post(uint16_t sqid, uint16_t cid, spec::Status status, uint32_t dw0 = 0);
  void ExecuteAdmin(const spec::Sqe& s);
  void ExecuteIo(uint16_t qid, const spec::Sqe& s);
  spec::Status Pieces(const spec::Sqe& s, uint64_t len, std::vector<Piece>& out);
  spec::Status CopyOut(const spec::Sqe& s, const uint8_t* src, uint64_t len);  // to host
  spec::Status CopyIn(const spec::Sqe& s, uint8_t* dst, uint64_t len);         // from host
  void FillIdentifyController(uint8_t* p);
  void FillIdentifyNamespace(uint8_t* p, uint32_t nsid);

  FakeDma& dma_;
  FakeClock& clock_;
  FakeInterrupts& irq_;
  FakeControllerConfig cfg_;
  uint32_t cc_ = 0, aqa_ = 0;
  uint64_t asq_ = 0, acq_ = 0;
  bool rdy_ = false, rdy_target_ = false;
  uint64_t rdy_at_ = 0;
  uint8_t shst_ = 0;
  bool fatal_ = false, fatal_sticky_ = false, gone_ = false, never_ready_ = false;
  uint32_t enables_ = 0;
  uint64_t doorbell_writes_ = 0;
  std::vector<Sq> sqs_;
  std::vector<Cq> cqs_;
  std::vector<Received> received_;
  std::vector<std::pair<uint16_t, uint16_t>> held_;  // (sqid, cid)
  std::vector<uint16_t> aers_;
  std::map<uint32_t, std::vector<uint8_t>> ns_;
  std::vector<uint32_t> changed_;
  std::set<uint32_t> zoned_;
};

}  // namespace nvmesim::driver::testing
