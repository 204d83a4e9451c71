// The few TLP-extension operations the controller needs (pcie_model/tlp.h).
// When the build provides the pcie_model TLP header (NVMESIM_DEVICE_HAVE_TLP)
// config requests are recognised by their TlpExtension; otherwise every
// payload is a memory request and config space is reached through
// NvmeController::pcie().
#pragma once

#include <tlm>

#ifdef NVMESIM_DEVICE_HAVE_TLP
#include "pcie_model/tlp.h"
#endif

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
