// Data pointer walking: PRP entries and lists (NVMe Base 2.0 section 4.1.1)
// and SGLs (section 4.1.2) become a list of host bus segments. Lists and
// segments in host memory are read through a DmaPort; every rule violation
// ends in the status the spec names, never in an unbounded walk.
#pragma once

#include <cstdint>
#include <vector>

#include "spec/command.h"
#include "spec/status.h"

namespace nvmesim::device {

// The controller's door to host memory. Implementations validate the range
// (outside host memory, at the controller's own BAR) and return false on a
// failed transfer; the caller reports Data Transfer Error.
class DmaPort {
 public:
  virtual ~DmaPort() = default;
  virtual bool DmaRead(uint64_t addr, void* dst, uint64_t len) = 0;
  virtual bool DmaWrite(uint64_t addr, const void* src, uint64_t len) = 0;
};

struct DmaSegment {
  uint64_t addr = 0;
  uint64_t len = 0;
  bool bit_bucket = false;  // SGL Bit Bucket: controller-to-host data is discarded
};

struct TransferLimits {
  uint64_t page_size = 4096;            // CC.MPS page size
  bool sgl_supported = true;            // SGLS (Base 2.0 Figure 275)
  bool bit_bucket_allowed = false;      // only for controller-to-host transfers
  uint32_t max_sgl_descriptors = 4096;  // bound on the walk (segment chains may loop)
};

// Builds the segment list for `len` bytes described by the SQE's data pointer.
// `out` is reused by the caller (cleared here) so steady state does not allocate.
spec::Status BuildTransfer(const spec::Sqe& sqe, uint64_t len, const TransferLimits& lim,
                           DmaPort& dma, std::vector<DmaSegment>& out);

spec::Status BuildPrpTransfer(uint64_t prp1, uint64_t prp2, uint64_t len, uint64_t page_size,
                              DmaPort& dma, std::vector<DmaSegment>& out);
spec::Status BuildSglTransfer(const spec::SglDescriptor& sgl1, uint64_t len,
                              const TransferLimits& lim, DmaPort& dma,
                              std::vector<DmaSegment>& out);

// Moves data between a device buffer and the segments.
bool CopyToHost(DmaPort& dma, const std::vector<DmaSegment>& segs, const uint8_t* src,
                uint64_t len);
bool CopyFromHost(DmaPort& dma, const std::vector<DmaSegment>& segs, uint8_t* dst, uint64_t len);

}  // namespace nvmesim::device
