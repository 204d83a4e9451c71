#include "harness/shim/host_cpu.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/sim_test.h"

namespace nvmesim::harness {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_US;

NVMESIM_SIM_TEST(HostCpuTest, RunsTasksInTimeThenPostingOrder) {
  HostCpu cpu("cpu");
  std::vector<std::string> order;
  cpu.Post(sc_time(2, SC_US), [&] { order.push_back("b@2us"); });
  cpu.Post(sc_time(1, SC_US), [&] { order.push_back("a@1us"); });
  cpu.Post(sc_time(2, SC_US), [&] { order.push_back("c@2us"); });
  cpu.Post(sc_time(3, SC_US), [&] {
    order.push_back("d@3us");
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_time(3, SC_US));
    cpu.Halt();
  });
  sc_core::sc_start();
  EXPECT_EQ(order, (std::vector<std::string>{"a@1us", "b@2us", "c@2us", "d@3us"}));
  EXPECT_EQ(cpu.tasks_run(), 4u);
}

NVMESIM_SIM_TEST(HostCpuTest, CancelledTaskNeverRuns) {
  HostCpu cpu("cpu");
  bool ran = false;
  const auto id = cpu.Post(sc_time(5, SC_US), [&] { ran = true; });
  cpu.Post(sc_time(1, SC_US), [&] { EXPECT_TRUE(cpu.Cancel(id)); });
  cpu.Post(sc_time(10, SC_US), [&] { cpu.Halt(); });
  sc_core::sc_start();
  EXPECT_FALSE(ran);
  EXPECT_FALSE(cpu.Cancel(id));
}

// Another process that posts work to the CPU by a script run in its thread
// (the script may wait) and logs each piece with the time it ran.
struct Poster : sc_core::sc_module {
  HostCpu* cpu;
  std::vector<std::string>* order;
  std::function<void(Poster&)> script;
  SC_HAS_PROCESS(Poster);
  Poster(sc_core::sc_module_name n, HostCpu* c, std::vector<std::string>* o,
         std::function<void(Poster&)> s)
      : sc_module(n), cpu(c), order(o), script(std::move(s)) {
    SC_THREAD(Run);
  }
  void Log(const char* what) {
    order->push_back(std::string(what) + "@" + sc_core::sc_time_stamp().to_string());
  }
  void Run() { script(*this); }
};

// An event from another process that lands before a far-off timer must run first:
// the CPU sleeps until the timer but wakes for earlier work.
NVMESIM_SIM_TEST(HostCpuTest, InterruptBeforeTimeoutRunsFirst) {
  HostCpu cpu("cpu");
  std::vector<std::string> order;
  Poster dev("dev", &cpu, &order, [](Poster& p) {
    sc_core::wait(sc_time(3, SC_US));
    p.cpu->Post(sc_core::SC_ZERO_TIME, [&p] { p.Log("irq"); });
  });
  cpu.Post(sc_time(100, SC_US), [&] {
    order.push_back("timeout@" + sc_core::sc_time_stamp().to_string());
    cpu.Halt();
  });
  sc_core::sc_start();
  EXPECT_EQ(order, (std::vector<std::string>{"irq@3 us", "timeout@100 us"}));
}

// Interrupts posted from another process for a few hundred ns ahead, some at
// the very time a CPU task is due (before or after the CPU ran in that time
// step), while a far-off timer is pending: every task runs at its own time.
NVMESIM_SIM_TEST(HostCpuTest, WakeUpsForEarlierWorkNeverLoseALaterOne) {
  HostCpu cpu("cpu");
  std::vector<std::string> order;
  Poster dev("dev", &cpu, &order, [](Poster& p) {
    sc_core::wait(sc_time(5, SC_US));  // the CPU has a task due now too
    p.cpu->PostAt(sc_time(5300, SC_NS), [&p] { p.Log("irq1"); });
    p.cpu->PostAt(sc_time(5, SC_US), [&p] { p.Log("irq0"); });
    sc_core::wait(sc_time(1, SC_US));  // 6 us: the CPU is idle, the timer pending
    p.cpu->PostAt(sc_time(6500, SC_NS), [&p] { p.Log("irq3"); });
    p.cpu->PostAt(sc_time(6200, SC_NS), [&p] { p.Log("irq2"); });
    sc_core::wait(sc_time(500, SC_NS));  // 6.5 us: posted in the time step irq3 runs in
    p.cpu->PostAt(sc_time(6700, SC_NS), [&p] { p.Log("irq4"); });
  });
  cpu.PostAt(sc_time(5, SC_US),
             [&] { order.push_back("task@" + sc_core::sc_time_stamp().to_string()); });
  cpu.PostAt(sc_time(100, SC_US), [&] {
    order.push_back("timer@" + sc_core::sc_time_stamp().to_string());
    cpu.Halt();
  });
  sc_core::sc_start();
  EXPECT_EQ(order,
            (std::vector<std::string>{"task@5 us", "irq0@5 us", "irq1@5300 ns", "irq2@6200 ns",
                                      "irq3@6500 ns", "irq4@6700 ns", "timer@100 us"}));
}

NVMESIM_SIM_TEST(HostCpuTest, LocalOffsetIsWaitedOutAfterTheTask) {
  HostCpu cpu("cpu");
  sc_time seen;
  cpu.Post(sc_core::SC_ZERO_TIME, [&] {
    cpu.local_offset() += sc_time(700, SC_NS);  // e.g. an MMIO read round trip
    EXPECT_EQ(cpu.Now(), sc_time(700, SC_NS));
  });
  cpu.Post(sc_core::SC_ZERO_TIME, [&] {
    seen = sc_core::sc_time_stamp();
    cpu.Halt();
  });
  sc_core::sc_start();
  EXPECT_EQ(seen, sc_time(700, SC_NS));  // the second task waited for the busy CPU
}

// Work that arrives from another process while the CPU is still busy with a
// task's MMIO time waits for the CPU; work due after that runs on time.
NVMESIM_SIM_TEST(HostCpuTest, WorkPostedWhileBusyWaitsForTheCpu) {
  HostCpu cpu("cpu");
  std::vector<std::string> order;
  Poster dev("dev", &cpu, &order, [](Poster& p) {
    sc_core::wait(sc_time(300, SC_NS));  // the CPU is busy until 700 ns
    p.cpu->PostAt(sc_time(400, SC_NS), [&p] { p.Log("irq_in_busy"); });
    p.cpu->PostAt(sc_time(900, SC_NS), [&p] { p.Log("irq_after"); });
    sc_core::wait(sc_time(1, SC_US));  // 1.3 us: the CPU is idle again
    p.cpu->PostAt(sc_time(1500, SC_NS), [&p] {
      p.Log("irq_idle");
      p.cpu->Halt();
    });
  });
  cpu.Post(sc_core::SC_ZERO_TIME, [&] {
    cpu.local_offset() += sc_time(700, SC_NS);
    order.push_back("busy@" + sc_core::sc_time_stamp().to_string());
  });
  sc_core::sc_start();
  EXPECT_EQ(order, (std::vector<std::string>{"busy@0 s", "irq_in_busy@700 ns", "irq_after@900 ns",
                                             "irq_idle@1500 ns"}));
}

}  // namespace
}  // namespace nvmesim::harness
