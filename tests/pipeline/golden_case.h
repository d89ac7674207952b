#pragma once
// A golden case written by one of the reference generator scripts (tools/make_*_golden.py): one
// safetensors file whose tensors are the reference's inputs and outputs and whose metadata
// "case" holds the request's flags as JSON.

#include "core/model/transformer_io.h"
#include "core/safetensors/safetensors_file.h"

#include <ATen/core/Tensor.h>

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace cosmos3::test {

struct GoldenCase {
  nlohmann::json flags;
  std::map<std::string, at::Tensor> tensors;
};

inline GoldenCase load_golden_case(const std::string& path) {
  const safetensors::SafetensorsFile file(path);
  return {nlohmann::json::parse(file.metadata().at("case")), model::load_named_tensors(path)};
}

}  // namespace cosmos3::test
