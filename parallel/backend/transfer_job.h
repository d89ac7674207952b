#pragma once
// The checks of a transfer job made before any weight is read (cosmos3-generate and the worker
// both call them): the request with the first hint's preset filling what the job leaves out,
// and every control video read and checked (readable, one size, the output's aspect, long
// enough), as is the input video the first chunk starts from. GenerationEngine::run_transfer
// (transfer_job.cpp) runs it.

#include "core/pipeline/pipeline_folder.h"
#include "core/pipeline/transfer_chunks.h"
#include "core/pipeline/transfer_controls.h"
#include "core/pipeline/transfer_request.h"
#include "parallel/backend/generate_options.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cosmos3::backend {

// A transfer job's videos as decoded from its files (controls made from --control-source
// included): the costly part of its checks, read once and handed on to the run.
struct TransferVideos {
  std::vector<pipeline::ControlFrames> controls;
  at::Tensor seed_video_THW3;  // --video-path's frames; undefined without one
  // hint name -> digest of the file its frames came from (a made control's: its source's),
  // taken when the files were read, so the seal names what ran even if a file changes later;
  // "video": the seed video's (--video-path).
  std::map<std::string, std::string> control_digests;
};

struct TransferJob {
  pipeline::TransferRequest request;
  TransferVideos videos;
  pipeline::TransferChunkPlan plan;
};

// The request of a transfer job: its flags, else the first hint's preset, else the reference's
// defaults. Throws RequestError naming a broken rule.
pipeline::TransferRequest transfer_request_of(const app::GenerateOptions& job,
                                              const pipeline::PipelineFolder& folder);

// Throws RequestError or MediaError naming the control's hint and file. `decoded`: the videos
// an earlier call decoded for this job, checked again (cheaply) instead of read again.
TransferJob prepare_transfer_job(const app::GenerateOptions& job,
                                 const pipeline::PipelineFolder& folder,
                                 std::optional<TransferVideos> decoded = std::nullopt);

}  // namespace cosmos3::backend
