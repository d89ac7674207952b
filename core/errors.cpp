#include "core/errors.h"

namespace cosmos3 {
namespace {

std::string describe_checkpoint_problem(const std::string& file, const std::string& tensor,
                                        const std::string& problem) {
  std::string message = file;
  if (!tensor.empty()) {
    message += ": tensor '" + tensor + "'";
  }
  return message + ": " + problem;
}

}  // namespace

CheckpointError::CheckpointError(const std::string& file, const std::string& tensor,
                                 const std::string& problem)
    : UserError(describe_checkpoint_problem(file, tensor, problem)), file_(file), tensor_(tensor) {}

}  // namespace cosmos3
