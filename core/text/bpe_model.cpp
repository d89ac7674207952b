#include "core/text/bpe_model.h"

#include <cstdio>
#include <queue>
#include <stdexcept>

namespace cosmos3::text {
namespace {

uint64_t pair_key(int64_t left_id, int64_t right_id) {
  return (static_cast<uint64_t>(left_id) << 32) | static_cast<uint32_t>(right_id);
}

size_t utf8_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
}

// A symbol of the word being merged, in a doubly linked list over a vector; a merged-away
// symbol keeps its slot with `alive` false.
struct Symbol {
  int64_t id = 0;
  int64_t previous = -1;
  int64_t next = -1;
  bool alive = true;
};

struct QueuedMerge {
  int64_t rank = 0;
  int64_t position = 0;
  int64_t merged_id = 0;

  // std::priority_queue pops the largest: make that the lowest rank, then the leftmost.
  bool operator<(const QueuedMerge& other) const {
    return rank != other.rank ? rank > other.rank : position > other.position;
  }
};

}  // namespace

BpeModel::BpeModel(std::unordered_map<std::string, int64_t> vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges,
                   BpeOptions options)
    : vocab_(std::move(vocab)), options_(std::move(options)) {
  for (const auto& [token, id] : vocab_) {
    token_of_id_.emplace(id, token);
  }
  const auto id_of = [&](const std::string& token, size_t rank) {
    const auto found = vocab_.find(token);
    if (found == vocab_.end()) {
      throw std::invalid_argument("merge " + std::to_string(rank) + " uses '" + token +
                                  "', which is not in the vocabulary");
    }
    return found->second;
  };
  merges_.reserve(merges.size());
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [left, right] = merges[rank];
    const uint64_t key = pair_key(id_of(left, rank), id_of(right, rank));
    // A repeated pair keeps its last rank, as in the reference's map collected from the list.
    merges_.insert_or_assign(key, Merge{static_cast<int64_t>(rank), id_of(left + right, rank)});
  }
  if (options_.unk_token) {
    unk_id_ = token_to_id(*options_.unk_token);
    if (!unk_id_) {
      throw std::invalid_argument("unk_token '" + *options_.unk_token +
                                  "' is not in the vocabulary");
    }
  }
}

std::optional<int64_t> BpeModel::token_to_id(std::string_view token) const {
  const auto found = vocab_.find(std::string(token));
  return found == vocab_.end() ? std::nullopt : std::optional<int64_t>(found->second);
}

const std::string* BpeModel::id_to_token(int64_t id) const {
  const auto found = token_of_id_.find(id);
  return found == token_of_id_.end() ? nullptr : &found->second;
}

const BpeModel::Merge* BpeModel::find_merge(int64_t left_id, int64_t right_id) const {
  const auto found = merges_.find(pair_key(left_id, right_id));
  return found == merges_.end() ? nullptr : &found->second;
}

void BpeModel::append_symbols(std::string_view character, std::vector<int64_t>& symbols) const {
  if (const auto id = token_to_id(character)) {
    symbols.push_back(*id);
    return;
  }
  if (options_.byte_fallback) {
    std::vector<int64_t> byte_ids;
    for (const char byte : character) {
      char name[8];
      std::snprintf(name, sizeof(name), "<0x%02X>", static_cast<unsigned char>(byte));
      if (const auto id = token_to_id(name)) {
        byte_ids.push_back(*id);
      }
    }
    if (byte_ids.size() == character.size()) {
      symbols.insert(symbols.end(), byte_ids.begin(), byte_ids.end());
      return;
    }
  }
  // Without an unknown token the reference drops the character.
  if (unk_id_) {
    const bool fuse = options_.fuse_unk && !symbols.empty() && symbols.back() == *unk_id_;
    if (!fuse) {
      symbols.push_back(*unk_id_);
    }
  }
}

void BpeModel::tokenize(std::string_view word, std::vector<int64_t>& ids) const {
  if (word.empty()) {
    return;
  }
  if (options_.ignore_merges) {
    if (const auto id = token_to_id(word)) {
      ids.push_back(*id);
      return;
    }
  }
  std::vector<int64_t> initial_ids;
  for (size_t offset = 0; offset < word.size();) {
    const size_t length = utf8_length(static_cast<unsigned char>(word[offset]));
    append_symbols(word.substr(offset, length), initial_ids);
    offset += length;
  }
  std::vector<Symbol> symbols(initial_ids.size());
  std::priority_queue<QueuedMerge> queue;
  for (size_t index = 0; index < symbols.size(); ++index) {
    symbols[index] = {initial_ids[index], static_cast<int64_t>(index) - 1,
                      index + 1 < symbols.size() ? static_cast<int64_t>(index) + 1 : -1, true};
    if (index + 1 < symbols.size()) {
      if (const Merge* merge = find_merge(initial_ids[index], initial_ids[index + 1])) {
        queue.push({merge->rank, static_cast<int64_t>(index), merge->merged_id});
      }
    }
  }
  while (!queue.empty()) {
    const QueuedMerge top = queue.top();
    queue.pop();
    Symbol& left = symbols[top.position];
    if (!left.alive || left.next < 0) {
      continue;
    }
    Symbol& right = symbols[left.next];
    // Entries go stale when a neighbour merged since they were queued.
    const Merge* current = find_merge(left.id, right.id);
    if (current == nullptr || current->merged_id != top.merged_id) {
      continue;
    }
    left.id = top.merged_id;
    right.alive = false;
    left.next = right.next;
    if (left.next >= 0) {
      symbols[left.next].previous = top.position;
    }
    if (left.previous >= 0) {
      if (const Merge* merge = find_merge(symbols[left.previous].id, left.id)) {
        queue.push({merge->rank, left.previous, merge->merged_id});
      }
    }
    if (left.next >= 0) {
      if (const Merge* merge = find_merge(left.id, symbols[left.next].id)) {
        queue.push({merge->rank, top.position, merge->merged_id});
      }
    }
  }
  for (const Symbol& symbol : symbols) {
    if (symbol.alive) {
      ids.push_back(symbol.id);
    }
  }
}

}  // namespace cosmos3::text
