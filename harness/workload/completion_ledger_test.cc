#include "harness/workload/completion_ledger.h"

#include <gtest/gtest.h>

namespace nvmesim::harness {
namespace {

TEST(CompletionLedger, ExactlyOnceDuplicatesAndStrangers) {
  CompletionLedger l;
  uint64_t a = l.Submit(0, IoOp::kRead, 100, 8, 1000);
  uint64_t b = l.Submit(0, IoOp::kWrite, 200, 8, 1100);
  uint64_t c = l.Submit(1, IoOp::kRead, 300, 1, 1200);
  EXPECT_EQ(a, 0u);
  EXPECT_EQ(c, 2u);
  EXPECT_EQ(l.Complete(a, spec::Status(), 5000), CompletionCheck::kFirst);
  EXPECT_EQ(l.Complete(a, spec::Status(), 6000), CompletionCheck::kDuplicate);
  EXPECT_EQ(l.Complete(99, spec::Status(), 6000), CompletionCheck::kUnknown);
  EXPECT_EQ(l.Complete(b, spec::MediaStatus::kWriteFault, 7000), CompletionCheck::kFirst);
  EXPECT_EQ(l.submitted(), 3u);
  EXPECT_EQ(l.completed(), 2u);
  EXPECT_EQ(l.outstanding(), 1u);
  EXPECT_EQ(l.duplicate_completions(), 1u);
  EXPECT_EQ(l.unknown_completions(), 1u);
  EXPECT_EQ(l.Find(a)->complete_ps, 5000u);  // the first completion counts
  EXPECT_EQ(l.Find(a)->completions, 2u);
}

TEST(CompletionLedger, StatusesByJobAndRange) {
  CompletionLedger l;
  const spec::Status ure = spec::MediaStatus::kUnrecoveredReadError;
  l.Complete(l.Submit(0, IoOp::kRead, 1000, 8, 1), ure, 2);  // 1000..1007: in range
  l.Complete(l.Submit(0, IoOp::kRead, 1010, 8, 1), ure, 2);  // 1010..1017: in range
  l.Complete(l.Submit(1, IoOp::kRead, 996, 4, 1), ure, 2);   // 996..999: just outside
  l.Complete(l.Submit(1, IoOp::kRead, 1000, 8, 1), spec::Status(), 2);
  CompletionLedger::Range range{1004, 8};  // 1004..1011
  EXPECT_EQ(l.CountStatus(ure), 3u);
  EXPECT_EQ(l.CountStatus(ure, 0u), 2u);
  EXPECT_EQ(l.CountStatus(ure, std::nullopt, range), 2u);
  EXPECT_EQ(l.CountStatus(ure, std::nullopt, range, /*outside=*/true), 1u);
  EXPECT_EQ(l.CountStatus(ure.WithDnr(), 1u), 1u);  // DNR is not part of the identity
  EXPECT_EQ(l.CountStatus(spec::MediaStatus::kWriteFault), 0u);
}

TEST(CompletionLedger, DrainAndFirstSuccessAfterAFault) {
  CompletionLedger l;
  uint64_t early = l.Submit(0, IoOp::kRead, 0, 1, 100);    // done before the fault
  uint64_t stuck = l.Submit(0, IoOp::kRead, 1, 1, 900);    // in flight at the fault (t=1000)
  uint64_t during = l.Submit(0, IoOp::kRead, 2, 1, 1500);  // submitted before the end (t=2000)
  uint64_t after = l.Submit(0, IoOp::kRead, 3, 1, 2500);
  l.Complete(early, spec::Status(), 500);
  l.Complete(after, spec::Status(), 2600);
  EXPECT_FALSE(l.DrainedAfter(1000, 2000).has_value());  // two still outstanding
  l.Complete(during, spec::Status(), 2100);
  l.Complete(stuck, spec::GenericStatus::kAbortedByRequest, 9000);
  ASSERT_TRUE(l.DrainedAfter(1000, 2000).has_value());
  EXPECT_EQ(*l.DrainedAfter(1000, 2000), 9000u);
  EXPECT_EQ(*l.FirstSuccessAfter(2000), 2100u);
  EXPECT_EQ(*l.FirstSuccessAfter(2100), 2600u);
  EXPECT_FALSE(l.FirstSuccessAfter(2600).has_value());
}

}  // namespace
}  // namespace nvmesim::harness
