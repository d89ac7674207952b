#include "core/errors.h"
#include "core/text/tokenizer_parts.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace cosmos3::text {
namespace {

using Json = nlohmann::json;

// Reads the components of one tokenizer.json; every failure names the file and the component
// path (for example "pre_tokenizer.pretokenizers[0]").
class TokenizerJsonReader {
 public:
  explicit TokenizerJsonReader(std::string source_name) : source_name_(std::move(source_name)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& problem) const {
    throw ConfigError(source_name_ + ": " + where + " " + problem);
  }

  [[noreturn]] void unsupported_type(const std::string& where, const std::string& type,
                                     const std::string& supported) const {
    fail(where, "type '" + type + "' is not supported (supported: " + supported + ")");
  }

  // A field of `object`, or `fallback` when absent or null.
  template <typename Value>
  Value field(const Json& object, const std::string& where, const std::string& key,
              Value fallback) const {
    if (!object.contains(key) || object[key].is_null()) {
      return fallback;
    }
    try {
      return object[key].get<Value>();
    } catch (const Json::exception&) {
      fail(where + "." + key, "has value " + object[key].dump() + " of the wrong type");
    }
  }

  const Json& required(const Json& object, const std::string& where, const std::string& key) const {
    if (!object.is_object() || !object.contains(key) || object[key].is_null()) {
      fail(where, "lacks the field '" + key + "'");
    }
    return object[key];
  }

  std::string type_of(const Json& component, const std::string& where) const {
    if (!component.is_object()) {
      fail(where, "must be an object, got " + component.dump());
    }
    return field<std::string>(component, where, "type", "");
  }

  // Features of the file that change ids only when left unimplemented must be off.
  void require_unset(const Json& object, const std::string& where, const std::string& key,
                     const std::string& why) const {
    if (object.contains(key) && !object[key].is_null() && object[key] != Json("")) {
      fail(where + "." + key, "is " + object[key].dump() + " but " + why);
    }
  }

  Regex compile(const Json& pattern, const std::string& where) const {
    const bool literal = pattern.is_object() && pattern.contains("String");
    if (!pattern.is_object() || (!literal && !pattern.contains("Regex"))) {
      fail(where, "must hold 'String' or 'Regex', got " + pattern.dump());
    }
    const std::string text = field<std::string>(pattern, where, literal ? "String" : "Regex", "");
    try {
      return Regex(text, literal);
    } catch (const std::invalid_argument& error) {
      fail(where, "regex does not compile in PCRE2: " + std::string(error.what()));
    }
  }

