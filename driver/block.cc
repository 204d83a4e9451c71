#include "driver/block.h"

namespace nvmesim::driver {

const char* BlockOpName(BlockOp op) {
  switch (op) {
    case BlockOp::kRead:
      return "read";
    case BlockOp::kWrite:
      return "write";
    case BlockOp::kFlush:
      return "flush";
    case BlockOp::kWriteZeroes:
      return "write_zeroes";
    case BlockOp::kDeallocate:
      return "deallocate";
    case BlockOp::kCompare:
      return "compare";
    case BlockOp::kCopy:
      return "copy";
  }
  return "?";
}

const char* BlockResult::status_name() const {
  const char* n = spec::StatusName(status.type, status.code);
  return n ? n : "Reserved status";
}

}  // namespace nvmesim::driver
