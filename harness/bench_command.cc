#include "harness/bench_command.h"

#include <filesystem>

#include "harness/scenario/diagnostic.h"
#include "harness/workload/job_spec.h"

namespace nvmesim::harness {

ScenarioSpec BenchScenario(const BenchRequest& r) {
  ScenarioSpec s;
  s.path = r.job_file;
  s.directory = std::filesystem::path(r.job_file).parent_path().string();
  s.info.name = std::filesystem::path(r.job_file).stem().string();
  s.info.description =
      "fio job file " + r.job_file +
      (r.profile.empty() ? std::string(" (zero-cost media)") : " on profile " + r.profile);
  if (r.seed) s.info.seed = *r.seed;
  if (r.fidelity) s.info.fidelity = *r.fidelity;
  s.info.time_limit_ps = uint64_t{600} * 1000 * 1000 * 1000 * 1000;  // 600 s simulated

  s.hosts.push_back({"host0", 1, 0});
  SubsystemSpec sub;
  sub.name = "subsys0";
  sub.nqn = "nqn.2014-08.org.nvmexpress:nvmesim:bench";
  s.subsystems.push_back(sub);
  ControllerSpec c;
  c.name = "ctrl0";
  c.subsystem = "subsys0";
  c.host = "host0";
  c.cntlid = 1;
  c.link.generation = r.link_generation;
  c.link.width = r.link_width;
  c.io_queues = r.queue_count;
  c.max_queue_entries = r.queue_depth;
  c.profile = r.profile;
  c.profile_resolved = r.profile;
  if (!r.profile.empty() && !std::filesystem::exists(r.profile)) {
    throw ScenarioError({r.profile, 0, 0, "--profile", "no such device profile file"});
  }
  s.controllers.push_back(c);
  NamespaceSpec ns;
  ns.name = "ns1";
  ns.subsystem = "subsys0";
  ns.nsid = 1;
  ns.size_bytes = r.namespace_bytes;
  ns.lba_size = r.lba_size;
  ns.controllers = {"ctrl0"};
  s.namespaces.push_back(ns);

  toml::table adv;
  adv.insert("queue_count", static_cast<int64_t>(r.queue_count));
  adv.insert("queue_depth", static_cast<int64_t>(r.queue_depth));
  s.advanced_nvme = adv;

  for (JobSpec job : LoadFioJobFile(r.job_file)) {
    job.target_namespace = "ns1";
    job.host = "host0";
    s.jobs.push_back(job);
  }
  ExpectSpec all;
  all.kind = ExpectKind::kAllCompleted;
  all.name = "every request completed exactly once";
  s.expectations.push_back(all);
  return s;
}

}  // namespace nvmesim::harness
