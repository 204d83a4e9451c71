// The TLM extension that marks a generic payload as a PCIe transaction.
//
// A payload without a TlpExtension is a memory request (MRd / MWr) whose
// address is the full bus address. Configuration requests carry a
// TlpExtension with type kConfigRead / kConfigWrite and the configuration
// space offset (0..4095) as the address. Every hop that ends a request early
// (link down, unsupported request, completion timeout) sets the TLM response
// status and, if the payload has an extension, its `completion` field
// (docs/pcie.md, "Errors"). The model never adds an extension to a payload.
#pragma once

#include <tlm>

#include <cstdint>

namespace nvmesim::pcie {

// PCIe 5.0 2.2.7 / Table 2-3: the request types this model carries.
enum class TlpType : uint8_t { kMemoryRead, kMemoryWrite, kConfigRead, kConfigWrite };

// PCIe 5.0 2.2.9 Table 2-34 completion status, plus a timeout seen by the requester (2.8).
enum class CompletionStatus : uint8_t {
  kSuccessful,          // SC 000b
  kUnsupportedRequest,  // UR 001b
  kCompleterAbort,      // CA 100b
  kCompletionTimeout,   // no completion arrived within the completion timeout (2.8)
};

constexpr const char* CompletionStatusName(CompletionStatus s) {
  switch (s) {
    case CompletionStatus::kSuccessful:
      return "Successful Completion";
    case CompletionStatus::kUnsupportedRequest:
      return "Unsupported Request";
    case CompletionStatus::kCompleterAbort:
      return "Completer Abort";
    case CompletionStatus::kCompletionTimeout:
      return "Completion Timeout";
  }
  return "?";
}

class TlpExtension : public tlm::tlm_extension<TlpExtension> {
 public:
  TlpType type = TlpType::kMemoryRead;
  uint16_t requester_id = 0;  // bus/device/function of the requester (2.2.6.2)
  CompletionStatus completion = CompletionStatus::kSuccessful;

  tlm::tlm_extension_base* clone() const override { return new TlpExtension(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const TlpExtension&>(other);
  }
};

// Records `status` on the payload: the TLM response status (UR ->
// TLM_ADDRESS_ERROR_RESPONSE, CA -> TLM_COMMAND_ERROR_RESPONSE, timeout ->
// TLM_GENERIC_ERROR_RESPONSE, success -> TLM_OK_RESPONSE) and, when the payload
// carries a TlpExtension, its `completion` field. Never allocates an extension.
inline void SetCompletion(tlm::tlm_generic_payload& trans, CompletionStatus status) {
  switch (status) {
    case CompletionStatus::kSuccessful:
      trans.set_response_status(tlm::TLM_OK_RESPONSE);
      break;
    case CompletionStatus::kUnsupportedRequest:
      trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      break;
    case CompletionStatus::kCompleterAbort:
      trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
      break;
    case CompletionStatus::kCompletionTimeout:
      trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
      break;
  }
  if (TlpExtension* ext = trans.get_extension<TlpExtension>()) ext->completion = status;
}

// The completion status of a finished request: the extension's field when
// present, otherwise derived from the TLM response status.
inline CompletionStatus CompletionOf(const tlm::tlm_generic_payload& trans) {
  if (const TlpExtension* ext = trans.get_extension<TlpExtension>()) return ext->completion;
  switch (trans.get_response_status()) {
    case tlm::TLM_OK_RESPONSE:
      return CompletionStatus::kSuccessful;
    case tlm::TLM_ADDRESS_ERROR_RESPONSE:
      return CompletionStatus::kUnsupportedRequest;
    case tlm::TLM_GENERIC_ERROR_RESPONSE:
      return CompletionStatus::kCompletionTimeout;
    default:
      return CompletionStatus::kCompleterAbort;
  }
}

inline bool IsConfigRequest(const tlm::tlm_generic_payload& trans) {
  const TlpExtension* ext = trans.get_extension<TlpExtension>();
  return ext && (ext->type == TlpType::kConfigRead || ext->type == TlpType::kConfigWrite);
}

}  // namespace nvmesim::pcie
