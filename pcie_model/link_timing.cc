#include "pcie_model/link_timing.h"

#include <algorithm>

namespace nvmesim::pcie {

LinkTiming::LinkTiming(const LinkConfig& config, unsigned generation, unsigned width)
    : config_(config), generation_(generation), width_(width) {
  // One bit time = 1e6 / MT/s ps. 8b/10b: 10 bit times per byte (4.2.1);
  // 128b/130b: 8 x 130/128 (4.2.2). Bytes are striped over `width` lanes (4.2.3).
  const double bit_ps = 1e6 / static_cast<double>(GenerationMegaTransfers(generation));
  const double bits_per_byte = generation <= 2 ? 10.0 : 8.0 * 130.0 / 128.0;
  ps_per_byte_ = bit_ps * bits_per_byte / static_cast<double>(width);
  tlp_extra_ = kFramingBytes + (config.ecrc ? kEcrcBytes : 0);
  dllp_ps_ = WireTimePs(kDllpWireBytes);
  hop_ps_ = config.propagation_ps + config.tlp_processing_ps;
  credit_release_ps_ = config.credit_release_ps;
}

double LinkTiming::PostedStreamBytesPerSecond(uint32_t payload, unsigned header_dw,
                                              bool reverse_saturated) const {
  double per_tlp_ps = static_cast<double>(TlpWireBytes(payload, header_dw)) * ps_per_byte_;
  if (reverse_saturated) {
    per_tlp_ps +=
        static_cast<double>(dllp_ps_) * (1.0 / config_.ack_every + 1.0 / config_.update_fc_every);
  }
  return static_cast<double>(payload) * 1e12 / per_tlp_ps;
}

double LinkTiming::CreditLimitedBytesPerSecond(uint32_t payload, unsigned header_dw,
                                               const FlowControlCredits& credits) const {
  const double tlp_ps = static_cast<double>(TlpTimePs(payload, header_dw));
  uint64_t k = UINT64_MAX;
  if (credits.posted_header) k = credits.posted_header;
  const uint32_t data_per_tlp = (payload + kCreditUnitBytes - 1) / kCreditUnitBytes;
  if (credits.posted_data && data_per_tlp)
    k = std::min<uint64_t>(k, credits.posted_data / data_per_tlp);
  double period = tlp_ps;
  if (k != UINT64_MAX) {
    period =
        std::max(tlp_ps, (tlp_ps + static_cast<double>(CreditLoopPs())) / static_cast<double>(k));
  }
  return static_cast<double>(payload) * 1e12 / period;
}

double LinkTiming::ReplayLimitedBytesPerSecond(uint32_t payload, unsigned header_dw,
                                               double p) const {
  const double tlp_ps = static_cast<double>(TlpTimePs(payload, header_dw));
  // Each failed attempt costs its own TLP time plus the Nak loop; the number of
  // failed attempts per delivered TLP is p / (1 - p) (geometric).
  const double per = tlp_ps + (p / (1.0 - p)) * (tlp_ps + static_cast<double>(NakLoopPs()));
  return static_cast<double>(payload) * 1e12 / per;
}

uint64_t LinkTiming::ShortReadRoundTripPs(uint64_t address, uint32_t size,
                                          uint64_t completer_ps) const {
  return TlpTimePs(0, MemoryHeaderDw(address)) + hop_ps_ + completer_ps +
         TlpTimePs(size, kCompletionHeaderDw) + hop_ps_;
}

uint64_t LinkTiming::DmaReadPs(uint64_t address, uint64_t length, uint64_t completer_ps) const {
  const unsigned hdr = MemoryHeaderDw(address);
  const uint64_t req_ps = TlpTimePs(0, hdr);
  uint64_t req_end = 0;  // requests leave back to back
  uint64_t cpl_busy = 0;
  uint64_t a = address, left = length;
  do {
    const uint32_t chunk = NextChunk(a, left, config_.max_read_request_size);
    req_end += req_ps;
    uint64_t ready = req_end + hop_ps_ + completer_ps;
    uint64_t ca = a, cleft = chunk;
    do {
      const uint32_t piece =
          NextCompletion(ca, cleft, config_.max_payload_size, config_.read_completion_boundary);
      cpl_busy = std::max(cpl_busy, ready) + TlpTimePs(piece, kCompletionHeaderDw);
      ca += piece;
      cleft -= piece;
    } while (cleft > 0);
    a += chunk;
    left -= chunk;
  } while (left > 0);
  return cpl_busy + hop_ps_;
}

}  // namespace nvmesim::pcie
