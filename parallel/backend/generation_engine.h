#pragma once
// One rank's resident generation engine: joins its layout once, loads the transformer, the
// tokenizer and the VAE once, then runs job after job (cosmos3-generate runs one; the worker
// group runs many). Every rank of a layout runs the same jobs in the same order; the rank that
// writes outputs also decodes, previews and writes.

#include "core/model/transformer.h"
#include "core/pipeline/denoise_loop.h"
#include "core/pipeline/pipeline_folder.h"
#include "core/pipeline/prompt_tokens.h"
#include "core/sound/sound_decoder.h"
#include "core/vae/wan_vae.h"
#include "parallel/backend/generate_options.h"
#include "parallel/backend/job_inputs.h"
#include "parallel/backend/job_staging.h"
#include "parallel/engine/cfg_parallel.h"
#include "parallel/engine/rank_session.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cosmos3::backend {

// A job every rank of the layout gave up on together (the writing rank found the output folder
// unusable before anything ran), so no rank waits for another: the group can take the next job.
class JobAbandoned : public UserError {
 public:
  using UserError::UserError;
};

// A job every rank gave up on together because a rank's FP8 weight copies did not fit its GPU:
// the group stays resident with its bf16 weights, and bf16 jobs run as before.
class Fp8WeightsDoNotFit : public JobAbandoned {
 public:
  using JobAbandoned::JobAbandoned;
};

// What a group is started with; changing any of it means a new engine.
struct EngineSettings {
  std::filesystem::path model_dir;
  c10::Device device = c10::Device(c10::kCPU);
  c10::ScalarType dtype = c10::kFloat;
  parallel::ParallelDegrees degrees;
  // Decode and encode split by rows across every rank of the layout (parallel/vae); off, the
  // writing rank decodes alone and every rank encodes whole frames.
  bool split_vae = true;
};

// Bytes of weights read so far of all the engine loads, per component as it finishes.
using LoadProgress =
    std::function<void(const std::string& component, int64_t bytes_read, int64_t bytes_total)>;

using PredictionCallback = decltype(pipeline::DenoiseCallbacks::on_prediction);

// What a running job tells its caller; every member is optional.
struct JobHooks {
  // "encoding_conditioning", "encoding_prompt", "denoising", "decoding", "writing".
  std::function<void(const std::string& phase)> on_phase;
  std::function<void(int64_t step, int64_t num_steps)> on_step;
  // This rank's wish to stop; the engine makes every rank agree before acting on it.
  std::function<bool()> cancel_requested;
  // Every `preview_interval` steps (0: never) the writing rank decodes one frame of the
  // clean-latent estimate into `preview_dir` and reports it.
  int64_t preview_interval = 0;
  std::filesystem::path preview_dir;
  std::function<void(int64_t step, const std::filesystem::path& image)> on_preview;
};

struct JobOutcome {
  bool canceled = false;
  int64_t num_steps_done = 0;
  std::vector<std::filesystem::path> outputs;  // final paths, written by this rank
  nlohmann::json metadata;                     // generation.json's contents
  nlohmann::json seconds;                      // per phase
  std::vector<int64_t> peak_memory_bytes;      // per rank of the layout, during denoising
};

class GenerationEngine {
 public:
  // Throws LayoutError, ConfigError or CheckpointError naming the problem.
  GenerationEngine(const EngineSettings& settings, const LoadProgress& progress = {});

  const EngineSettings& settings() const { return settings_; }
  const pipeline::PipelineFolder& folder() const { return folder_; }
  bool writes_outputs() const { return session_.mesh.writes_outputs(); }
  std::string describe() const { return session_.describe(); }
  double load_seconds() const { return load_seconds_; }
  parallel::RankSession& session() { return session_; }
  // True while the last job's decode ran (or runs) split across the ranks, so that a rank
  // failing in it leaves the others waiting in a collective.
  bool decoding_split() const { return decoding_split_; }

  // Rank 0's seed on every rank.
  uint64_t agree_on_seed(uint64_t seed);
  // True on every rank once any rank asked to stop.
  bool agree_on_cancel(bool cancel_requested);

  // Runs one job whose request was already resolved against this folder on every rank. Outputs
  // appear in the job's output folder only whole: nothing is left there when the job is
  // canceled or fails. Throws UserError subclasses for bad inputs and outputs. A caller that
  // already read the job's input files (to check them early, read_job_inputs) passes them in,
  // so no file is decoded twice.
  JobOutcome run(const app::GenerateOptions& job, const JobHooks& hooks, JobInputs inputs = {});

 private:
  // Opens the writing rank's staging folder for `output_dir` into `staging` (which stays empty on
  // the other ranks) before anything runs. Every rank learns when it cannot be opened and throws
  // JobAbandoned, so none goes on into a collective alone. (JobStaging cannot move: it owns a
  // folder, so the caller holds it.)
  void open_staging_on_every_rank(const std::filesystem::path& output_dir,
                                  std::optional<JobStaging>& staging);
  // The FP8 weight copies on every rank, or on none: a rank whose copies do not fit drops
  // them, every rank learns it and throws Fp8WeightsDoNotFit, so none waits for another.
  void prepare_fp8_on_every_rank();
  // The waveform [C, N] (float32, CPU) of the generation's sound latents.
  at::Tensor decode_sound(const at::Tensor& sound_latents_CT);
  // This rank's peak memory since the denoising began, gathered from every rank.
  std::vector<int64_t> gather_peak_memory();
  // The loop callbacks every kind of job shares: when the loop starts, the prompt's seconds
  // (since `job_start`), `denoise_start` and the "denoising" phase; the ranks' agreed cancel;
  // step reports. `outcome` and `denoise_start` must outlive the loop.
  pipeline::DenoiseCallbacks job_denoise_callbacks(
      const JobHooks& hooks, JobOutcome& outcome, std::chrono::steady_clock::time_point job_start,
      std::chrono::steady_clock::time_point& denoise_start);
  // The loop's on_prediction writing a live preview every `hooks.preview_interval` steps before
  // the last of `num_steps` (which is decoded anyway), adding its time to `seconds`; empty when
  // the job asks for none or this rank does not write. `hooks` and `seconds` must outlive it.
  PredictionCallback live_preview_callback(const JobHooks& hooks, int64_t num_steps,
                                           double& seconds);
  // run() for an action job (policy, forward or inverse dynamics): action_job.cpp.
  JobOutcome run_action(const app::GenerateOptions& job, const JobHooks& hooks,
                        std::optional<at::Tensor> frames);
  // run() for a transfer job (--control): transfer_job.cpp.
  JobOutcome run_transfer(const app::GenerateOptions& job, const JobHooks& hooks,
                          std::optional<TransferVideos> videos);

  EngineSettings settings_;
  pipeline::PipelineFolder folder_;
  parallel::RankSession session_;
  parallel::ParallelGuidance guidance_;
  std::optional<pipeline::PromptTokenizer> tokenizer_;
  std::optional<model::Transformer> transformer_;
  std::optional<vae::WanVae> vae_;
  // Loaded by the writing rank at its first job with sound: silent jobs never pay for it.
  std::optional<sound::SoundDecoder> sound_decoder_;
  double load_seconds_ = 0;
  bool decoding_split_ = false;
};

// The input files of `job`, read (and so checked) before anything runs; empty for
// text-to-image/video. Throws RequestError or MediaError naming the input.
JobInputs read_job_inputs(const app::GenerateOptions& job, const pipeline::PipelineFolder& folder);

}  // namespace cosmos3::backend
