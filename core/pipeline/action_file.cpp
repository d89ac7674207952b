#include "core/pipeline/action_file.h"

#include <ATen/ops/tensor.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

namespace cosmos3::pipeline {
namespace {

using Json = nlohmann::json;

[[noreturn]] void refuse(const std::string& source, const std::string& problem) {
  throw ActionFileError("action file " + source + " " + problem);
}

// Python's json module writes NaN and Infinity as bare words, which are not JSON: name them.
void refuse_non_finite_words(const std::string& text, const std::string& source) {
  for (const char* word : {"NaN", "Infinity"}) {
    if (text.find(word) != std::string::npos) {
      refuse(source, std::string("holds ") + word + "; every action value must be a finite number");
    }
  }
}

// The rows of a [T, D] or [1, T, D] array.
const Json& rows_of(const Json& json, const std::string& source) {
  if (!json.is_array() || json.empty()) {
    refuse(source, json.is_array() ? "is empty; it must hold at least one action row"
                                   : "must be a JSON array of rows, [T, D] or [1, T, D]");
  }
  if (json[0].is_array() && !json[0].empty() && json[0][0].is_array()) {
    if (json.size() != 1) {
      refuse(source, "has shape [" + std::to_string(json.size()) +
                         ", T, D]; a rank-3 file must hold exactly one sequence, [1, T, D]");
    }
    if (json[0].empty()) {
      refuse(source, "is empty; it must hold at least one action row");
    }
    if (json[0][0].is_array() && !json[0][0].empty() && json[0][0][0].is_array()) {
      refuse(source, "has more than 3 dimensions; use [T, D] or [1, T, D]");
    }
    return json[0];
  }
  return json;
}

}  // namespace

at::Tensor parse_actions(const std::string& json_text, int64_t raw_width,
                         const std::string& domain_name, const std::string& source) {
  Json json;
  try {
    json = Json::parse(json_text);
  } catch (const Json::parse_error& error) {
    refuse_non_finite_words(json_text, source);
    refuse(source, std::string("is not JSON (") + error.what() + ")");
  }
  const Json& rows = rows_of(json, source);
  std::vector<float> values;
  const auto num_rows = static_cast<int64_t>(rows.size());
  for (int64_t row = 0; row < num_rows; ++row) {
    const Json& items = rows[static_cast<size_t>(row)];
    if (!items.is_array()) {
      refuse(source, "row " + std::to_string(row) +
                         " is not an array; the file must be [T, D] or [1, T, D] (rank 1 given?)");
    }
    if (static_cast<int64_t>(items.size()) != raw_width) {
      refuse(source, "row " + std::to_string(row) + " has " + std::to_string(items.size()) +
                         " values, but domain " + domain_name + " has actions of width " +
                         std::to_string(raw_width));
    }
    for (size_t column = 0; column < items.size(); ++column) {
      const Json& item = items[column];
      if (!item.is_number()) {
        refuse(source, "row " + std::to_string(row) + " column " + std::to_string(column) + " is " +
                           item.dump() + ", not a number");
      }
      const auto value = item.get<double>();
      if (!std::isfinite(value) || !std::isfinite(static_cast<float>(value))) {
        refuse(source, "row " + std::to_string(row) + " column " + std::to_string(column) +
                           " is not a finite float32 number");
      }
      values.push_back(static_cast<float>(value));
    }
  }
  return at::tensor(values).view({num_rows, raw_width});
}

at::Tensor read_action_file(const std::filesystem::path& path, int64_t raw_width,
                            const std::string& domain_name) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    refuse(path.string(), "cannot be opened; check the --actions path");
  }
  std::ostringstream text;
  text << stream.rdbuf();
  return parse_actions(text.str(), raw_width, domain_name, path.string());
}

void write_action_file(const std::filesystem::path& path, const at::Tensor& actions_TD) {
  const at::Tensor values = actions_TD.to(at::kFloat).contiguous().cpu();
  Json rows = Json::array();
  const float* data = values.data_ptr<float>();
  for (int64_t row = 0; row < values.size(0); ++row) {
    Json items = Json::array();
    for (int64_t column = 0; column < values.size(1); ++column) {
      items.push_back(data[row * values.size(1) + column]);
    }
    rows.push_back(std::move(items));
  }
  std::ofstream stream(path, std::ios::binary);
  stream << rows.dump() << '\n';
  if (!stream) {
    throw MediaError("cannot write " + path.string() + ": choose a writable output folder");
  }
}

}  // namespace cosmos3::pipeline
