#include "core/safetensors/dtype.h"

#include <array>
#include <stdexcept>
#include <utility>

namespace cosmos3::safetensors {
namespace {

constexpr std::array<std::pair<std::string_view, c10::ScalarType>, 15> kDtypeNames{{
    {"BOOL", c10::ScalarType::Bool},
    {"U8", c10::ScalarType::Byte},
    {"I8", c10::ScalarType::Char},
    {"I16", c10::ScalarType::Short},
    {"U16", c10::ScalarType::UInt16},
    {"I32", c10::ScalarType::Int},
    {"U32", c10::ScalarType::UInt32},
    {"I64", c10::ScalarType::Long},
    {"U64", c10::ScalarType::UInt64},
    {"F16", c10::ScalarType::Half},
    {"BF16", c10::ScalarType::BFloat16},
    {"F32", c10::ScalarType::Float},
    {"F64", c10::ScalarType::Double},
    {"F8_E4M3", c10::ScalarType::Float8_e4m3fn},
    {"F8_E5M2", c10::ScalarType::Float8_e5m2},
}};

}  // namespace

std::optional<c10::ScalarType> scalar_type_from_name(std::string_view dtype_name) {
  for (const auto& [name, scalar_type] : kDtypeNames) {
    if (name == dtype_name) {
      return scalar_type;
    }
  }
  return std::nullopt;
}

std::string name_from_scalar_type(c10::ScalarType scalar_type) {
  for (const auto& [name, known_type] : kDtypeNames) {
    if (known_type == scalar_type) {
      return std::string(name);
    }
  }
  throw std::invalid_argument(std::string("safetensors cannot store dtype ") +
                              c10::toString(scalar_type));
}

std::string supported_dtype_names() {
  std::string names;
  for (const auto& entry : kDtypeNames) {
    names += names.empty() ? "" : ", ";
    names += entry.first;
  }
  return names;
}

}  // namespace cosmos3::safetensors
