#include "parallel/engine/sequence_split.h"

#include "parallel/comm/parallel_error.h"

#include <c10/util/Exception.h>

#include <string>

namespace cosmos3::parallel {

SequenceSplit split_sequence(int64_t num_tokens, int64_t num_ranks) {
  if (num_tokens < num_ranks) {
    throw LayoutError("context parallelism over " + std::to_string(num_ranks) +
                      " ranks needs at least one generation token per rank, but this request has " +
                      std::to_string(num_tokens) + ": lower cp to at most " +
                      std::to_string(num_tokens));
  }
  SequenceSplit split;
  int64_t offset = 0;
  for (int64_t rank = 0; rank < num_ranks; ++rank) {
    const int64_t length = num_tokens / num_ranks + (rank < num_tokens % num_ranks ? 1 : 0);
    split.lengths.push_back(length);
    split.offsets.push_back(offset);
    offset += length;
  }
  return split;
}

SequenceSplit merge_groups(const SequenceSplit& split, int64_t group_size) {
  TORCH_CHECK(split.num_ranks() % group_size == 0, "group size must divide the rank count");
  SequenceSplit merged;
  for (int64_t first = 0; first < split.num_ranks(); first += group_size) {
    int64_t length = 0;
    for (int64_t rank = first; rank < first + group_size; ++rank) {
      length += split.lengths[rank];
    }
    merged.lengths.push_back(length);
    merged.offsets.push_back(split.offsets[first]);
  }
  return merged;
}

}  // namespace cosmos3::parallel
