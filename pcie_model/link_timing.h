// Analytic PCIe link timing, plain C++ (no SystemC). Used by the Link model
// for its arithmetic and by tests and reports as the reference formulas.
//
// Wire bytes of one TLP (PCIe 5.0):
//   payload + header (3 DW, or 4 DW for 64-bit addresses: 2.2.4.1; completions
//   and configuration requests 3 DW: 2.2.9, 2.2.7) + ECRC (1 DW, 2.7.1)
//   + 8 bytes of framing and data-link overhead:
//     8b/10b (2.5, 5.0 GT/s): STP 1 + sequence number 2 + LCRC 4 + END 1
//       (4.2.1 Symbol framing, 3.6.2 TLP sequence number and LCRC);
//     128b/130b (8.0 GT/s and up): STP token 4 (carries the 12-bit sequence
//       number, 4.2.2.3.2) + LCRC 4.
// One DLLP (Ack, Nak, UpdateFC) is 6 bytes (3.5.1: 4 bytes + 16-bit CRC)
// + 2 bytes of framing (8b/10b SDP + END, 128b/130b SDP token 4.2.2.3.2) = 8 bytes.
// A byte on one lane takes 10 bit times at 2.5/5.0 GT/s (8b/10b, 4.2.1) and
// 8 x 130/128 bit times at 8/16/32 GT/s (128b/130b, 4.2.2); bytes are striped
// over the lanes (4.2.3 byte striping). SKP ordered sets are not modelled.
#pragma once

#include <cstdint>

#include "pcie_model/link_config.h"

namespace nvmesim::pcie {

inline constexpr uint32_t kFramingBytes = 8;      // per TLP, see above
inline constexpr uint32_t kDllpWireBytes = 8;     // per DLLP, see above
inline constexpr uint32_t kEcrcBytes = 4;         // 2.7.1 TLP digest
inline constexpr uint32_t kCreditUnitBytes = 16;  // 3.4.1: one data credit = 4 DW
inline constexpr uint64_t kFourKiB = 4096;        // 2.2.7: requests never cross a 4 KiB boundary

// 4.2 / Table 4-1 data rates in MT/s per lane for generations 1..5.
constexpr uint32_t GenerationMegaTransfers(unsigned generation) {
  constexpr uint32_t kRates[] = {0, 2500, 5000, 8000, 16000, 32000};
  return generation >= 1 && generation <= 5 ? kRates[generation] : 0;
}

// 2.2.4.1: a memory request below 4 GiB uses the 3 DW header, above it 4 DW.
constexpr unsigned MemoryHeaderDw(uint64_t address) { return address >> 32 ? 4 : 3; }
inline constexpr unsigned kCompletionHeaderDw = 3;  // 2.2.9
inline constexpr unsigned kConfigHeaderDw = 3;      // 2.2.7 (Figure 2-22)

// Bytes of the next TLP of a transfer at `address` with `remaining` bytes,
// cut at `limit`-aligned boundaries (MPS for writes and completions, MRRS for
// read requests; both divide 4 KiB so no TLP crosses a 4 KiB boundary).
constexpr uint32_t NextChunk(uint64_t address, uint64_t remaining, uint32_t limit) {
  const uint64_t to_boundary = limit - (address & (limit - 1));
  return static_cast<uint32_t>(remaining < to_boundary ? remaining : to_boundary);
}
// Number of TLPs NextChunk produces for [address, address + length).
constexpr uint64_t ChunkCount(uint64_t address, uint64_t length, uint32_t limit) {
  if (length == 0) return 1;  // a zero-length request is still one TLP
  const uint64_t first = address & ~uint64_t(limit - 1);
  const uint64_t last = (address + length - 1) & ~uint64_t(limit - 1);
  return ((last - first) >> __builtin_ctz(limit)) + 1;  // limit is a power of two
}
// 2.3.1.1: completions of one read request. Every completion but the last ends
// on a Read Completion Boundary; none carries more than MPS. The completer
// sends the largest such pieces: up to the last RCB boundary within MPS.
constexpr uint32_t NextCompletion(uint64_t address, uint64_t remaining, uint32_t mps,
                                  uint32_t rcb) {
  if (remaining <= mps) {
    // may still be cut if it would exceed MPS; it does not, so it is the last
    return static_cast<uint32_t>(remaining);
  }
  const uint64_t end = (address + mps) & ~uint64_t(rcb - 1);
  return static_cast<uint32_t>(end - address);
}

class LinkTiming {
 public:
  LinkTiming() = default;
  LinkTiming(const LinkConfig& config, unsigned generation, unsigned width);
  explicit LinkTiming(const LinkConfig& config)
      : LinkTiming(config, config.generation, config.width) {}

