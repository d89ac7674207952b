#pragma once
// The tensors tools/safetensors_fixtures.py writes, rebuilt with the same formulas so the
// reader is checked against values the reference library serialized.

#include <ATen/TensorOperators.h>
#include <ATen/core/Tensor.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/remainder.h>
#include <ATen/ops/scalar_tensor.h>
#include <ATen/ops/zeros.h>

#include <map>
#include <string>

namespace cosmos3::test {

inline std::string fixture_dir() { return std::string(COSMOS3_TEST_DATA_DIR) + "/safetensors"; }

inline at::Tensor arange_of(int64_t count, c10::ScalarType dtype = at::kFloat) {
  return at::arange(count, at::TensorOptions().dtype(dtype));
}

inline std::map<std::string, at::Tensor> expected_dtype_tensors() {
  return {
      {"f32_matrix", arange_of(15).reshape({3, 5}) * 0.25 - 1},
      {"bf16_block", (arange_of(24).reshape({2, 3, 4}) / 7).to(at::kBFloat16)},
      {"f16_vector", (arange_of(10) / 3 - 1).to(at::kHalf)},
      {"f64_column", arange_of(4, at::kDouble).reshape({4, 1}) / 9},
      {"i64_ids", arange_of(6, at::kLong) * 1000 - 2500},
      {"i32_row", arange_of(7, at::kInt) - 3},
      {"u8_bytes", arange_of(9, at::kByte).reshape({3, 3})},
      {"bool_mask", at::remainder(arange_of(5, at::kLong), 2) == 0},
      {"f32_scalar", at::scalar_tensor(3.5, at::TensorOptions().dtype(at::kFloat))},
      {"f32_empty", at::zeros({0, 4}, at::TensorOptions().dtype(at::kFloat))},
  };
}

inline const std::map<std::string, std::string>& expected_metadata() {
  static const std::map<std::string, std::string> metadata{{"format", "pt"},
                                                           {"origin", "cosmos3-test"}};
  return metadata;
}

}  // namespace cosmos3::test
