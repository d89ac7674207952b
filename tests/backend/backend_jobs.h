#pragma once
// The jobs the backend suites run on the tiny checkpoint, and the same job through
// cosmos3-generate for comparison.

#include "backend_test_support.h"
#include "core/safetensors/safetensors_file.h"

#include <ATen/ops/equal.h>

namespace cosmos3::test {

inline nlohmann::json tiny_job(const std::filesystem::path& output_dir, int64_t steps = 3,
                               uint64_t seed = 7) {
  return {{"prompt", "A red ball rolls across a wooden table"},
          {"negative_prompt", "blurry"},
          {"num_frames", 5},
          {"height", 128},
          {"width", 192},
          {"steps", steps},
          {"seed", seed},
          {"output_dir", output_dir.string()},
          {"output_latents", (output_dir / "latents.safetensors").string()}};
}

// The same request as tiny_job through the CLI, with `layout_flags` (e.g. {"--cp", "2"}).
inline std::filesystem::path generate_with_cli(const std::filesystem::path& model_dir,
                                               const std::filesystem::path& output_dir,
                                               const QStringList& layout_flags, int64_t steps = 3,
                                               uint64_t seed = 7) {
  const std::filesystem::path latents = output_dir / "latents.safetensors";
  QStringList arguments{"--model",
                        QString::fromStdString(model_dir.string()),
                        "--prompt",
                        "A red ball rolls across a wooden table",
                        "--negative-prompt",
                        "blurry",
                        "--num-frames",
                        "5",
                        "--height",
                        "128",
                        "--width",
                        "192",
                        "--steps",
                        QString::number(steps),
                        "--seed",
                        QString::number(seed),
                        "--output-dir",
                        QString::fromStdString(output_dir.string()),
                        "--output-latents",
                        QString::fromStdString(latents.string())};
  arguments += layout_flags;
  run_program(COSMOS3_GENERATE_PROGRAM, arguments);
  return latents;
}

inline at::Tensor read_latents(const std::filesystem::path& file) {
  return safetensors::SafetensorsFile(file).load("latents");
}

inline void make_tiny_checkpoint(const std::filesystem::path& dir) {
  run_program(COSMOS3_TOOL_PROGRAM, {"make-tiny-checkpoint", QString::fromStdString(dir.string())});
}

inline backend::GroupConfig tiny_group(const std::filesystem::path& model_dir,
                                       const std::filesystem::path& run_dir, int cfg = 1,
                                       int tp = 1, int cp = 1) {
  backend::GroupConfig config;
  config.worker_program = COSMOS3_WORKER_PROGRAM;
  config.model_dir = model_dir;
  config.cfg = cfg;
  config.tp = tp;
  config.cp = cp;
  // A short path: Unix socket paths are limited to 107 bytes.
  config.socket_path = run_dir / "g.sock";
  config.run_dir = run_dir;
  config.environment = {"OMP_NUM_THREADS=1"};
  return config;
}

}  // namespace cosmos3::test
