// Every corpus sample, encoded by our tokenizer, must give the reference's ids token for token;
// decoding must give the reference's text. There is no tolerance: ids are exact.

#include "tst_tokenizer.h"

#include "core/text/tokenizer.h"
#include "tests/test_support.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

using cosmos3::text::Tokenizer;
using Json = nlohmann::json;

namespace {

constexpr int kMaxReportedMismatches = 5;

// Loads a golden tokenizer, or records the load error as a test failure.
std::optional<Tokenizer> load_golden_tokenizer(const Json& golden) {
  try {
    return Tokenizer::from_file(golden["tokenizer_json"].get<std::string>());
  } catch (const std::exception& error) {
    qWarning("%s", error.what());
    return std::nullopt;
  }
}

// QCOMPARE prints QStrings, not std::strings, when they differ.
QString qstring(const std::string& text) { return QString::fromStdString(text); }

std::string golden_path() { return std::string(COSMOS3_TEST_DATA_DIR) + "/tokenizer/golden.json"; }

std::string excerpt(const std::string& text) {
  const std::string shown = text.size() > 80 ? text.substr(0, 80) + "..." : text;
  return Json(shown).dump();
}

std::string ids_around(const std::vector<int64_t>& ids, size_t position) {
  const size_t begin = position > 3 ? position - 3 : 0;
  const size_t end = std::min(ids.size(), position + 4);
  return Json(std::vector<int64_t>(ids.begin() + begin, ids.begin() + end)).dump();
}

void report_mismatch(size_t sample, const std::string& text, const std::vector<int64_t>& ours,
                     const std::vector<int64_t>& reference) {
  const auto [ours_end, reference_end] =
      std::mismatch(ours.begin(), ours.end(), reference.begin(), reference.end());
  const auto position = static_cast<size_t>(ours_end - ours.begin());
  qWarning("sample %zu %s: first difference at token %zu: ours %s, reference %s (lengths %zu, %zu)",
           sample, excerpt(text).c_str(), position, ids_around(ours, position).c_str(),
           ids_around(reference, position).c_str(), ours.size(), reference.size());
}

}  // namespace

void TokenizerTest::initTestCase() {
  const std::string bytes = cosmos3::test::read_bytes(golden_path());
  QVERIFY2(!bytes.empty(), "golden.json missing: run the tokenizer_reference_golden fixture");
  golden_ = Json::parse(bytes);
}

void TokenizerTest::add_tokenizer_rows() {
  QTest::addColumn<int>("tokenizer_index");
  const Json& tokenizers = golden_["tokenizers"];
  for (size_t index = 0; index < tokenizers.size(); ++index) {
    QTest::newRow(tokenizers[index]["name"].get<std::string>().c_str()) << static_cast<int>(index);
  }
}

void TokenizerTest::encodes_like_reference_data() { add_tokenizer_rows(); }

void TokenizerTest::encodes_like_reference() {
  QFETCH(int, tokenizer_index);
  const Json& golden = golden_["tokenizers"][tokenizer_index];
  const std::optional<Tokenizer> loaded = load_golden_tokenizer(golden);
  QVERIFY(loaded.has_value());
  const Tokenizer& tokenizer = *loaded;
  const Json& texts = golden_["texts"];
  int num_mismatched = 0;
  size_t num_tokens = 0;
  for (size_t sample = 0; sample < texts.size(); ++sample) {
    const auto text = texts[sample].get<std::string>();
    const auto reference = golden["samples"][sample]["ids"].get<std::vector<int64_t>>();
    const std::vector<int64_t> ours = tokenizer.encode(text);
    num_tokens += reference.size();
    if (ours != reference && ++num_mismatched <= kMaxReportedMismatches) {
      report_mismatch(sample, text, ours, reference);
    }
  }
  qInfo("%s: %zu samples, %zu tokens, %d samples differ", golden["name"].get<std::string>().c_str(),
        texts.size(), num_tokens, num_mismatched);
  QCOMPARE(num_mismatched, 0);
}

void TokenizerTest::decodes_like_reference_data() { add_tokenizer_rows(); }

void TokenizerTest::decodes_like_reference() {
  QFETCH(int, tokenizer_index);
  const Json& golden = golden_["tokenizers"][tokenizer_index];
  const std::optional<Tokenizer> loaded = load_golden_tokenizer(golden);
  QVERIFY(loaded.has_value());
  const Tokenizer& tokenizer = *loaded;
  const Json& texts = golden_["texts"];
  int num_round_trips = 0;
  for (size_t sample = 0; sample < texts.size(); ++sample) {
    const auto text = texts[sample].get<std::string>();
    const Json& expected = golden["samples"][sample];
    const auto ids = expected["ids"].get<std::vector<int64_t>>();
    const auto decoded = expected["decoded"].get<std::string>();
    QCOMPARE(qstring(tokenizer.decode(ids)), qstring(decoded));
    QCOMPARE(qstring(tokenizer.decode(ids, /*skip_special_tokens=*/true)),
             qstring(expected["decoded_without_special"].get<std::string>()));
    // Only where the reference itself round-trips: NFC and byte fallback change some text.
    if (decoded == text) {
      QCOMPARE(qstring(tokenizer.decode(tokenizer.encode(text))), qstring(text));
      ++num_round_trips;
    }
  }
  for (const Json& probe : golden["decode_probes"]) {
    const auto ids = probe["ids"].get<std::vector<int64_t>>();
    QCOMPARE(qstring(tokenizer.decode(ids)), qstring(probe["text"].get<std::string>()));
    QCOMPARE(qstring(tokenizer.decode(ids, /*skip_special_tokens=*/true)),
             qstring(probe["text_without_special"].get<std::string>()));
  }
  qInfo("%s: %d of %zu samples round-trip through decode(encode(x))",
        golden["name"].get<std::string>().c_str(), num_round_trips, texts.size());
  QVERIFY(num_round_trips > 0);
}

QTEST_APPLESS_MAIN(TokenizerTest)
