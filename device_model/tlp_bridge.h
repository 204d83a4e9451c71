// The few TLP-extension operations the controller needs (pcie_model/tlp.h):
// config requests are recognised by their TlpExtension, completers report
// PCIe completion status through it.
#pragma once

#include <tlm>

#define NVMESIM_DEVICE_HAVE_TLP 1
#include "pcie_model/tlp.h"

namespace nvmesim::device {

inline bool IsConfigRequest(const tlm::tlm_generic_payload& p) {
#ifdef NVMESIM_DEVICE_HAVE_TLP
  return pcie::IsConfigRequest(p);
#else
  (void)p;
  return false;
#endif
}

inline void MarkUnsupportedRequest(tlm::tlm_generic_payload& p) {
#ifdef NVMESIM_DEVICE_HAVE_TLP
  pcie::SetCompletion(p, pcie::CompletionStatus::kUnsupportedRequest);
#else
  (void)p;
#endif
}

// True when the completer reported success; drops the extension it added to
// our reusable payload.
inline bool TakeCompletionOk(tlm::tlm_generic_payload& p) {
#ifdef NVMESIM_DEVICE_HAVE_TLP
  if (auto* ext = p.get_extension<pcie::TlpExtension>()) {
    const bool ok = ext->completion == pcie::CompletionStatus::kSuccessful;
    p.release_extension<pcie::TlpExtension>();
    return ok;
  }
#else
  (void)p;
#endif
  return true;
}

}  // namespace nvmesim::device
