#pragma once
// The byte-pair-encoding model: splits a word into characters and merges adjacent pairs,
// lowest merge rank first and leftmost first among equal ranks, exactly as the reference's
// Word::merge_all does.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cosmos3::text {

struct BpeOptions {
  std::optional<std::string> unk_token;
  bool fuse_unk = false;
  bool byte_fallback = false;  // spell unknown characters as <0xXX> byte tokens
  bool ignore_merges = false;  // a word found whole in the vocabulary is one token
};

class BpeModel {
 public:
  // Throws std::invalid_argument naming the first merge whose parts or result are not in the
  // vocabulary.
  BpeModel(std::unordered_map<std::string, int64_t> vocab,
           const std::vector<std::pair<std::string, std::string>>& merges, BpeOptions options);

  void tokenize(std::string_view word, std::vector<int64_t>& ids) const;

  std::optional<int64_t> token_to_id(std::string_view token) const;
  const std::string* id_to_token(int64_t id) const;
  int64_t num_tokens() const { return static_cast<int64_t>(vocab_.size()); }

 private:
  struct Merge {
    int64_t rank = 0;
    int64_t merged_id = 0;
  };

  void append_symbols(std::string_view character, std::vector<int64_t>& symbols) const;
  const Merge* find_merge(int64_t left_id, int64_t right_id) const;

  std::unordered_map<std::string, int64_t> vocab_;
  std::unordered_map<int64_t, std::string> token_of_id_;
  std::unordered_map<uint64_t, Merge> merges_;  // keyed by pair_key(left id, right id)
  BpeOptions options_;
  std::optional<int64_t> unk_id_;
};

}  // namespace cosmos3::text
