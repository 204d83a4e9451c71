#include "spec/log_pages.h"

namespace nvmesim::spec {

const char* LogPageIdName(LogPageId lid) {
  switch (lid) {
    case LogPageId::kSupportedLogPages:
      return "Supported Log Pages";
    case LogPageId::kErrorInformation:
      return "Error Information";
    case LogPageId::kSmartHealth:
      return "SMART / Health Information";
    case LogPageId::kFirmwareSlot:
      return "Firmware Slot Information";
    case LogPageId::kChangedNamespaceList:
      return "Changed Namespace List";
    case LogPageId::kCommandsSupportedAndEffects:
      return "Commands Supported and Effects";
    case LogPageId::kDeviceSelfTest:
      return "Device Self-test";
    case LogPageId::kTelemetryHostInitiated:
      return "Telemetry Host-Initiated";
    case LogPageId::kTelemetryControllerInitiated:
      return "Telemetry Controller-Initiated";
    case LogPageId::kEnduranceGroupInformation:
      return "Endurance Group Information";
    case LogPageId::kPredictableLatencyPerNvmSet:
      return "Predictable Latency Per NVM Set";
    case LogPageId::kPredictableLatencyEventAggregate:
      return "Predictable Latency Event Aggregate";
    case LogPageId::kAsymmetricNamespaceAccess:
      return "Asymmetric Namespace Access";
    case LogPageId::kPersistentEventLog:
      return "Persistent Event Log";
    case LogPageId::kLbaStatusInformation:
      return "LBA Status Information";
    case LogPageId::kEnduranceGroupEventAggregate:
      return "Endurance Group Event Aggregate";
    case LogPageId::kMediaUnitStatus:
      return "Media Unit Status";
    case LogPageId::kSupportedCapacityConfigurationList:
      return "Supported Capacity Configuration List";
    case LogPageId::kFeatureIdentifiersSupportedAndEffects:
      return "Feature Identifiers Supported and Effects";
    case LogPageId::kNvmeMiCommandsSupportedAndEffects:
      return "NVMe-MI Commands Supported and Effects";
    case LogPageId::kCommandAndFeatureLockdown:
      return "Command and Feature Lockdown";
    case LogPageId::kBootPartition:
      return "Boot Partition";
    case LogPageId::kRotationalMediaInformation:
      return "Rotational Media Information";
    case LogPageId::kDiscovery:
      return "Discovery";
    case LogPageId::kReservationNotification:
      return "Reservation Notification";
    case LogPageId::kSanitizeStatus:
      return "Sanitize Status";
    case LogPageId::kChangedZoneList:
      return "Changed Zone List";
  }
  return nullptr;
}

const char* AnaStateName(AnaState s) {
  switch (s) {
    case AnaState::kOptimized:
      return "Optimized";
    case AnaState::kNonOptimized:
      return "Non-Optimized";
    case AnaState::kInaccessible:
      return "Inaccessible";
    case AnaState::kPersistentLoss:
      return "Persistent Loss";
    case AnaState::kChange:
      return "Change";
  }
  return "Reserved";
}

const char* SelfTestResultCodeName(SelfTestResultCode c) {
  switch (c) {
    case SelfTestResultCode::kNoError:
      return "Completed Without Error";
    case SelfTestResultCode::kAbortedBySelfTestCommand:
      return "Aborted by Device Self-test Command";
    case SelfTestResultCode::kAbortedByReset:
      return "Aborted by Controller Level Reset";
    case SelfTestResultCode::kAbortedByNamespaceRemoval:
      return "Aborted by Namespace Removal";
    case SelfTestResultCode::kAbortedByFormat:
      return "Aborted by Format NVM";
    case SelfTestResultCode::kFatalOrUnknownError:
      return "Fatal or Unknown Test Error";
    case SelfTestResultCode::kUnknownSegmentFailed:
      return "Completed with Failed Segment (unknown)";
    case SelfTestResultCode::kSegmentsFailed:
      return "Completed with Failed Segments";
    case SelfTestResultCode::kAbortedUnknownReason:
      return "Aborted for Unknown Reason";
    case SelfTestResultCode::kAbortedBySanitize:
      return "Aborted by Sanitize";
    case SelfTestResultCode::kEntryNotUsed:
      return "Entry Not Used";
  }
  return "Reserved";
}

}  // namespace nvmesim::spec
