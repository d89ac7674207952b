#pragma once
// A PCRE2 pattern compiled with UTF and UCP, so \p{L}, \s and \w follow Unicode as the
// reference's Oniguruma patterns do. Safe to share between threads.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cosmos3::text {

struct ByteRange {
  size_t begin = 0;
  size_t end = 0;
};

class Regex {
 public:
  // Throws std::invalid_argument with PCRE2's message when `pattern` does not compile; a
  // literal pattern matches its text verbatim.
  Regex(const std::string& pattern, bool literal);

  // Every non-overlapping match, left to right. An empty match moves the search on by one
  // code point, as the reference's find_iter does.
  std::vector<ByteRange> find_all(std::string_view text) const;

 private:
  struct Compiled;
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace cosmos3::text
