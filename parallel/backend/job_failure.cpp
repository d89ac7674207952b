#include "parallel/backend/job_failure.h"

#include "core/errors.h"
#include "core/pipeline/generation_request.h"
#include "parallel/backend/generation_engine.h"
#include "parallel/backend/protocol.h"
#include "parallel/comm/parallel_error.h"

#include <c10/util/Exception.h>

#include <iostream>
#include <new>

namespace cosmos3::backend {
namespace {

bool mentions_out_of_memory(const std::string& message) {
  for (const char* phrase : {"out of memory", "not enough memory", "can't allocate memory",
                             "Cannot allocate memory", "std::bad_alloc"}) {
    if (message.find(phrase) != std::string::npos) return true;
  }
  return false;
}

// The sizes that drive memory, and a layout with more context parallelism to split them.
JobFailure out_of_memory(const FailureContext& context, const std::string& detail) {
  std::string sizes = "the model's weights";
  std::string suggestion =
      "use a layout that splits the weights further (a larger --tp), or a smaller checkpoint";
  if (context.job != nullptr && context.phase != "loading") {
    const pipeline::GenerationRequest& request = context.job->request;
    sizes = std::to_string(request.width) + "x" + std::to_string(request.height) + ", " +
            std::to_string(request.num_frames) + " frames";
    const int half_height = std::max(16, (request.height / 2) / 16 * 16);
    const int half_width = std::max(16, (request.width / 2) / 16 * 16);
    suggestion = "try " + std::to_string(half_width) + "x" + std::to_string(half_height) +
                 " (a quarter of the tokens), fewer frames, or a layout with " +
                 std::to_string(context.degrees.cp * 2) +
                 "-way context parallelism (--cp) to split the tokens over more GPUs";
  }
  return {failure_class::kOutOfMemory,
          "out of memory on rank " + std::to_string(context.rank) + " while " + context.phase +
              " (" + sizes + "): " + detail,
          suggestion};
}

}  // namespace

nlohmann::json JobFailure::to_json() const {
  return {{"class", failure_class}, {"message", message}, {"suggestion", suggestion}};
}

JobFailure classify_current_exception(const FailureContext& context) {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return out_of_memory(context, "an allocation failed");
  } catch (const c10::OutOfMemoryError& error) {
    return out_of_memory(context, error.what_without_backtrace());
  } catch (const app::UsageError& error) {
    return {failure_class::kInvalidRequest, error.what(), "correct the field the message names"};
  } catch (const pipeline::RequestError& error) {
    return {failure_class::kInvalidRequest, error.what(), "correct the field the message names"};
  } catch (const CheckpointError& error) {
    return {failure_class::kCheckpoint, error.what(),
            "re-download or verify the checkpoint folder's files"};
  } catch (const ConfigError& error) {
    return {failure_class::kCheckpoint, error.what(),
            "check that the model folder is a complete Cosmos3 diffusers folder"};
  } catch (const MediaError& error) {
    return {failure_class::kMedia, error.what(),
            "convert the input to an MP4 (H.264), PNG or JPEG file that plays elsewhere"};
  } catch (const parallel::CommunicationError& error) {
    return {failure_class::kRankDied,
            "rank " + std::to_string(context.rank) + " lost a peer while " + context.phase + ": " +
                error.what(),
            "the group restarts by itself; retry the job"};
  } catch (const Fp8WeightsDoNotFit& error) {
    return {failure_class::kOutOfMemory,
            "out of memory on rank " + std::to_string(context.rank) +
                " while preparing FP8 weights: " + error.what(),
            "use --precision bf16 (the studio's Precision setting), or a layout with a larger "
            "--tp, which splits the FP8 copies with the weights"};
  } catch (const JobAbandoned& error) {
    return {failure_class::kOutput, error.what(),
            "choose an output folder on a disk with free space that you can write to"};
  } catch (const UserError& error) {
    const std::string message = error.what();
    if (message.find("output folder") != std::string::npos ||
        message.find("cannot write") != std::string::npos ||
        message.find("cannot move") != std::string::npos) {
      return {failure_class::kOutput, message,
              "choose an output folder on a disk with free space that you can write to"};
    }
    return {failure_class::kInvalidRequest, message, "correct the input the message names"};
  } catch (const c10::Error& error) {
    const std::string message = error.what_without_backtrace();
    if (mentions_out_of_memory(message)) return out_of_memory(context, message);
    return {failure_class::kInternal, "internal error while " + context.phase + ": " + message,
            "report this with the group's logs"};
  } catch (const std::exception& error) {
    if (mentions_out_of_memory(error.what())) return out_of_memory(context, error.what());
    return {failure_class::kInternal, "internal error while " + context.phase + ": " + error.what(),
            "report this with the group's logs"};
  }
}

void log_failure_record(const JobFailure& failure, int rank) {
  nlohmann::json record = failure.to_json();
  record["rank"] = rank;
  std::cerr << kFailureRecordMarker << record.dump() << std::endl;
}

}  // namespace cosmos3::backend
