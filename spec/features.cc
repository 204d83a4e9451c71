#include "spec/features.h"

namespace nvmesim::spec {

const char* FeatureIdName(FeatureId fid) {
  switch (fid) {
    case FeatureId::kArbitration:
      return "Arbitration";
    case FeatureId::kPowerManagement:
      return "Power Management";
    case FeatureId::kLbaRangeType:
      return "LBA Range Type";
    case FeatureId::kTemperatureThreshold:
      return "Temperature Threshold";
    case FeatureId::kErrorRecovery:
      return "Error Recovery";
    case FeatureId::kVolatileWriteCache:
      return "Volatile Write Cache";
    case FeatureId::kNumberOfQueues:
      return "Number of Queues";
    case FeatureId::kInterruptCoalescing:
      return "Interrupt Coalescing";
    case FeatureId::kInterruptVectorConfiguration:
      return "Interrupt Vector Configuration";
    case FeatureId::kWriteAtomicityNormal:
      return "Write Atomicity Normal";
    case FeatureId::kAsyncEventConfiguration:
      return "Asynchronous Event Configuration";
    case FeatureId::kAutonomousPowerStateTransition:
      return "Autonomous Power State Transition";
    case FeatureId::kHostMemoryBuffer:
      return "Host Memory Buffer";
    case FeatureId::kTimestamp:
      return "Timestamp";
    case FeatureId::kKeepAliveTimer:
      return "Keep Alive Timer";
    case FeatureId::kHostControlledThermalManagement:
      return "Host Controlled Thermal Management";
    case FeatureId::kNonOperationalPowerStateConfig:
      return "Non-Operational Power State Config";
    case FeatureId::kReadRecoveryLevelConfig:
      return "Read Recovery Level Config";
    case FeatureId::kPredictableLatencyModeConfig:
      return "Predictable Latency Mode Config";
    case FeatureId::kPredictableLatencyModeWindow:
      return "Predictable Latency Mode Window";
    case FeatureId::kLbaStatusInformationAttributes:
      return "LBA Status Information Attributes";
    case FeatureId::kHostBehaviorSupport:
      return "Host Behavior Support";
    case FeatureId::kSanitizeConfig:
      return "Sanitize Config";
    case FeatureId::kEnduranceGroupEventConfiguration:
      return "Endurance Group Event Configuration";
    case FeatureId::kIoCommandSetProfile:
      return "I/O Command Set Profile";
    case FeatureId::kSpinupControl:
      return "Spinup Control";
    case FeatureId::kEnhancedControllerMetadata:
      return "Enhanced Controller Metadata";
    case FeatureId::kControllerMetadata:
      return "Controller Metadata";
    case FeatureId::kNamespaceMetadata:
      return "Namespace Metadata";
    case FeatureId::kSoftwareProgressMarker:
      return "Software Progress Marker";
    case FeatureId::kHostIdentifier:
      return "Host Identifier";
    case FeatureId::kReservationNotificationMask:
      return "Reservation Notification Mask";
    case FeatureId::kReservationPersistence:
      return "Reservation Persistence";
    case FeatureId::kNamespaceWriteProtectionConfig:
      return "Namespace Write Protection Config";
  }
  return nullptr;
}

const char* FeatureSelectName(FeatureSelect sel) {
  switch (sel) {
    case FeatureSelect::kCurrent:
      return "Current";
    case FeatureSelect::kDefault:
      return "Default";
    case FeatureSelect::kSaved:
      return "Saved";
    case FeatureSelect::kSupportedCapabilities:
      return "Supported Capabilities";
  }
  return "Reserved";
}

const char* AsyncEventTypeName(AsyncEventType type) {
  switch (type) {
    case AsyncEventType::kErrorStatus:
      return "Error Status";
    case AsyncEventType::kSmartHealthStatus:
      return "SMART / Health Status";
    case AsyncEventType::kNotice:
      return "Notice";
    case AsyncEventType::kImmediate:
      return "Immediate";
    case AsyncEventType::kOneShot:
      return "One-Shot";
    case AsyncEventType::kIoCommandSetSpecific:
      return "I/O Command Set Specific Status";
    case AsyncEventType::kVendorSpecific:
      return "Vendor Specific";
  }
  return "Reserved";
}

const char* AsyncEventInfoName(AsyncEventType type, uint8_t info) {
  switch (type) {
    case AsyncEventType::kErrorStatus:
      switch (static_cast<AsyncEventError>(info)) {
        case AsyncEventError::kInvalidSubmissionQueue:
          return "Write to Invalid Doorbell Register";
        case AsyncEventError::kInvalidDoorbellWriteValue:
          return "Invalid Doorbell Write Value";
        case AsyncEventError::kDiagnosticFailure:
          return "Diagnostic Failure";
        case AsyncEventError::kPersistentInternalError:
          return "Persistent Internal Error";
        case AsyncEventError::kTransientInternalError:
          return "Transient Internal Error";
        case AsyncEventError::kFirmwareImageLoadError:
          return "Firmware Image Load Error";
      }
      return nullptr;
    case AsyncEventType::kSmartHealthStatus:
      switch (static_cast<AsyncEventSmart>(info)) {
        case AsyncEventSmart::kSubsystemReliability:
          return "NVM Subsystem Reliability";
        case AsyncEventSmart::kTemperatureThreshold:
          return "Temperature Threshold";
        case AsyncEventSmart::kSpareBelowThreshold:
          return "Spare Below Threshold";
      }
      return nullptr;
    case AsyncEventType::kNotice:
      switch (static_cast<AsyncEventNotice>(info)) {
        case AsyncEventNotice::kNamespaceAttributeChanged:
          return "Namespace Attribute Changed";
        case AsyncEventNotice::kFirmwareActivationStarting:
          return "Firmware Activation Starting";
        case AsyncEventNotice::kTelemetryLogChanged:
          return "Telemetry Log Changed";
        case AsyncEventNotice::kAnaChange:
          return "Asymmetric Namespace Access Change";
        case AsyncEventNotice::kPredictableLatencyEventAggregateLogChange:
          return "Predictable Latency Event Aggregate Log Change";
        case AsyncEventNotice::kLbaStatusInformationAlert:
          return "LBA Status Information Alert";
        case AsyncEventNotice::kEnduranceGroupEventAggregateLogChange:
          return "Endurance Group Event Aggregate Log Page Change";
        case AsyncEventNotice::kNormalSubsystemShutdown:
          return "Normal NVM Subsystem Shutdown";
        case AsyncEventNotice::kZoneDescriptorChanged:
          return "Zone Descriptor Changed";
        case AsyncEventNotice::kDiscoveryLogPageChange:
          return "Discovery Log Page Change";
      }
      return nullptr;
    case AsyncEventType::kIoCommandSetSpecific:
      switch (static_cast<AsyncEventNvmSpecific>(info)) {
        case AsyncEventNvmSpecific::kReservationLogPageAvailable:
          return "Reservation Log Page Available";
        case AsyncEventNvmSpecific::kSanitizeOperationCompleted:
          return "Sanitize Operation Completed";
        case AsyncEventNvmSpecific::kSanitizeCompletedWithUnexpectedDeallocation:
          return "Sanitize Operation Completed With Unexpected Deallocation";
      }
      return nullptr;
    case AsyncEventType::kImmediate:
    case AsyncEventType::kOneShot:
    case AsyncEventType::kVendorSpecific:
      return nullptr;
  }
  return nullptr;
}

}  // namespace nvmesim::spec
