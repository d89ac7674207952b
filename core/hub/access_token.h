#pragma once
// The Hugging Face token a download sends, looked up as huggingface_hub does, so a user who ran
// `hf auth login` once needs to configure nothing here.

#include <optional>
#include <string>

namespace cosmos3::hub {

struct AccessToken {
  std::string value;
  std::string source;  // where it came from, for messages: "HF_TOKEN", a file path, ...
};

// The first of: `explicit_token` (the studio's settings or a flag) when not empty, the HF_TOKEN
// environment variable, the file HF_TOKEN_PATH names, $HF_HOME/token, then
// ~/.cache/huggingface/token (or $XDG_CACHE_HOME/huggingface/token). Surrounding whitespace is
// dropped. nullopt when none is set: public repositories need no token.
std::optional<AccessToken> find_access_token(const std::string& explicit_token = {});

}  // namespace cosmos3::hub