  unsigned generation() const { return generation_; }
  unsigned width() const { return width_; }
  double ps_per_byte() const { return ps_per_byte_; }  // whole link, after encoding
  double bytes_per_second() const { return 1e12 / ps_per_byte_; }

  // Wire bytes of one TLP; overhead = everything but the payload.
  uint32_t TlpOverheadBytes(unsigned header_dw) const { return 4 * header_dw + tlp_extra_; }
  uint32_t TlpWireBytes(uint32_t payload, unsigned header_dw) const {
    return payload + TlpOverheadBytes(header_dw);
  }
  uint64_t WireTimePs(uint64_t bytes) const {
    // Through int64_t: one instruction each way (unsigned 64-bit <-> double takes a
    // branch and a fix-up on x86-64); every wire time is far below 2^63 ps.
    const double ps = static_cast<double>(static_cast<int64_t>(bytes)) * ps_per_byte_ + 0.5;
    return static_cast<uint64_t>(static_cast<int64_t>(ps));
  }
  uint64_t TlpTimePs(uint32_t payload, unsigned header_dw) const {
    return WireTimePs(TlpWireBytes(payload, header_dw));
  }
  uint64_t DllpTimePs() const { return dllp_ps_; }
  // One traversal after the last bit leaves: propagation + receiver processing.
  uint64_t HopPs() const { return hop_ps_; }
  // From the end of a TLP on the wire until its Nak is back at the transmitter
  // (3.6.2.1: the transmitter then replays from the oldest unacknowledged TLP).
  uint64_t NakLoopPs() const { return 2 * hop_ps_ + dllp_ps_; }
  // From the end of a TLP on the wire until the UpdateFC returning its credits
  // is back at the transmitter (3.4.3).
  uint64_t CreditLoopPs() const { return 2 * hop_ps_ + dllp_ps_ + credit_release_ps_; }

  // --- Reference formulas -------------------------------------------------
  // Steady posted-write stream of `payload`-byte TLPs (header_dw) in one
  // direction. With reverse traffic saturating the other direction, that
  // direction's Ack and UpdateFC DLLPs (for the reverse TLPs) share this one:
  // per TLP an extra (1/ack_every + 1/update_fc_every) DLLPs.
  double PostedStreamBytesPerSecond(uint32_t payload, unsigned header_dw,
                                    bool reverse_saturated) const;
  // Same stream limited by `credits` (posted header/data) of the receiver:
  // k TLPs fit in the credits, each period max(TLP time, (TLP + credit loop) / k).
  double CreditLimitedBytesPerSecond(uint32_t payload, unsigned header_dw,
                                     const FlowControlCredits& credits) const;
  // With a Nak on a fraction p of the TLPs, each costs one more TLP time plus the Nak loop.
  double ReplayLimitedBytesPerSecond(uint32_t payload, unsigned header_dw, double p) const;
  // A read of `size` bytes (<= MRRS, within one RCB) by the other side:
  // request + hop + completer latency + completion with data + hop.
  uint64_t ShortReadRoundTripPs(uint64_t address, uint32_t size, uint64_t completer_ps) const;
  // A DMA read of `length` bytes at `address` on an idle link, completer
  // latency `completer_ps` per request, no credit or tag limit: the time until
  // the last completion has arrived at the requester.
  uint64_t DmaReadPs(uint64_t address, uint64_t length, uint64_t completer_ps) const;

  const LinkConfig& config() const { return config_; }

 private:
  LinkConfig config_;
  unsigned generation_ = 0;
  unsigned width_ = 0;
  double ps_per_byte_ = 0;
  uint32_t tlp_extra_ = 0;
  uint64_t dllp_ps_ = 0;
  uint64_t hop_ps_ = 0;
  uint64_t credit_release_ps_ = 0;
};

}  // namespace nvmesim::pcie
