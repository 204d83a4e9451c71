#include "spec/status.h"

#include <cstdio>

namespace nvmesim::spec {

namespace {
#define NVMESIM_STATUS_CASE(name, value, text) \
  case value:                                  \
    return text;
const char* GenericName(uint8_t c) {
  switch (c) { NVMESIM_GENERIC_STATUS(NVMESIM_STATUS_CASE) }
  return nullptr;
}
const char* CommandSpecificName(uint8_t c) {
  switch (c) { NVMESIM_COMMAND_SPECIFIC_STATUS(NVMESIM_STATUS_CASE) }
  return nullptr;
}
const char* MediaName(uint8_t c) {
  switch (c) { NVMESIM_MEDIA_STATUS(NVMESIM_STATUS_CASE) }
  return nullptr;
}
const char* PathName(uint8_t c) {
  switch (c) { NVMESIM_PATH_STATUS(NVMESIM_STATUS_CASE) }
  return nullptr;
}
#undef NVMESIM_STATUS_CASE
}  // namespace

const char* StatusName(StatusCodeType type, uint8_t code) {
  switch (type) {
    case StatusCodeType::kGeneric:
      return GenericName(code);
    case StatusCodeType::kCommandSpecific:
      return CommandSpecificName(code);
    case StatusCodeType::kMediaAndDataIntegrity:
      return MediaName(code);
    case StatusCodeType::kPathRelated:
      return PathName(code);
    case StatusCodeType::kVendorSpecific:
      return "Vendor Specific";
  }
  return nullptr;
}

const char* StatusCodeTypeName(StatusCodeType type) {
  switch (type) {
    case StatusCodeType::kGeneric:
      return "Generic Command Status";
    case StatusCodeType::kCommandSpecific:
      return "Command Specific Status";
    case StatusCodeType::kMediaAndDataIntegrity:
      return "Media and Data Integrity Errors";
    case StatusCodeType::kPathRelated:
      return "Path Related Status";
    case StatusCodeType::kVendorSpecific:
      return "Vendor Specific";
  }
  return "Reserved Status Code Type";
}

std::string Status::ToString() const {
  const char* name = StatusName(type, code);
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s (%u/0x%02x%s)", name ? name : "Reserved Status Code",
                static_cast<unsigned>(type), static_cast<unsigned>(code), dnr ? ", DNR" : "");
  return buf;
}

}  // namespace nvmesim::spec
