// Loads a device profile from TOML (scenarios/profiles/*.toml) and validates
// it. Errors name the file, the line, the key and the limit:
//   "scenarios/profiles/x.toml:12: nand.channel_mts: 4000 is not 1..3600 (ONFI 5.1 NV-LPDDR4)".
// Unknown keys and tables are errors (a typo must not silently keep a default).
// A [thermal] table (the drive's thermal character) is left to the scenario
// loader's thermal settings and skipped here.
#pragma once

#include <string>
#include <string_view>

#include "device_model/media/profile.h"

namespace nvmesim::device::media {

struct ProfileLoad {
  MediaProfile profile;
  std::string error;  // "" on success
  bool ok() const { return error.empty(); }
};

// `source` names the text in errors (normally the file path).
ProfileLoad ParseProfile(std::string_view toml_text, const std::string& source);
ProfileLoad LoadProfile(const std::string& path);

}  // namespace nvmesim::device::media
