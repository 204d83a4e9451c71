#include "spec/command.h"

namespace nvmesim::spec {

const char* SglDescriptorTypeName(SglDescriptorType t) {
  switch (t) {
    case SglDescriptorType::kDataBlock:
      return "SGL Data Block";
    case SglDescriptorType::kBitBucket:
      return "SGL Bit Bucket";
    case SglDescriptorType::kSegment:
      return "SGL Segment";
    case SglDescriptorType::kLastSegment:
      return "SGL Last Segment";
    case SglDescriptorType::kKeyedDataBlock:
      return "Keyed SGL Data Block";
    case SglDescriptorType::kTransportDataBlock:
      return "Transport SGL Data Block";
    case SglDescriptorType::kVendorSpecific:
      return "Vendor Specific";
  }
  return "Reserved";
}

const char* FusedOperationName(FusedOperation f) {
  switch (f) {
    case FusedOperation::kNormal:
      return "Normal Operation";
    case FusedOperation::kFirst:
      return "Fused Operation, First Command";
    case FusedOperation::kSecond:
      return "Fused Operation, Second Command";
  }
  return "Reserved";
}

const char* DataPointerTypeName(DataPointerType p) {
  switch (p) {
    case DataPointerType::kPrp:
      return "PRP";
    case DataPointerType::kSglMptrContiguous:
      return "SGL, MPTR Contiguous Buffer";
    case DataPointerType::kSglMptrSgl:
      return "SGL, MPTR SGL Segment";
  }
  return "Reserved";
}

}  // namespace nvmesim::spec
