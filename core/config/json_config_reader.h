#pragma once

// One reader for every diffusers JSON config (transformer, VAE, scheduler, sound tokenizer):
// absent or null fields keep the reference's default, and every problem is a ConfigError that
// names the file and the field, so a user can fix the file without reading our code.

#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace cosmos3::config {

using Json = nlohmann::json;

// The file's text parsed as a JSON object; anything else is a ConfigError naming `source`.
Json parse_json_object(const std::string& json_text, const std::string& source);

// The whole file's text. `where_it_belongs` completes the message when the file cannot be opened
// (e.g. "a diffusers folder holds it as vae/config.json").
std::string read_config_text(const std::filesystem::path& path,
                             const std::string& where_it_belongs);

class JsonConfigReader {
 public:
  // Keeps a reference: `json` must outlive the reader.
  JsonConfigReader(const Json& json, std::string source)
      : json_(json), source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const;

  bool has(const std::string& field) const {
    return json_.contains(field) && !json_[field].is_null();
  }

  // Absent or null fields keep `value` (the caller's reference default).
  template <typename Value>
  void read(const std::string& field, Value& value) const {
    if (!has(field)) {
      return;
    }
    try {
      value = json_[field].get<Value>();
    } catch (const Json::exception&) {
      fail(field, "has value " + json_[field].dump() + " of the wrong type");
    }
  }

  void require_positive(const std::string& field, int64_t value) const;

  // A switch for a feature the port leaves out: accepted only at its reference default, off.
  void require_off(const std::string& field, const std::string& why) const;

  // The reference tests such fields for truthiness, so 0 counts as unset.
  void require_unset_number(const std::string& field, const std::string& why) const;

  std::string read_choice(const std::string& field, const std::string& default_value,
                          const std::vector<std::string>& accepted) const;

  const Json& json() const { return json_; }
  const std::string& source() const { return source_; }

 private:
  const Json& json_;
  std::string source_;
};

}  // namespace cosmos3::config
