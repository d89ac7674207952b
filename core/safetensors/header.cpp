#include "core/safetensors/header.h"

#include "core/errors.h"
#include "core/safetensors/dtype.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <limits>

namespace cosmos3::safetensors {
namespace {

using Json = nlohmann::json;

// The reference implementation refuses larger headers; a bigger value means a corrupt file.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
constexpr std::size_t kLengthPrefixBytes = 8;

std::uint64_t read_length_prefix(const std::byte* file_data) {
  std::uint64_t length = 0;
  for (std::size_t i = 0; i < kLengthPrefixBytes; ++i) {
    length |= static_cast<std::uint64_t>(file_data[i]) << (8 * i);
  }
  return length;
}

std::vector<int64_t> parse_shape(const Json& shape_json, const std::string& file_name,
                                 const std::string& tensor_name) {
  if (!shape_json.is_array()) {
    throw CheckpointError(file_name, tensor_name, "'shape' is not a list of integers");
  }
  std::vector<int64_t> shape;
  for (const Json& dimension : shape_json) {
    if (!dimension.is_number_unsigned() ||
        dimension.get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<int64_t>::max())) {
      throw CheckpointError(file_name, tensor_name,
                            "'shape' holds " + dimension.dump() + ", not a size");
    }
    shape.push_back(dimension.get<int64_t>());
  }
  return shape;
}

TensorEntry parse_entry(const Json& entry_json, const std::string& file_name,
                        const std::string& tensor_name) {
  if (!entry_json.is_object() || !entry_json.contains("dtype") || !entry_json.contains("shape") ||
      !entry_json.contains("data_offsets")) {
    throw CheckpointError(file_name, tensor_name,
                          "header entry needs 'dtype', 'shape' and 'data_offsets'");
  }
  const Json& dtype_json = entry_json["dtype"];
  if (!dtype_json.is_string()) {
    throw CheckpointError(file_name, tensor_name, "'dtype' is not a string");
  }
  const auto dtype_name = dtype_json.get<std::string>();
  const auto dtype = scalar_type_from_name(dtype_name);
  if (!dtype) {
    throw CheckpointError(
        file_name, tensor_name,
        "dtype '" + dtype_name + "' is not supported (supported: " + supported_dtype_names() + ")");
  }
  const Json& offsets_json = entry_json["data_offsets"];
  if (!offsets_json.is_array() || offsets_json.size() != 2 ||
      !offsets_json[0].is_number_unsigned() || !offsets_json[1].is_number_unsigned()) {
    throw CheckpointError(file_name, tensor_name, "'data_offsets' is not a pair of byte offsets");
  }
  TensorEntry entry{*dtype, parse_shape(entry_json["shape"], file_name, tensor_name),
                    offsets_json[0].get<std::uint64_t>(), offsets_json[1].get<std::uint64_t>()};
  if (entry.data_begin > entry.data_end) {
    throw CheckpointError(file_name, tensor_name, "'data_offsets' ends before it begins");
  }
  std::uint64_t expected_bytes = c10::elementSize(entry.dtype);
  for (int64_t dimension : entry.shape) {
    if (__builtin_mul_overflow(expected_bytes, static_cast<std::uint64_t>(dimension),
                               &expected_bytes)) {
      throw CheckpointError(file_name, tensor_name,
                            "shape " + shape_text(entry.shape) + " is too large to address");
    }
  }
  if (entry.data_end - entry.data_begin != expected_bytes) {
    throw CheckpointError(file_name, tensor_name,
                          "shape " + shape_text(entry.shape) + " of " + dtype_name + " needs " +
                              std::to_string(expected_bytes) + " bytes but 'data_offsets' span " +
                              std::to_string(entry.data_end - entry.data_begin));
  }
  return entry;
}

std::map<std::string, std::string> parse_metadata(const Json& metadata_json,
                                                  const std::string& file_name) {
  if (!metadata_json.is_object()) {
    throw CheckpointError(file_name, "", "'__metadata__' is not a map of strings");
  }
  std::map<std::string, std::string> metadata;
  for (const auto& [key, value] : metadata_json.items()) {
    if (!value.is_string()) {
      throw CheckpointError(file_name, "",
                            "'__metadata__' value for '" + key + "' is not a string");
    }
    metadata[key] = value.get<std::string>();
  }
  return metadata;
}

// Tensors must not share bytes and must lie inside the data section; a data section shorter
// than the header says is the signature of a truncated download.
void check_layout(const Header& header, std::uint64_t data_section_bytes,
                  const std::string& file_name) {
  std::vector<std::pair<std::uint64_t, std::string>> begins;
  for (const auto& [name, entry] : header.tensors) {
    if (entry.data_end > data_section_bytes) {
      throw CheckpointError(file_name, name,
                            "needs bytes up to " + std::to_string(entry.data_end) +
                                " of the data section, but the file holds only " +
                                std::to_string(data_section_bytes) +
                                ": the file is truncated; download or copy it again");
    }
    begins.emplace_back(entry.data_begin, name);
  }
  std::sort(begins.begin(), begins.end());
  for (std::size_t i = 1; i < begins.size(); ++i) {
    const TensorEntry& previous = header.tensors.at(begins[i - 1].second);
    if (begins[i].first < previous.data_end) {
      throw CheckpointError(file_name, begins[i].second,
                            "its bytes overlap tensor '" + begins[i - 1].second + "'");
    }
  }
}

}  // namespace

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

