// Test fixture: a Link with a plain initiator/target module at each end.
#pragma once

#ifndef SC_INCLUDE_DYNAMIC_PROCESSES
#define SC_INCLUDE_DYNAMIC_PROCESSES
#endif
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "pcie_model/link.h"
#include "pcie_model/tlp.h"

namespace nvmesim::pcie::testing {

inline uint64_t Ps(const sc_core::sc_time& t) { return t.value(); }  // 1 ps resolution
inline sc_core::sc_time FromPs(uint64_t ps) { return sc_core::sc_time::from_value(ps); }

// One side of the link: issues requests through `initiator`, completes
// requests arriving on `target` after `latency` (reads return 0xA5 bytes).
struct End : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<End> initiator;
  tlm_utils::simple_target_socket<End> target;
  sc_core::sc_time latency;
  uint64_t received = 0, received_bytes = 0, last_arrival_ps = 0;
  tlm::tlm_response_status answer = tlm::TLM_OK_RESPONSE;
  std::vector<uint8_t> buffer = std::vector<uint8_t>(1 << 20);

  End(sc_core::sc_module_name n, sc_core::sc_time lat)
      : sc_core::sc_module(n), initiator("initiator"), target("target"), latency(lat) {
    target.register_b_transport(this, &End::Serve);
  }
  void Serve(tlm::tlm_generic_payload& t, sc_core::sc_time& d) {
    ++received;
    received_bytes += t.get_data_length();
    last_arrival_ps = Ps(sc_core::sc_time_stamp() + d);
    if (t.is_read()) std::memset(t.get_data_ptr(), 0xA5, t.get_data_length());
    d += latency;
    t.set_response_status(answer);
  }
  tlm::tlm_response_status Access(bool write, uint64_t addr, uint32_t len, sc_core::sc_time& d,
                                  TlpExtension* ext = nullptr) {
    tlm::tlm_generic_payload p;
    p.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    p.set_address(addr);
    p.set_data_ptr(buffer.data());
    p.set_data_length(len);
    p.set_streaming_width(len);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    if (ext) p.set_extension(ext);
    initiator->b_transport(p, d);
    if (ext) p.clear_extension(ext);
    return p.get_response_status();
  }
};

struct LinkBench {
  End host;
  End dev;
  Link link;
  LinkBench(const LinkConfig& c, uint64_t host_latency_ps = 0, uint64_t dev_latency_ps = 0,
            const std::string& prefix = "")
      : host((prefix + "host").c_str(), FromPs(host_latency_ps)),
        dev((prefix + "dev").c_str(), FromPs(dev_latency_ps)),
        link((prefix + "link").c_str(), c) {
    host.initiator.bind(link.down_target);
    link.down_initiator.bind(dev.target);
    dev.initiator.bind(link.up_target);
    link.up_initiator.bind(host.target);
  }
};

// Runs `body` in a thread and simulates until everything is done.
inline void RunThread(std::function<void()> body) {
  sc_core::sc_spawn(std::move(body));
  sc_core::sc_start();
}

// `count` back-to-back writes of `size` bytes from `from`, each issued when the
// previous one has left the transmitter. Returns the bytes per second achieved.
inline double StreamWrites(End& from, uint64_t base, uint32_t size, int count) {
  const sc_core::sc_time t0 = sc_core::sc_time_stamp();
  for (int i = 0; i < count; ++i) {
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    from.Access(true, base + uint64_t(i) * size % (1 << 20), size, d);
    sc_core::wait(d);
  }
  const double secs = (sc_core::sc_time_stamp() - t0).to_seconds();
  return static_cast<double>(size) * count / secs;
}

inline double StreamReads(End& from, uint64_t base, uint32_t size, int count) {
  const sc_core::sc_time t0 = sc_core::sc_time_stamp();
  for (int i = 0; i < count; ++i) {
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    from.Access(false, base + uint64_t(i) * size % (1 << 20), size, d);
    sc_core::wait(d);
  }
  const double secs = (sc_core::sc_time_stamp() - t0).to_seconds();
  return static_cast<double>(size) * count / secs;
}

}  // namespace nvmesim::pcie::testing
