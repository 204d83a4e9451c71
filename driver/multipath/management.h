// Management commands of the multipath layer, as functions returning the text
// a tool prints (laid out like nvme-cli's `list-subsys`).
//
//   nvme-multipath-info      subsystems, their multipath namespaces, each path
//                            with controller state, ANA state and counters
//   nvme-multipath-config    show or set the policy and its parameters:
//                            "policy=latency probe_interval=128 ewma_shift=3
//                             preferred=nvme1 numa_node=0 no_path_timeout_ms=500"
//   nvme-multipath-failover  move new I/O off a path ("nvme0"), or give it back
#pragma once

#include <string>

#include "driver/multipath/manager.h"
#include "driver/multipath/multipath_namespace.h"

namespace nvmesim::driver::multipath {

std::string MultipathInfo(MultipathManager& manager);
std::string NamespaceInfo(const MultipathNamespace& ns);  // one namespace's block

// Applies "key=value ..." to every namespace of the manager (or just `ns`);
// empty args print the current settings. Errors name the key and the limit;
// on any error nothing is changed. Sets *ok when given. On an error the text is
// the reason alone (one line, no newline); otherwise the settings, a line each.
std::string MultipathConfig(MultipathManager& manager, const std::string& args, bool* ok = nullptr);
std::string MultipathConfig(MultipathNamespace& ns, const std::string& args, bool* ok = nullptr);

// Takes `path` (controller name) out of service for new I/O in every
// namespace it serves (restore = false), or puts it back. An error (no such
// path) is the reason alone, as for MultipathConfig.
std::string MultipathFailover(MultipathManager& manager, const std::string& path, bool restore,
                              bool* ok = nullptr);
std::string MultipathFailover(MultipathNamespace& ns, const std::string& path, bool restore,
                              bool* ok = nullptr);

}  // namespace nvmesim::driver::multipath
