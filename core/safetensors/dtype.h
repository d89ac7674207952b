#pragma once
// The safetensors dtype names ("BF16", "F32", ...) and their libtorch scalar types.

#include <c10/core/ScalarType.h>

#include <optional>
#include <string>
#include <string_view>

namespace cosmos3::safetensors {

// nullopt for names the format defines but libtorch cannot hold, and for unknown names.
std::optional<c10::ScalarType> scalar_type_from_name(std::string_view dtype_name);

// Throws std::invalid_argument for scalar types the format has no name for (complex, quantized).
std::string name_from_scalar_type(c10::ScalarType scalar_type);

// Every name scalar_type_from_name accepts, for error messages.
std::string supported_dtype_names();

}  // namespace cosmos3::safetensors
