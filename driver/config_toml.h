// Loading the `[advanced_nvme]` section from TOML (toml++).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "driver/config.h"

namespace nvmesim::driver {

struct ConfigResult {
  AdvancedNvmeConfig config;            // defaults overlaid with the keys given
  std::vector<std::string> errors;      // one line per problem, naming key and limit
  std::vector<std::string> error_keys;  // per error: its key, "" for a rule across keys
  bool ok() const { return errors.empty(); }
  std::string ErrorText() const;  // errors joined by newlines
};

// Reads the keys of one `[advanced_nvme]` table: unknown keys, wrong types
// and values beyond the NVMe spec are errors. Runs ValidateAdvancedNvmeConfig.
ConfigResult LoadAdvancedNvmeSection(const toml::table& section);

// Parses a whole TOML document and loads its `[advanced_nvme]` table (all
// defaults when the document has none). A TOML syntax error is reported with
// its line and column.
ConfigResult ParseAdvancedNvmeToml(std::string_view document);

}  // namespace nvmesim::driver
