// The TLM extension that marks a generic payload as a PCIe transaction.
//
// A payload without a TlpExtension is a memory request (MRd / MWr) whose
// address is the full bus address. Configuration requests carry a
// TlpExtension with type kConfigRead / kConfigWrite and the configuration
// space offset (0..4095) as the address. Every hop that ends a request early
// (link down, unsupported request, completion timeout) records why in
// `completion` and sets the TLM response status (docs/pcie.md, "Errors").
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
    case CompletionStatus::kSuccessful: return "Successful Completion";
    case CompletionStatus::kUnsupportedRequest: return "Unsupported Request";
    case CompletionStatus::kCompleterAbort: return "Completer Abort";
    case CompletionStatus::kCompletionTimeout: return "Completion Timeout";
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

// Convenience: the completion status recorded on a payload (kSuccessful when absent).
inline CompletionStatus CompletionOf(const tlm::tlm_generic_payload& trans) {
  const TlpExtension* ext = trans.get_extension<TlpExtension>();
  return ext ? ext->completion : CompletionStatus::kSuccessful;
}

// Records `status` on the payload, adding an extension (owned by the payload,
// freed with it) when there is none. Used by completers and by the link.
inline void SetCompletion(tlm::tlm_generic_payload& trans, CompletionStatus status) {
  TlpExtension* ext = trans.get_extension<TlpExtension>();
  if (!ext) {
    if (status == CompletionStatus::kSuccessful) return;
    ext = new TlpExtension;
    ext->type = trans.is_read() ? TlpType::kMemoryRead : TlpType::kMemoryWrite;
    trans.set_extension(ext);  // freed by the payload's destructor / caller's clear
  }
  ext->completion = status;
}

inline bool IsConfigRequest(const tlm::tlm_generic_payload& trans) {
  const TlpExtension* ext = trans.get_extension<TlpExtension>();
  return ext && (ext->type == TlpType::kConfigRead || ext->type == TlpType::kConfigWrite);
}

}  // namespace nvmesim::pcie
