#pragma once
// What the VAE suites share: the golden folder tools/make_vae_golden.py writes, its cases, and
// error measures.

#include "core/safetensors/checkpoint.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/max.h>
#include <ATen/ops/norm.h>

#include <string>

namespace cosmos3::test {

inline std::string vae_golden_dir() { return std::string(COSMOS3_TEST_DATA_DIR) + "/vae"; }

// One tensor of a golden case: `input`, `fp32` (the reference's output) or `bf16`.
inline at::Tensor vae_case_tensor(const std::string& case_name, const std::string& tensor) {
  const safetensors::Checkpoint file(vae_golden_dir() + "/" + case_name + ".safetensors");
  return file.load(tensor);
}

inline double max_abs(const at::Tensor& tensor) {
  return at::abs(tensor.to(at::kFloat)).max().item<double>();
}

inline double max_abs_difference(const at::Tensor& actual, const at::Tensor& expected) {
  return max_abs(actual.to(at::kFloat) - expected.to(at::kFloat));
}

inline double relative_error(const at::Tensor& actual, const at::Tensor& expected) {
  const at::Tensor reference = expected.to(at::kFloat);
  return (actual.to(at::kFloat) - reference).norm().item<double>() /
         reference.norm().item<double>();
}

}  // namespace cosmos3::test
