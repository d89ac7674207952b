#include "core/config/json_config_reader.h"

#include <fstream>
#include <sstream>

namespace cosmos3::config {

Json parse_json_object(const std::string& json_text, const std::string& source) {
  Json json = Json::parse(json_text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    throw ConfigError(source + ": is not a JSON object");
  }
  return json;
}

std::string read_config_text(const std::filesystem::path& path,
                             const std::string& where_it_belongs) {
  std::ifstream input(path);
  if (!input) {
    throw ConfigError(path.string() + ": cannot open; " + where_it_belongs);
  }
  std::stringstream text;
  text << input.rdbuf();
  return text.str();
}

void JsonConfigReader::fail(const std::string& field, const std::string& problem) const {
  throw ConfigError(source_ + ": field '" + field + "' " + problem);
}

void JsonConfigReader::require_positive(const std::string& field, int64_t value) const {
  if (value <= 0) {
    fail(field, "must be positive, got " + std::to_string(value));
  }
}

void JsonConfigReader::require_off(const std::string& field, const std::string& why) const {
  bool enabled = false;
  read(field, enabled);
  if (enabled) {
    fail(field, "is true, which Cosmos3 Studio does not support (" + why + "); set it to false");
  }
}

void JsonConfigReader::require_unset_number(const std::string& field,
                                            const std::string& why) const {
  double value = 0;
  read(field, value);
  if (value != 0) {
    fail(field, "is " + json_[field].dump() + ", which Cosmos3 Studio does not support (" + why +
                    "); remove it or set it to null");
  }
}

std::string JsonConfigReader::read_choice(const std::string& field,
                                          const std::string& default_value,
                                          const std::vector<std::string>& accepted) const {
  std::string value = default_value;
  read(field, value);
  for (const std::string& candidate : accepted) {
    if (value == candidate) {
      return value;
    }
  }
  std::string list;
  for (const std::string& candidate : accepted) {
    list += (list.empty() ? "'" : ", '") + candidate + "'";
  }
  fail(field, "is '" + value + "'; supported values are " + list);
}

}  // namespace cosmos3::config