 private:
  std::string source_name_;
};

std::optional<NfcNormalizer> parse_normalizer(const TokenizerJsonReader& reader, const Json& json) {
  if (json.is_null()) {
    return std::nullopt;
  }
  const std::string type = reader.type_of(json, "normalizer");
  if (type != "NFC") {
    reader.unsupported_type("normalizer", type, "NFC or null");
  }
  return NfcNormalizer();
}

SplitBehavior parse_split_behavior(const TokenizerJsonReader& reader, const Json& json,
                                   const std::string& where) {
  const std::string name = reader.field<std::string>(json, where, "behavior", "");
  if (name == "Removed") return SplitBehavior::kRemoved;
  if (name == "Isolated") return SplitBehavior::kIsolated;
  if (name == "MergedWithPrevious") return SplitBehavior::kMergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::kMergedWithNext;
  if (name == "Contiguous") return SplitBehavior::kContiguous;
  reader.fail(where + ".behavior",
              "is '" + name +
                  "'; supported: Removed, Isolated, MergedWithPrevious, MergedWithNext, "
                  "Contiguous");
}

void parse_pre_tokenizer(const TokenizerJsonReader& reader, const Json& json,
                         const std::string& where, PreTokenizer& pre_tokenizer) {
  const std::string type = reader.type_of(json, where);
  if (type == "Sequence") {
    const Json& steps = reader.required(json, where, "pretokenizers");
    if (!steps.is_array()) {
      reader.fail(where + ".pretokenizers", "must be an array");
    }
    for (size_t index = 0; index < steps.size(); ++index) {
      parse_pre_tokenizer(reader, steps[index],
                          where + ".pretokenizers[" + std::to_string(index) + "]", pre_tokenizer);
    }
  } else if (type == "Split") {
    Regex pattern = reader.compile(reader.required(json, where, "pattern"), where + ".pattern");
    pre_tokenizer.add_step(SplitStep{std::move(pattern), parse_split_behavior(reader, json, where),
                                     reader.field<bool>(json, where, "invert", false)});
  } else if (type == "ByteLevel") {
    ByteLevelStep step;
    step.add_prefix_space = reader.field<bool>(json, where, "add_prefix_space", true);
    if (reader.field<bool>(json, where, "use_regex", true)) {
      step.word_pattern = gpt2_word_pattern();
    }
    pre_tokenizer.add_step(std::move(step));
  } else {
    reader.unsupported_type(where, type, "Sequence, Split, ByteLevel");
  }
}

std::vector<std::pair<std::string, std::string>> parse_merges(const TokenizerJsonReader& reader,
                                                              const Json& json) {
  if (!json.is_array()) {
    reader.fail("model.merges", "must be an array");
  }
  std::vector<std::pair<std::string, std::string>> merges;
  merges.reserve(json.size());
  for (size_t rank = 0; rank < json.size(); ++rank) {
    const Json& merge = json[rank];
    if (merge.is_string()) {
      // The older spelling "left right": tokens never hold a plain space in byte-level
      // vocabularies, so the first space separates them.
      const std::string text = merge.get<std::string>();
      const size_t space = text.find(' ');
      if (space != std::string::npos) {
        merges.emplace_back(text.substr(0, space), text.substr(space + 1));
        continue;
      }
    } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() &&
               merge[1].is_string()) {
      merges.emplace_back(merge[0].get<std::string>(), merge[1].get<std::string>());
      continue;
    }
    reader.fail("model.merges[" + std::to_string(rank) + "]",
                "is " + merge.dump() + "; expected \"left right\" or [\"left\", \"right\"]");
  }
  return merges;
}

BpeModel parse_model(const TokenizerJsonReader& reader, const Json& json) {
  const std::string type = reader.type_of(json, "model");
  if (type != "BPE") {
    reader.unsupported_type("model", type, "BPE");
  }
  reader.require_unset(json, "model", "dropout", "BPE dropout is not supported");
  reader.require_unset(json, "model", "continuing_subword_prefix",
                       "subword prefixes are not supported");
  reader.require_unset(json, "model", "end_of_word_suffix", "word suffixes are not supported");
  BpeOptions options;
  if (json.contains("unk_token") && !json["unk_token"].is_null()) {
    options.unk_token = reader.field<std::string>(json, "model", "unk_token", "");
  }
  options.fuse_unk = reader.field<bool>(json, "model", "fuse_unk", false);
  options.byte_fallback = reader.field<bool>(json, "model", "byte_fallback", false);
  options.ignore_merges = reader.field<bool>(json, "model", "ignore_merges", false);
  auto vocab = reader.field<std::unordered_map<std::string, int64_t>>(json, "model", "vocab", {});
  if (vocab.empty()) {
    reader.fail("model.vocab", "is missing or empty");
  }
  auto merges = parse_merges(reader, reader.required(json, "model", "merges"));
  try {
    return BpeModel(std::move(vocab), merges, std::move(options));
  } catch (const std::invalid_argument& error) {
    reader.fail("model", error.what());
  }
}

// The reference does not use the ids the file gives added tokens (it only logs a warning when
// they differ): a token in the model's vocabulary takes that id, any other the next id after
// both the vocabulary and the added tokens so far. Following it keeps the ids identical.
int64_t reference_id_of(const std::string& content, const BpeModel& model,
                        const std::vector<AddedToken>& earlier_tokens) {
  if (const auto id = model.token_to_id(content)) {
    return *id;
  }
  const int64_t num_model_tokens = model.num_tokens();
  int64_t max_id = -1;
  for (const AddedToken& token : earlier_tokens) {
    max_id = std::max(max_id, token.id);
  }
  return max_id >= num_model_tokens ? max_id + 1 : num_model_tokens;
}

