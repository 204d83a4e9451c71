#include "pcie_model/link_config.h"

#include <sstream>

#include "spec/pcie.h"

namespace nvmesim::pcie {
namespace {

bool IsPayloadSize(uint32_t bytes) { return spec::PayloadBytesToEncoding(bytes) >= 0; }

}  // namespace

std::string ValidateCredits(const FlowControlCredits& c, uint32_t mps, const char* which) {
  std::ostringstream os;
  struct Item {
    const char* name;
    uint32_t value;
    uint32_t max;
  };
  // 3.4.2: finite header credits <= 127 (8-bit HdrFC), data credits <= 2047 (12-bit DataFC).
  const Item items[] = {
      {"posted_header", c.posted_header, 127},         {"posted_data", c.posted_data, 2047},
      {"non_posted_header", c.non_posted_header, 127}, {"non_posted_data", c.non_posted_data, 2047},
      {"completion_header", c.completion_header, 127}, {"completion_data", c.completion_data, 2047},
  };
  for (const Item& it : items) {
    if (it.value > it.max) {
      os << "pcie link: " << which << "." << it.name << " = " << it.value << " credits exceeds "
         << it.max << " (PCIe 5.0 3.4.2, no scaled flow control)";
      return os.str();
    }
  }
  // 3.4.2 Table 3-2 minimum advertisements: data credits for one max-size TLP.
  const uint32_t min_data = mps / 16;
  const Item data[] = {{"posted_data", c.posted_data, 0},
                       {"completion_data", c.completion_data, 0}};
  for (const Item& it : data) {
    if (it.value != 0 && it.value < min_data) {
      os << "pcie link: " << which << "." << it.name << " = " << it.value
         << " credits is below one max-payload TLP (" << min_data << " credits of 16 bytes for MPS "
         << mps << ", PCIe 5.0 3.4.2 Table 3-2)";
      return os.str();
    }
  }
  return "";
}

std::string ValidateLinkConfig(const LinkConfig& c) {
  std::ostringstream os;
  if (c.generation < 1 || c.generation > 5) {
    os << "pcie link: generation " << c.generation
       << " is not 1..5 (PCIe 5.0 4.2: 2.5, 5.0, 8.0, 16.0, 32.0 GT/s)";
  } else if (c.width != 1 && c.width != 2 && c.width != 4 && c.width != 8 && c.width != 16) {
    os << "pcie link: width x" << c.width
       << " is not x1, x2, x4, x8 or x16 (PCIe 5.0 4.2.4.11, 7.5.3.6)";
  } else if (!IsPayloadSize(c.max_payload_size)) {
    os << "pcie link: max_payload_size " << c.max_payload_size
       << " is not 128, 256, 512, 1024, 2048 or 4096 bytes (PCIe 5.0 7.5.3.4 Table 7-23)";
  } else if (!IsPayloadSize(c.max_read_request_size)) {
    os << "pcie link: max_read_request_size " << c.max_read_request_size
       << (c.max_read_request_size > 4096 ? " exceeds 4096 bytes" : " is not a valid size")
       << "; valid: 128, 256, 512, 1024, 2048, 4096 (PCIe 5.0 7.5.3.4 Table 7-23)";
  } else if (c.read_completion_boundary != 64 && c.read_completion_boundary != 128) {
    os << "pcie link: read_completion_boundary " << c.read_completion_boundary
       << " is not 64 or 128 bytes (PCIe 5.0 2.3.1.1, 7.5.3.7)";
  } else if (c.ack_every < 1 || c.ack_every > 255 || c.update_fc_every < 1 ||
             c.update_fc_every > 255) {
    os << "pcie link: ack_every " << c.ack_every << " / update_fc_every " << c.update_fc_every
       << " must be 1..255 TLPs per DLLP";
  } else if (c.completion_timeout_ps < 50'000'000ull) {
    os << "pcie link: completion_timeout_ps " << c.completion_timeout_ps
       << " is below 50 us (PCIe 5.0 2.8: the timeout must not expire in less than 50 us)";
  } else if (c.max_outstanding_reads < 1 || c.max_outstanding_reads > 768) {
    os << "pcie link: max_outstanding_reads " << c.max_outstanding_reads
       << " is not 1..768 (PCIe 5.0 2.2.6.2: 10-bit tags)";
  } else {
    std::string e = ValidateCredits(c.device_credits, c.max_payload_size, "device_credits");
    if (e.empty())
      e = ValidateCredits(c.root_port_credits, c.max_payload_size, "root_port_credits");
    return e;
  }
  return os.str();
}

}  // namespace nvmesim::pcie
