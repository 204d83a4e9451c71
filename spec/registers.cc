#include "spec/registers.h"

namespace nvmesim::spec {

const char* ShutdownStatusName(ShutdownStatus s) {
  switch (s) {
    case ShutdownStatus::kNormal:
      return "Normal Operation";
    case ShutdownStatus::kOccurring:
      return "Shutdown Processing Occurring";
    case ShutdownStatus::kComplete:
      return "Shutdown Processing Complete";
  }
  return "Reserved";
}

const char* ShutdownNotificationName(ShutdownNotification s) {
  switch (s) {
    case ShutdownNotification::kNone:
      return "No Notification";
    case ShutdownNotification::kNormal:
      return "Normal Shutdown Notification";
    case ShutdownNotification::kAbrupt:
      return "Abrupt Shutdown Notification";
  }
  return "Reserved";
}

const char* ArbitrationMechanismName(ArbitrationMechanism a) {
  switch (a) {
    case ArbitrationMechanism::kRoundRobin:
      return "Round Robin";
    case ArbitrationMechanism::kWeightedRoundRobinUrgent:
      return "Weighted Round Robin with Urgent Priority Class";
    case ArbitrationMechanism::kVendorSpecific:
      return "Vendor Specific";
  }
  return "Reserved";
}

const char* RegisterName(uint32_t offset) {
  switch (offset) {
    case kRegCap:
      return "CAP";
    case kRegVs:
      return "VS";
    case kRegIntms:
      return "INTMS";
    case kRegIntmc:
      return "INTMC";
    case kRegCc:
      return "CC";
    case kRegCsts:
      return "CSTS";
    case kRegNssr:
      return "NSSR";
    case kRegAqa:
      return "AQA";
    case kRegAsq:
      return "ASQ";
    case kRegAcq:
      return "ACQ";
    case kRegCmbloc:
      return "CMBLOC";
    case kRegCmbsz:
      return "CMBSZ";
    case kRegBpinfo:
      return "BPINFO";
    case kRegBprsel:
      return "BPRSEL";
    case kRegBpmbl:
      return "BPMBL";
    case kRegCmbmsc:
      return "CMBMSC";
    case kRegCmbsts:
      return "CMBSTS";
    case kRegCmbebs:
      return "CMBEBS";
    case kRegCmbswtp:
      return "CMBSWTP";
    case kRegNssd:
      return "NSSD";
    case kRegCrto:
      return "CRTO";
    case kRegPmrcap:
      return "PMRCAP";
    case kRegPmrctl:
      return "PMRCTL";
    case kRegPmrsts:
      return "PMRSTS";
    case kRegPmrebs:
      return "PMREBS";
    case kRegPmrswtp:
      return "PMRSWTP";
    case kRegPmrmscl:
      return "PMRMSCL";
    case kRegPmrmscu:
      return "PMRMSCU";
    default:
      return nullptr;
  }
}

}  // namespace nvmesim::spec
