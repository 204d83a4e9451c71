#include "device_model/media/closed_loop.h"

#include <algorithm>
#include <queue>
#include <tuple>

namespace nvmesim::device::media {
namespace {

// Addresses of the modelled host: BAR0 below 4 GiB (3 DW headers), host
// memory and the MSI-X window as a real x86 host places them.
constexpr uint64_t kBar0 = 0xF000'0000ull;
constexpr uint64_t kHostData = 0x1'0000'0000ull;  // above 4 GiB: 4 DW headers
constexpr uint64_t kSqBase = 0x2'0000'0000ull;
constexpr uint64_t kCqBase = 0x3'0000'0000ull;
constexpr uint64_t kMsiAddress = 0xFEE0'0000ull;  // x86 interrupt window: 3 DW header
constexpr uint32_t kSqeBytes = 64;                // Base 2.0 4.2 (SQE size)
constexpr uint32_t kCqeBytes = 16;                // Base 2.0 4.6 (CQE size)
constexpr uint32_t kDoorbellBytes = 4;            // Base 2.0 3.1.4.x doorbells: 32-bit
constexpr uint32_t kMsiBytes = 4;                 // PCIe 5.0 6.1.4: MSI-X data is one DW

uint64_t SplitMix(uint64_t& s) {
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double Share(const pcie::LinkTiming& l) {
  return static_cast<double>(l.DllpTimePs()) *
         (1.0 / l.config().ack_every + 1.0 / l.config().update_fc_every);
}

// Wire time of the posted writes carrying `length` bytes at `address`.
double PostedPs(const pcie::LinkTiming& l, uint64_t address, uint64_t length, uint64_t* tlps) {
  double ps = 0;
  uint64_t a = address, left = length;
  while (left) {
    const uint32_t c = pcie::NextChunk(a, left, l.config().max_payload_size);
    ps += static_cast<double>(l.TlpTimePs(c, pcie::MemoryHeaderDw(a)));
    ++*tlps;
    a += c;
    left -= c;
  }
  return ps;
}

}  // namespace

ClosedLoop::ClosedLoop(device::MediaTiming& media, const pcie::LinkTiming& link, HostCosts host)
    : media_(media),
      link_(link),
      host_(host),
      dllp_share_ps_(static_cast<uint64_t>(Share(link) + 0.5)) {}

uint64_t ClosedLoop::Send(bool up, uint32_t payload, unsigned header_dw, uint64_t t) {
  Calendar& dir = up ? up_ : down_;
  // The receiver's Ack/UpdateFC share for this TLP goes out on the opposite
  // direction; it rides along with that direction's next TLP booking (same
  // wire time, far fewer calendar entries).
  pending_dllp_ps_[up ? 0 : 1] += dllp_share_ps_;
  uint64_t& owed = pending_dllp_ps_[up ? 1 : 0];
  const uint64_t len = link_.TlpTimePs(payload, header_dw);
  const uint64_t start = dir.Reserve(t, len + owed);
  owed = 0;
  return start + len + link_.HopPs();
}

// Device reads host memory: requests up (MRRS pieces), completions down
// (MPS pieces cut at RCB, PCIe 5.0 2.3.1.1). Returns when the last data is in.
uint64_t ClosedLoop::DmaRead(uint64_t address, uint64_t length, uint64_t t) {
  const pcie::LinkConfig& c = link_.config();
  uint64_t last = t;
  uint64_t a = address, left = length;
  do {
    const uint32_t chunk = pcie::NextChunk(a, left, c.max_read_request_size);
    const uint64_t at_host = Send(true, 0, pcie::MemoryHeaderDw(a), t) + host_.memory_ps;
    uint64_t ca = a, cleft = chunk;
    do {
      const uint32_t piece =
          pcie::NextCompletion(ca, cleft, c.max_payload_size, c.read_completion_boundary);
      last = std::max(last, Send(false, piece, pcie::kCompletionHeaderDw, at_host));
      ca += piece;
      cleft -= piece;
    } while (cleft);
    a += chunk;
    left -= chunk;
  } while (left);
  return last;
}

// Device writes host memory: posted writes up, MPS pieces.
uint64_t ClosedLoop::DmaWrite(uint64_t address, uint64_t length, uint64_t t) {
  uint64_t last = t;
  uint64_t a = address, left = length;
  while (left) {
    const uint32_t c = pcie::NextChunk(a, left, link_.config().max_payload_size);
    last = Send(true, c, pcie::MemoryHeaderDw(a), t);
    a += c;
    left -= c;
  }
  return last;
}

LoopResult ClosedLoop::Run(const LoopWorkload& w) {
  enum Stage : uint8_t { kSubmit, kExecute, kMedia, kDone, kComplete };
  struct Io {
    uint64_t submit_ps = 0, offset = 0;
    uint32_t slot = 0;
    bool measured = false;
  };
  using Event = std::tuple<uint64_t, uint64_t, uint32_t, Stage>;  // time, seq, io, stage
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> q;
  std::vector<Io> ios(w.queue_depth);
  uint64_t seq = 0, issued = 0, rng = w.seed, next_seq_offset = 0;
  const uint64_t total = w.warmup_ios + w.ios;
  const uint64_t blocks = std::max<uint64_t>(1, w.span_bytes / w.block_bytes);
  std::vector<uint64_t> lat;
  lat.reserve(w.ios);
  std::vector<uint64_t> buckets;
  LoopResult r;
  // Throughput counts the measured completions after the last warm-up one:
  // I/Os already queued when measuring starts would otherwise be charged to it.
  uint64_t first_measured = UINT64_MAX, last_done = now_, completions = 0;
  uint64_t window_start = now_;
  const uint64_t up0 = up_.busy_ps(), down0 = down_.busy_ps();

  auto issue = [&](uint32_t i, uint64_t t) {
    Io& io = ios[i];
    io.submit_ps = t;
    io.measured = issued >= w.warmup_ios;
    if (io.measured) first_measured = std::min(first_measured, t);
    const uint64_t b = w.random ? SplitMix(rng) % blocks : next_seq_offset++ % blocks;
    io.offset = w.start_byte + b * w.block_bytes;
    ++issued;
    q.push({t, seq++, i, kSubmit});
  };
  for (uint32_t i = 0; i < w.queue_depth && issued < total; ++i) issue(i, now_);

  while (!q.empty()) {
    auto [t, s, i, stage] = q.top();
    q.pop();
    if ((s & 1023) == 0) {  // nothing is booked before the current event any more
      up_.Prune(t);
      down_.Prune(t);
    }
    Io& io = ios[i];
    switch (stage) {
      case kSubmit: {
        // Doorbell, then the SQE fetch round trip.
        const uint64_t db =
            Send(false, kDoorbellBytes, pcie::MemoryHeaderDw(kBar0), t + host_.submit_ps);
        const uint64_t sqe = DmaRead(kSqBase + (i % 64) * kSqeBytes, kSqeBytes, db);
        q.push({sqe, seq++, i, w.write ? kExecute : kMedia});
        break;
      }
      case kExecute: {  // write data comes in from host memory
        const uint64_t in = DmaRead(kHostData + uint64_t{i} * w.block_bytes, w.block_bytes, t);
        q.push({in, seq++, i, kMedia});
        break;
      }
      case kMedia: {
        device::MediaOp op;
        op.kind = w.write ? device::MediaOp::Kind::kWrite : device::MediaOp::Kind::kRead;
        op.nsid = w.nsid;
        op.slba = io.offset / w.lba_bytes;
        op.nlb = w.block_bytes / w.lba_bytes;
        op.bytes = w.block_bytes;
        op.fua = w.fua;
        q.push({t + media_.LatencyPs(op, t), seq++, i, kDone});
        break;
      }
      case kDone: {
        uint64_t x = t;
        if (!w.write) x = DmaWrite(kHostData + uint64_t{i} * w.block_bytes, w.block_bytes, t);
        // CQE then MSI-X, in order behind the data on the upstream direction.
        x = std::max(x, Send(true, kCqeBytes, pcie::MemoryHeaderDw(kCqBase), t));
        x = std::max(x, Send(true, kMsiBytes, pcie::MemoryHeaderDw(kMsiAddress), t));
        q.push({x + host_.complete_ps, seq++, i, kComplete});
        break;
      }
      case kComplete: {
        last_done = std::max(last_done, t);
        if (++completions == w.warmup_ios) window_start = t;
        if (io.measured) {
          lat.push_back(t - io.submit_ps);
          r.bytes += w.block_bytes;
          if (w.interval_ps) {
            const uint64_t bkt = (t - std::min(t, first_measured)) / w.interval_ps;
            if (buckets.size() <= bkt) buckets.resize(bkt + 1, 0);
            ++buckets[bkt];
          }
        }
        if (issued < total) issue(i, t);
        break;
      }
    }
  }
  now_ = last_done;
  r.ios = lat.size();
  if (r.ios) {
    r.elapsed_ps = std::max<uint64_t>(1, last_done - window_start);
    r.iops = static_cast<double>(r.ios) * 1e12 / static_cast<double>(r.elapsed_ps);
    r.bytes_per_second = static_cast<double>(r.bytes) * 1e12 / static_cast<double>(r.elapsed_ps);
    uint64_t sum = 0;
    for (uint64_t v : lat) sum += v;
    r.mean_ps = sum / r.ios;
    std::sort(lat.begin(), lat.end());
    r.min_ps = lat.front();
    r.max_ps = lat.back();
    r.p50_ps = lat[(r.ios - 1) / 2];
    r.p99_ps = lat[(r.ios - 1) * 99 / 100];
  }
  // Whole intervals only (the last one is partial).
  for (size_t b = 0; b + 1 < buckets.size(); ++b)
    r.interval_iops.push_back(static_cast<double>(buckets[b]) * 1e12 /
                              static_cast<double>(w.interval_ps));
  r.up_busy_ps = up_.busy_ps() - up0;
  r.down_busy_ps = down_.busy_ps() - down0;
  up_.Prune(now_);
  down_.Prune(now_);
  return r;
}

double ClosedLoop::ReadIopsCeiling(const pcie::LinkTiming& l, uint32_t block) {
  const double share = Share(l);
  uint64_t up_tlps = 0, down_tlps = 0;
  // Up: SQE read request, data, CQE, MSI-X. Down: doorbell, SQE completion.
  double up = static_cast<double>(l.TlpTimePs(0, pcie::MemoryHeaderDw(kSqBase)));
  ++up_tlps;
  up += PostedPs(l, kHostData, block, &up_tlps);
  up += PostedPs(l, kCqBase, kCqeBytes, &up_tlps);
  up += PostedPs(l, kMsiAddress, kMsiBytes, &up_tlps);
  double down = PostedPs(l, kBar0, kDoorbellBytes, &down_tlps);
  down += static_cast<double>(l.TlpTimePs(kSqeBytes, pcie::kCompletionHeaderDw));
  ++down_tlps;
  up += share * static_cast<double>(down_tlps);
  down += share * static_cast<double>(up_tlps);
  return 1e12 / std::max(up, down);
}

double ClosedLoop::WriteIopsCeiling(const pcie::LinkTiming& l, uint32_t block) {
  const double share = Share(l);
  const pcie::LinkConfig& c = l.config();
  uint64_t up_tlps = 0, down_tlps = 0;
  double up = 0, down = 0;
  // SQE fetch as above; data: read requests up, completions down.
  up += static_cast<double>(l.TlpTimePs(0, pcie::MemoryHeaderDw(kSqBase)));
  ++up_tlps;
  down += static_cast<double>(l.TlpTimePs(kSqeBytes, pcie::kCompletionHeaderDw));
  ++down_tlps;
  uint64_t a = kHostData, left = block;
  while (left) {
    const uint32_t chunk = pcie::NextChunk(a, left, c.max_read_request_size);
    up += static_cast<double>(l.TlpTimePs(0, pcie::MemoryHeaderDw(a)));
    ++up_tlps;
    uint64_t ca = a, cleft = chunk;
    while (cleft) {
      const uint32_t p =
          pcie::NextCompletion(ca, cleft, c.max_payload_size, c.read_completion_boundary);
      down += static_cast<double>(l.TlpTimePs(p, pcie::kCompletionHeaderDw));
      ++down_tlps;
      ca += p;
      cleft -= p;
    }
    a += chunk;
    left -= chunk;
  }
  up += PostedPs(l, kCqBase, kCqeBytes, &up_tlps);
  up += PostedPs(l, kMsiAddress, kMsiBytes, &up_tlps);
  down += PostedPs(l, kBar0, kDoorbellBytes, &down_tlps);
  up += share * static_cast<double>(down_tlps);
  down += share * static_cast<double>(up_tlps);
  return 1e12 / std::max(up, down);
}

}  // namespace nvmesim::device::media
