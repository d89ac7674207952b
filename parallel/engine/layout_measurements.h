#pragma once
// What layouts measured on this machine: seconds per denoising step and peak memory per rank,
// keyed by the model's shape, the layout, the workload and the device, so a measured value
// replaces the prediction for exactly the case it was measured in. Stored as one JSON file
// (the studio keeps it in its data folder and records every finished job into it).

#include "core/model/transformer_config.h"
#include "parallel/engine/layout_workload.h"
#include "parallel/engine/parallel_layout.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace cosmos3::parallel {

struct LayoutMeasurement {
  std::optional<double> seconds_per_step;
  std::optional<int64_t> peak_bytes;  // the largest over the ranks
};

class LayoutMeasurements {
 public:
  // "h4096 l36 q32 kv8 i12288 | cfg 1 x cp 2 x tp 1 | 44160 tokens BFloat16 | NVIDIA H200";
  // the prompt's length is left out: the generation stream dominates a step. Job kinds other
  // than a guided vision job add theirs: "... | NVIDIA H200 | transfer 1 hint, 3 passes".
  static std::string key(const model::TransformerConfig& config, const ParallelDegrees& degrees,
                         const LayoutWorkload& workload, const std::string& device_name);

  // A missing file is an empty table; a broken one throws ConfigError naming it.
  static LayoutMeasurements load(const std::filesystem::path& file);
  // Written whole to a temporary file, then renamed over `file`.
  void save(const std::filesystem::path& file) const;

  std::optional<LayoutMeasurement> find(const std::string& key) const;
  // Newer values replace older ones, field by field.
  void record(const std::string& key, const LayoutMeasurement& measurement);
  std::size_t size() const { return entries_.size(); }

 private:
  std::map<std::string, LayoutMeasurement> entries_;
};

}  // namespace cosmos3::parallel