AddedVocabulary parse_added_tokens(const TokenizerJsonReader& reader, const Json& json,
                                   const std::optional<NfcNormalizer>& normalizer,
                                   const BpeModel& model) {
  if (json.is_null()) {
    return {};
  }
  if (!json.is_array()) {
    reader.fail("added_tokens", "must be an array");
  }
  std::vector<AddedToken> tokens;
  std::vector<std::string> normalized_contents;
  for (size_t index = 0; index < json.size(); ++index) {
    const std::string where = "added_tokens[" + std::to_string(index) + "]";
    const Json& entry = json[index];
    if (!entry.is_object()) {
      reader.fail(where, "must be an object");
    }
    AddedToken token;
    if (!reader.required(entry, where, "id").is_number_integer()) {
      reader.fail(where + ".id", "must be an integer");
    }
    token.content = reader.field<std::string>(entry, where, "content", "");
    if (token.content.empty()) {
      reader.fail(where + ".content", "must be a non-empty string");
    }
    const bool repeated = std::any_of(tokens.begin(), tokens.end(), [&](const AddedToken& earlier) {
      return earlier.content == token.content;
    });
    if (repeated) {
      continue;  // the reference keeps the first
    }
    token.id = reference_id_of(token.content, model, tokens);
    token.special = reader.field<bool>(entry, where, "special", false);
    token.single_word = reader.field<bool>(entry, where, "single_word", false);
    token.lstrip = reader.field<bool>(entry, where, "lstrip", false);
    token.rstrip = reader.field<bool>(entry, where, "rstrip", false);
    token.normalized = reader.field<bool>(entry, where, "normalized", !token.special);
    normalized_contents.push_back(normalizer ? normalizer->normalize(token.content)
                                             : token.content);
    tokens.push_back(std::move(token));
  }
  return AddedVocabulary(std::move(tokens), normalized_contents);
}

DecoderKind parse_decoder(const TokenizerJsonReader& reader, const Json& json) {
  if (json.is_null()) {
    return DecoderKind::kJoinWithSpaces;
  }
  const std::string type = reader.type_of(json, "decoder");
  if (type != "ByteLevel") {
    reader.unsupported_type("decoder", type, "ByteLevel or null");
  }
  return DecoderKind::kByteLevel;
}

// encode() never adds special tokens, and a ByteLevel post-processor only adjusts offsets;
// anything else would change ids that callers expect from the reference.
void check_post_processor(const TokenizerJsonReader& reader, const Json& json) {
  if (json.is_null()) {
    return;
  }
  const std::string type = reader.type_of(json, "post_processor");
  if (type != "ByteLevel") {
    reader.unsupported_type("post_processor", type, "ByteLevel or null");
  }
}

}  // namespace

TokenizerParts parse_tokenizer_json(std::string_view json_text, const std::string& source_name) {
  Json json;
  try {
    json = Json::parse(json_text);
  } catch (const Json::parse_error& error) {
    throw ConfigError(source_name + ": not valid JSON (" + error.what() +
                      "); re-download the tokenizer.json");
  }
  const TokenizerJsonReader reader(source_name);
  if (!json.is_object()) {
    reader.fail("the top level", "must be a JSON object");
  }
  const auto component = [&](const char* key) -> const Json& {
    static const Json null_json;
    return json.contains(key) ? json[key] : null_json;
  };
  reader.require_unset(json, "tokenizer", "truncation", "truncation is not supported");
  reader.require_unset(json, "tokenizer", "padding", "padding is not supported");
  check_post_processor(reader, component("post_processor"));

  TokenizerParts parts;
  parts.normalizer = parse_normalizer(reader, component("normalizer"));
  if (!component("pre_tokenizer").is_null()) {
    parse_pre_tokenizer(reader, component("pre_tokenizer"), "pre_tokenizer", parts.pre_tokenizer);
  }
  parts.model.emplace(parse_model(reader, reader.required(json, "tokenizer", "model")));
  parts.added_vocabulary =
      parse_added_tokens(reader, component("added_tokens"), parts.normalizer, *parts.model);
  parts.decoder = parse_decoder(reader, component("decoder"));
  return parts;
}

}  // namespace cosmos3::text
