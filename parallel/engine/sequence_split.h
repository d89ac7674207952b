#pragma once
// Contiguous, possibly uneven slices of a sequence over context-parallel ranks: no padding, so
// no masks. Rank r holds rows [offsets[r], offsets[r] + lengths[r]).

#include <cstdint>
#include <vector>

namespace cosmos3::parallel {

struct SequenceSplit {
  std::vector<int64_t> lengths;
  std::vector<int64_t> offsets;

  int64_t total() const { return offsets.back() + lengths.back(); }
  int64_t num_ranks() const { return static_cast<int64_t>(lengths.size()); }
};

// Splits `num_tokens` over `num_ranks`; the first num_tokens % num_ranks ranks get one row more.
// Throws LayoutError when some rank would get no rows.
SequenceSplit split_sequence(int64_t num_tokens, int64_t num_ranks);

// The slices of ranks [first, first + count) merged into one (a Ulysses group's whole block).
SequenceSplit merge_groups(const SequenceSplit& split, int64_t group_size);

}  // namespace cosmos3::parallel
