#include "spec/opcodes.h"

namespace nvmesim::spec {

#define NVMESIM_OPCODE_CASE(name, value, text) \
  case value:                                  \
    return text;

const char* AdminOpcodeName(uint8_t opcode) {
  switch (opcode) { NVMESIM_ADMIN_OPCODES(NVMESIM_OPCODE_CASE) }
  return nullptr;
}

const char* IoOpcodeName(uint8_t opcode) {
  switch (opcode) {
    NVMESIM_NVM_OPCODES(NVMESIM_OPCODE_CASE)
    NVMESIM_ZNS_OPCODES(NVMESIM_OPCODE_CASE)
  }
  return nullptr;
}

#undef NVMESIM_OPCODE_CASE

const char* DataTransferDirectionName(DataTransferDirection d) {
  switch (d) {
    case DataTransferDirection::kNone:
      return "No Data Transfer";
    case DataTransferDirection::kHostToController:
      return "Host to Controller";
    case DataTransferDirection::kControllerToHost:
      return "Controller to Host";
    case DataTransferDirection::kBidirectional:
      return "Bidirectional";
  }
  return "Unknown";
}

}  // namespace nvmesim::spec
