// Parameters of one PCIe link and the checks that keep them inside PCIe 5.0.
#pragma once

#include <cstdint>
#include <string>

#include "pcie_model/fidelity.h"

namespace nvmesim::pcie {

// Flow-control credits one receiver advertises (PCIe 5.0 3.4.1: six credit
// types; one data credit = 4 DW = 16 bytes). 0 means infinite (3.4.2: an
// advertisement of 0 in InitFC is infinite). Finite header credits are at most
// 127 and data credits at most 2047 (3.4.2: outstanding credits never exceed
// 2^(field size - 1) for the 8-bit HdrFC and 12-bit DataFC fields, no scaling).
struct FlowControlCredits {
  uint32_t posted_header = 0;
  uint32_t posted_data = 0;
  uint32_t non_posted_header = 0;
  uint32_t non_posted_data = 0;
  uint32_t completion_header = 0;
  uint32_t completion_data = 0;
};

struct LinkConfig {
  Fidelity fidelity = Fidelity::kApproximate;
  unsigned generation = 5;               // 1..5: 2.5 / 5 / 8 / 16 / 32 GT/s (4.2, Table 4-1 rates)
  unsigned width = 4;                    // x1, x2, x4, x8, x16 (4.2.4.11 link widths)
  uint32_t max_payload_size = 256;       // 128..4096, power of two (7.5.3.4 Table 7-23)
  uint32_t max_read_request_size = 512;  // 128..4096, power of two (7.5.3.4)
  uint32_t read_completion_boundary = 64;  // 64 or 128 bytes (2.3.1.1, 7.5.3.7)
  bool ecrc = false;                       // TLP digest: 1 DW per TLP (2.7.1)
  // Credits advertised by the device's receiver (downstream traffic) and by the
  // root port's receiver (upstream traffic).
  FlowControlCredits device_credits;
  FlowControlCredits root_port_credits;
  // DLLP rates: one Ack per `ack_every` TLPs received (3.6.3.1 AckNak latency),
  // one UpdateFC per `update_fc_every` TLPs received (3.4.3 UpdateFC scheduling).
  unsigned ack_every = 4;
  unsigned update_fc_every = 4;
  // Latencies in picoseconds.
  uint64_t propagation_ps = 2'000;      // wire / channel flight time, one way
  uint64_t tlp_processing_ps = 50'000;  // per TLP: receiver PHY + DLL + TL pipeline
  uint64_t credit_release_ps = 0;       // receiver buffer drain before the credit returns
  // Requester side: completion timeout (2.8; 7.5.3.16 default range 50 us - 50 ms) and
  // read tags a requester may have outstanding (2.2.6.2: 10-bit tags allow 768).
  uint64_t completion_timeout_ps = 50'000'000;
  unsigned max_outstanding_reads = 256;
  // Seed of the LCRC error draws (boost::random::mt19937).
  uint64_t seed = 1;
};

// "" when the configuration is valid, otherwise one line naming the field,
// the value and the limit, e.g. "pcie link: generation 6 is not 1..5 (PCIe 5.0 4.2)".
std::string ValidateLinkConfig(const LinkConfig& config);
std::string ValidateCredits(const FlowControlCredits& credits, uint32_t max_payload_size,
                            const char* which);

}  // namespace nvmesim::pcie
