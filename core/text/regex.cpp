#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/text/regex.h"

#include <pcre2.h>

#include <stdexcept>

namespace cosmos3::text {

struct Regex::Compiled {
  pcre2_code* code = nullptr;

  ~Compiled() { pcre2_code_free(code); }
};

namespace {

std::string pcre2_message(int error_code) {
  PCRE2_UCHAR buffer[256];
  pcre2_get_error_message(error_code, buffer, sizeof(buffer));
  return reinterpret_cast<const char*>(buffer);
}

struct MatchDataDeleter {
  void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};

size_t next_code_point_start(std::string_view text, size_t offset) {
  ++offset;
  while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) {
    ++offset;
  }
  return offset;
}

}  // namespace

Regex::Regex(const std::string& pattern, bool literal) {
  auto compiled = std::make_shared<Compiled>();
  // PCRE2 refuses UCP together with LITERAL, and a literal has no classes for it to affect.
  const uint32_t options = PCRE2_UTF | (literal ? PCRE2_LITERAL : PCRE2_UCP);
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                 options, &error_code, &error_offset, nullptr);
  if (compiled->code == nullptr) {
    throw std::invalid_argument(pcre2_message(error_code) + " at offset " +
                                std::to_string(error_offset));
  }
  // The JIT only speeds matching up; where it is unavailable the interpreter gives the same
  // matches, so its failure is ignored.
  pcre2_jit_compile(compiled->code, PCRE2_JIT_COMPLETE);
  compiled_ = std::move(compiled);
}

std::vector<ByteRange> Regex::find_all(std::string_view text) const {
  std::unique_ptr<pcre2_match_data, MatchDataDeleter> match_data(
      pcre2_match_data_create_from_pattern(compiled_->code, nullptr));
  std::vector<ByteRange> matches;
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  size_t start = 0;
  while (start <= text.size()) {
    // The text was checked as UTF-8 once on entry; re-checking it per call would be quadratic.
    const int result = pcre2_match(compiled_->code, subject, text.size(), start, PCRE2_NO_UTF_CHECK,
                                   match_data.get(), nullptr);
    if (result == PCRE2_ERROR_NOMATCH) {
      break;
    }
    if (result < 0) {
      throw std::runtime_error("PCRE2 match failed: " + pcre2_message(result));
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match_data.get());
    matches.push_back({ovector[0], ovector[1]});
    if (ovector[1] > ovector[0]) {
      start = ovector[1];
    } else if (ovector[1] >= text.size()) {
      break;
    } else {
      start = next_code_point_start(text, ovector[1]);
    }
  }
  return matches;
}

}  // namespace cosmos3::text
