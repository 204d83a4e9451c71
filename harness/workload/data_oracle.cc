#include "harness/workload/data_oracle.h"

#include <algorithm>

namespace nvmesim::harness {

const char* LbaStateName(LbaState s) {
  switch (s) {
    case LbaState::kUnwritten:
      return "unwritten";
    case LbaState::kInFlight:
      return "in flight";
    case LbaState::kAcknowledged:
      return "acknowledged";
    case LbaState::kDurable:
      return "durable";
    case LbaState::kDeallocated:
      return "deallocated";
    case LbaState::kIndeterminate:
      return "indeterminate";
    case LbaState::kUncertain:
      return "uncertain";
  }
  return "?";
}

DataOracle::DataOracle(uint32_t lba_size, DeallocatedReads deallocated)
    : lba_size_(lba_size), deallocated_(deallocated) {}

void DataOracle::WriteSubmitted(uint64_t lba, uint32_t nlb, const WriteStamp& stamp) {
  for (uint32_t i = 0; i < nlb; ++i) {
    entries_[lba + i].in_flight.push_back(Stamped(Value::Kind::kData, stamp));
  }
}

void DataOracle::Complete(uint64_t lba, const Value& v, bool durable) {
  Entry& e = entries_[lba];
  if (v.kind == Value::Kind::kData || v.kind == Value::Kind::kIndeterminate) {
    auto it = std::find_if(e.in_flight.begin(), e.in_flight.end(), [&](const Value& f) {
      return f.generation == v.generation && f.job_seed == v.job_seed;
    });
    if (it != e.in_flight.end()) e.in_flight.erase(it);
  }
  e.candidates.clear();
  if (durable) {
    e.durable = v;
    e.volatile_values.clear();  // stays listed in dirty_ until the next flush drops it
  } else {
    e.volatile_values.push_back(v);
    if (!e.dirty) {
      e.dirty = true;
      dirty_.push_back(lba);
    }
  }
}

void DataOracle::CompleteRange(uint64_t lba, uint32_t nlb, Value v, bool durable) {
  v.seq = ++ack_seq_;  // one acknowledgement for the whole range
  for (uint32_t i = 0; i < nlb; ++i) Complete(lba + i, v, durable);
}

DataOracle::Value DataOracle::Stamped(Value::Kind kind, const WriteStamp& stamp) {
  return {.kind = kind, .generation = stamp.generation, .job_seed = stamp.job_seed};
}

void DataOracle::WriteCompleted(uint64_t lba, uint32_t nlb, const WriteStamp& stamp, bool durable) {
  CompleteRange(lba, nlb, Stamped(Value::Kind::kData, stamp), durable);
}

void DataOracle::AppendCompleted(uint64_t assigned_lba, uint32_t nlb, uint64_t stamped_lba,
                                 const WriteStamp& stamp, bool durable) {
  Value v = Stamped(Value::Kind::kData, stamp);
  v.lba_delta = assigned_lba - stamped_lba;
  CompleteRange(assigned_lba, nlb, v, durable);
}

void DataOracle::WriteFailed(uint64_t lba, uint32_t nlb, const WriteStamp& stamp) {
  // A failed write may have changed the media: nothing is certain, durable or not.
  CompleteRange(lba, nlb, Stamped(Value::Kind::kIndeterminate, stamp), true);
}

void DataOracle::TrimCompleted(uint64_t lba, uint32_t nlb, bool durable) {
  CompleteRange(lba, nlb, {.kind = Value::Kind::kDeallocated}, durable);
}

void DataOracle::TrimFailed(uint64_t lba, uint32_t nlb) {
  CompleteRange(lba, nlb, {.kind = Value::Kind::kIndeterminate}, true);
}

void DataOracle::FlushCompleted(uint64_t token) {
  // Each listed LBA is handled on its own: the list order does not change the outcome.
  size_t keep = 0;
  for (uint64_t lba : dirty_) {
    Entry& e = entries_[lba];
    auto last = std::find_if(e.volatile_values.rbegin(), e.volatile_values.rend(),
                             [&](const Value& v) { return v.seq <= token; });
    if (last != e.volatile_values.rend()) {
      e.durable = *last;
      e.volatile_values.erase(e.volatile_values.begin(), last.base());
    }
    if (e.volatile_values.empty()) {
      e.dirty = false;
    } else {
      dirty_[keep++] = lba;
    }
  }
  dirty_.resize(keep);
}

void DataOracle::PowerLoss() {
  // Every entry is transformed on its own: the visiting order does not matter.
  for (auto& [lba, e] : entries_) {
    if (e.volatile_values.empty() && e.in_flight.empty()) continue;
    if (e.candidates.empty()) e.candidates.push_back(e.durable);
    for (const Value& v : e.volatile_values) e.candidates.push_back(v);
    for (const Value& v : e.in_flight) e.candidates.push_back(v);
    e.volatile_values.clear();
    e.in_flight.clear();
  }
  for (uint64_t lba : dirty_) entries_[lba].dirty = false;
  dirty_.clear();
}

bool DataOracle::Matches(const uint8_t* block, uint64_t lba, const Value& v) const {
  switch (v.kind) {
    case Value::Kind::kUnwritten:
    case Value::Kind::kIndeterminate:
      return true;
    case Value::Kind::kData:
      return !CheckBlock(block, lba_size_, lba,
                         BlockStamp{lba - v.lba_delta, v.generation, v.job_seed});
    case Value::Kind::kDeallocated: {
      if (deallocated_ == DeallocatedReads::kUnspecified) return true;
      bool zeroes = std::all_of(block, block + lba_size_, [](uint8_t b) { return b == 0; });
      bool ones = std::all_of(block, block + lba_size_, [](uint8_t b) { return b == 0xFF; });
      if (deallocated_ == DeallocatedReads::kZeroes) return zeroes;
      if (deallocated_ == DeallocatedReads::kOnes) return ones;
      return zeroes || ones;
    }
  }
  return false;
}

std::optional<StampMismatch> DataOracle::VerifyRead(std::span<const uint8_t> buffer, uint64_t lba,
                                                    uint32_t nlb) {
  for (uint32_t i = 0; i < nlb; ++i) {
    uint64_t block_lba = lba + i;
    auto found = entries_.find(block_lba);
    if (found == entries_.end()) continue;  // never written: anything goes
    Entry& e = found->second;
    const uint8_t* block = buffer.data() + static_cast<size_t>(i) * lba_size_;
    const Value* latest = nullptr;
    bool ok = false;
    if (!e.candidates.empty()) {
      // Data candidates first, so a match pins the surviving write.
      for (const Value& v : e.candidates) {
        if (v.kind == Value::Kind::kData && Matches(block, block_lba, v)) {
          Value pinned = v;
          e.candidates.clear();
          e.durable = pinned;
          ok = true;
          break;
        }
      }
      if (!ok) {
        for (const Value& v : e.candidates) {
          if (v.kind != Value::Kind::kData && Matches(block, block_lba, v)) ok = true;
        }
      }
      if (!ok) latest = &e.candidates.back();
    } else {
      latest = e.volatile_values.empty() ? &e.durable : &e.volatile_values.back();
      ok = Matches(block, block_lba, *latest);
    }
    for (const Value& v : e.in_flight) ok = ok || Matches(block, block_lba, v);
    if (ok) continue;
    StampMismatch m;
    m.lba = block_lba;
    m.block_index = i;
    m.expected = BlockStamp{block_lba - latest->lba_delta, latest->generation, latest->job_seed};
    if (latest->kind == Value::Kind::kDeallocated) {
      m.expected = BlockStamp{};
      DecodedBlock d = DecodeBlock(block, lba_size_);
      m.found = d.stamp;
      m.reason = MismatchReason::kNotDeallocated;
      return m;
    }
    std::optional<StampMismatch> c = CheckBlock(block, lba_size_, block_lba, m.expected);
    if (c) {
      c->block_index = i;
      return c;
    }
    return m;  // unreachable: a data value that matched would have passed
  }
  return std::nullopt;
}

LbaState DataOracle::StateOf(uint64_t lba) const {
  auto it = entries_.find(lba);
  if (it == entries_.end()) return LbaState::kUnwritten;
  const Entry& e = it->second;
  if (!e.candidates.empty()) return LbaState::kUncertain;
  if (!e.in_flight.empty()) return LbaState::kInFlight;
  const Value& latest = e.volatile_values.empty() ? e.durable : e.volatile_values.back();
  switch (latest.kind) {
    case Value::Kind::kUnwritten:
      return LbaState::kUnwritten;
    case Value::Kind::kDeallocated:
      return LbaState::kDeallocated;
    case Value::Kind::kIndeterminate:
      return LbaState::kIndeterminate;
    case Value::Kind::kData:
      return e.volatile_values.empty() ? LbaState::kDurable : LbaState::kAcknowledged;
  }
  return LbaState::kUnwritten;
}

std::optional<BlockStamp> DataOracle::Expected(uint64_t lba) const {
  auto it = entries_.find(lba);
  if (it == entries_.end()) return std::nullopt;
  const Entry& e = it->second;
  const Value& latest = e.volatile_values.empty() ? e.durable : e.volatile_values.back();
  if (!e.candidates.empty() || latest.kind != Value::Kind::kData) return std::nullopt;
  return BlockStamp{lba - latest.lba_delta, latest.generation, latest.job_seed};
}

}  // namespace nvmesim::harness
