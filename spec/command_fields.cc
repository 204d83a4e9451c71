#include "spec/command_fields.h"

namespace nvmesim::spec {

const char* QueuePriorityName(QueuePriority p) {
  switch (p) {
    case QueuePriority::kUrgent:
      return "Urgent";
    case QueuePriority::kHigh:
      return "High";
    case QueuePriority::kMedium:
      return "Medium";
    case QueuePriority::kLow:
      return "Low";
  }
  return "Reserved";
}

const char* FirmwareCommitActionName(FirmwareCommitAction ca) {
  switch (ca) {
    case FirmwareCommitAction::kReplaceNoActivate:
      return "Replace, No Activation";
    case FirmwareCommitAction::kReplaceActivateOnReset:
      return "Replace, Activate at Next Reset";
    case FirmwareCommitAction::kActivateOnReset:
      return "Activate at Next Reset";
    case FirmwareCommitAction::kActivateImmediately:
      return "Activate Immediately";
    case FirmwareCommitAction::kReplaceBootPartition:
      return "Replace Boot Partition";
    case FirmwareCommitAction::kActivateBootPartition:
      return "Mark Boot Partition Active";
  }
  return "Reserved";
}

const char* SelfTestCodeName(SelfTestCode c) {
  switch (c) {
    case SelfTestCode::kShort:
      return "Short Device Self-test";
    case SelfTestCode::kExtended:
      return "Extended Device Self-test";
    case SelfTestCode::kVendor:
      return "Vendor Specific";
    case SelfTestCode::kAbort:
      return "Abort Device Self-test";
  }
  return "Reserved";
}

}  // namespace nvmesim::spec
