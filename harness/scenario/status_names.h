// Reading NVMe completion statuses written by people in scenario files.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "spec/status.h"

namespace nvmesim::harness {

// Accepts the spec's name in any case and spacing ("LBA Out of Range", "lba_out_of_range",
// "Zone Is Read Only"), or "SCT/SC" numbers ("0/0x80", "2/0x81", "1/184"). Returns nullopt when
// nothing matches (the caller reports it with the key's position).
std::optional<spec::Status> ParseStatusName(std::string_view text);

}  // namespace nvmesim::harness
