#include "spec/identify.h"

namespace nvmesim::spec {

const char* CnsName(Cns cns) {
  switch (cns) {
    case Cns::kNamespace:
      return "Identify Namespace";
    case Cns::kController:
      return "Identify Controller";
    case Cns::kActiveNamespaceList:
      return "Active Namespace ID List";
    case Cns::kNamespaceIdDescriptorList:
      return "Namespace Identification Descriptor List";
    case Cns::kNvmSetList:
      return "NVM Set List";
    case Cns::kIoCommandSetNamespace:
      return "I/O Command Set Specific Identify Namespace";
    case Cns::kIoCommandSetController:
      return "I/O Command Set Specific Identify Controller";
    case Cns::kIoCommandSetActiveNamespaceList:
      return "I/O Command Set Specific Active Namespace ID List";
    case Cns::kIoCommandSetIndependentNamespace:
      return "I/O Command Set Independent Identify Namespace";
    case Cns::kAllocatedNamespaceList:
      return "Allocated Namespace ID List";
    case Cns::kAllocatedNamespace:
      return "Identify Namespace for Allocated NSID";
    case Cns::kNamespaceAttachedControllerList:
      return "Namespace Attached Controller List";
    case Cns::kControllerList:
      return "Controller List";
    case Cns::kPrimaryControllerCapabilities:
      return "Primary Controller Capabilities";
    case Cns::kSecondaryControllerList:
      return "Secondary Controller List";
    case Cns::kNamespaceGranularityList:
      return "Namespace Granularity List";
    case Cns::kUuidList:
      return "UUID List";
    case Cns::kDomainList:
      return "Domain List";
    case Cns::kEnduranceGroupList:
      return "Endurance Group List";
    case Cns::kIoCommandSetAllocatedNamespaceList:
      return "I/O Command Set Specific Allocated Namespace ID List";
    case Cns::kIoCommandSetAllocatedNamespace:
      return "I/O Command Set Specific Identify Namespace for Allocated NSID";
    case Cns::kIoCommandSet:
      return "Identify I/O Command Set";
  }
  return nullptr;
}

const char* CommandSetIdentifierName(CommandSetIdentifier csi) {
  switch (csi) {
    case CommandSetIdentifier::kNvm:
      return "NVM Command Set";
    case CommandSetIdentifier::kKeyValue:
      return "Key Value Command Set";
    case CommandSetIdentifier::kZoned:
      return "Zoned Namespace Command Set";
  }
  return "Reserved";
}

const char* NamespaceIdDescriptorTypeName(NamespaceIdDescriptorType t) {
  switch (t) {
    case NamespaceIdDescriptorType::kEui64:
      return "IEEE Extended Unique Identifier";
    case NamespaceIdDescriptorType::kNguid:
      return "Namespace Globally Unique Identifier";
    case NamespaceIdDescriptorType::kUuid:
      return "Namespace UUID";
    case NamespaceIdDescriptorType::kCsi:
      return "Command Set Identifier";
  }
  return "Reserved";
}

const char* ControllerTypeName(ControllerType t) {
  switch (t) {
    case ControllerType::kNotReported:
      return "Not Reported";
    case ControllerType::kIo:
      return "I/O Controller";
    case ControllerType::kDiscovery:
      return "Discovery Controller";
    case ControllerType::kAdministrative:
      return "Administrative Controller";
  }
  return "Reserved";
}

}  // namespace nvmesim::spec
