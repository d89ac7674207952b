#pragma once
// Action sequences on disk, as the reference's example CLI reads and writes them: a JSON array
// of T rows of D numbers ([T, D]) or that array wrapped once more ([1, T, D]). Files are checked
// whole before any weight is read, so a bad file costs nothing.
//
// Shape legend: actions_TD float32 [T, D].

#include "core/errors.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace cosmos3::pipeline {

// An action file that cannot be used; the message names the file and the problem.
class ActionFileError : public UserError {
 public:
  using UserError::UserError;
};

// The file's actions [T, D]; throws ActionFileError when it cannot be read, is not JSON, is
// empty, has another rank, ragged rows, a non-number, NaN or infinity, or D != `raw_width`
// (the domain `domain_name`'s width).
at::Tensor read_action_file(const std::filesystem::path& path, int64_t raw_width,
                            const std::string& domain_name);

// The same checks on JSON text; `source` names it in messages.
at::Tensor parse_actions(const std::string& json_text, int64_t raw_width,
                         const std::string& domain_name, const std::string& source);

// Writes `actions_TD` as a [T, D] JSON array; throws MediaError when the file cannot be written.
void write_action_file(const std::filesystem::path& path, const at::Tensor& actions_TD);

}  // namespace cosmos3::pipeline