int64_t TensorEntry::numel() const {
  int64_t count = 1;
  for (int64_t dimension : shape) {
    count *= dimension;
  }
  return count;
}

Header parse_header(const std::byte* file_data, std::size_t file_size,
                    const std::string& file_name) {
  if (file_size < kLengthPrefixBytes) {
    throw CheckpointError(file_name, "",
                          "is " + std::to_string(file_size) +
                              " bytes, too short for a safetensors header: truncated or not a "
                              "safetensors file");
  }
  const std::uint64_t header_bytes = read_length_prefix(file_data);
  if (header_bytes > kMaxHeaderBytes || header_bytes > file_size - kLengthPrefixBytes) {
    throw CheckpointError(file_name, "",
                          "header length " + std::to_string(header_bytes) + " exceeds the file's " +
                              std::to_string(file_size) +
                              " bytes: truncated or not a safetensors file");
  }
  const char* json_begin = reinterpret_cast<const char*>(file_data + kLengthPrefixBytes);
  const Json header_json = Json::parse(json_begin, json_begin + header_bytes, nullptr, false);
  if (header_json.is_discarded() || !header_json.is_object()) {
    throw CheckpointError(file_name, "",
                          "header is not a JSON object: corrupt or not a safetensors file");
  }
  Header header;
  header.data_section_offset = kLengthPrefixBytes + header_bytes;
  for (const auto& [key, value] : header_json.items()) {
    if (key == "__metadata__") {
      header.metadata = parse_metadata(value, file_name);
    } else {
      header.tensors.emplace(key, parse_entry(value, file_name, key));
    }
  }
  check_layout(header, file_size - header.data_section_offset, file_name);
  return header;
}

std::string serialize_header(const std::vector<std::pair<std::string, TensorEntry>>& tensors,
                             const std::map<std::string, std::string>& metadata) {
  Json header_json = Json::object();
  if (!metadata.empty()) {
    header_json["__metadata__"] = metadata;
  }
  for (const auto& [name, entry] : tensors) {
    header_json[name] = {{"dtype", name_from_scalar_type(entry.dtype)},
                         {"shape", entry.shape},
                         {"data_offsets", {entry.data_begin, entry.data_end}}};
  }
  std::string json_text = header_json.dump();
  json_text.append((8 - json_text.size() % 8) % 8, ' ');
  std::string serialized(kLengthPrefixBytes, '\0');
  const std::uint64_t length = json_text.size();
  for (std::size_t i = 0; i < kLengthPrefixBytes; ++i) {
    serialized[i] = static_cast<char>((length >> (8 * i)) & 0xff);
  }
  return serialized + json_text;
}

}  // namespace cosmos3::safetensors
