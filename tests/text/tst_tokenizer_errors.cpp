// A tokenizer.json we cannot tokenize exactly as the reference would must be refused with a
// ConfigError naming the file and the component, never silently tokenized another way.

#include "tst_tokenizer.h"

#include "core/errors.h"
#include "core/text/tokenizer.h"
#include "tests/test_support.h"

#include <functional>
#include <string>
#include <vector>

using cosmos3::ConfigError;
using cosmos3::test::contains_all;
using cosmos3::test::error_message_of;
using cosmos3::text::Tokenizer;
using Json = nlohmann::json;

namespace {

constexpr const char* kSourceName = "tiny/tokenizer.json";

// A complete byte-level BPE tokenizer small enough to check by hand: "ab" merges first, then
// "Ġ" (the byte-level space) with "ab".
Json tiny_tokenizer() {
  return Json::parse(R"({
    "version": "1.0", "truncation": null, "padding": null,
    "added_tokens": [{"id": 6, "content": "<s>", "single_word": false, "lstrip": false,
                      "rstrip": false, "normalized": false, "special": true}],
    "normalizer": {"type": "NFC"},
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true,
                      "use_regex": true},
    "post_processor": null,
    "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true,
                "use_regex": true},
    "model": {"type": "BPE", "dropout": null, "unk_token": null,
              "continuing_subword_prefix": null, "end_of_word_suffix": null, "fuse_unk": false,
              "byte_fallback": false, "ignore_merges": false,
              "vocab": {"a": 0, "b": 1, "ab": 2, "Ġ": 3, "Ġab": 4, "c": 5},
              "merges": ["a b", ["Ġ", "ab"]]}
  })");
}

Tokenizer load(const Json& json) { return Tokenizer::from_json(json.dump(), kSourceName); }

using Mutation = std::function<void(Json&)>;

}  // namespace

Q_DECLARE_METATYPE(Mutation)

void TokenizerTest::tiny_tokenizer_encodes_and_decodes() {
  const Tokenizer tokenizer = load(tiny_tokenizer());
  const std::vector<int64_t> ids = tokenizer.encode("ab ab<s>c");
  QCOMPARE(ids, (std::vector<int64_t>{2, 4, 6, 5}));
  QCOMPARE(tokenizer.decode(ids), std::string("ab ab<s>c"));
  QCOMPARE(tokenizer.decode(ids, /*skip_special_tokens=*/true), std::string("ab abc"));
  QCOMPARE(tokenizer.token_to_id("<s>"), std::optional<int64_t>(6));
  QCOMPARE(tokenizer.token_to_id("Ġab"), std::optional<int64_t>(4));
  QVERIFY(tokenizer.encode("").empty());
}

void TokenizerTest::refuses_unsupported_components_data() {
  QTest::addColumn<Mutation>("mutation");
  QTest::addColumn<QStringList>("expected_parts");
  const auto row = [](const char* name, Mutation mutation, QStringList parts) {
    QTest::newRow(name) << std::move(mutation) << std::move(parts);
  };
  row("Metaspace pre-tokenizer",
      [](Json& json) {
        json["pre_tokenizer"] = {{"type", "Metaspace"}};
      },
      {"pre_tokenizer type 'Metaspace' is not supported"});
  row("nested unsupported pre-tokenizer",
      [](Json& json) {
        json["pre_tokenizer"] = {{"type", "Sequence"},
                                 {"pretokenizers", {json["pre_tokenizer"], {{"type", "Digits"}}}}};
      },
      {"pre_tokenizer.pretokenizers[1] type 'Digits' is not supported"});
  row("Lowercase normalizer",
      [](Json& json) {
        json["normalizer"] = {{"type", "Lowercase"}};
      },
      {"normalizer type 'Lowercase' is not supported"});
  row("WordPiece model", [](Json& json) { json["model"]["type"] = "WordPiece"; },
      {"model type 'WordPiece' is not supported"});
  row("WordPiece decoder",
      [](Json& json) {
        json["decoder"] = {{"type", "WordPiece"}};
      },
      {"decoder type 'WordPiece' is not supported"});
  row("TemplateProcessing post-processor",
      [](Json& json) {
        json["post_processor"] = {{"type", "TemplateProcessing"}};
      },
      {"post_processor type 'TemplateProcessing' is not supported"});
  row("BPE dropout", [](Json& json) { json["model"]["dropout"] = 0.1; },
      {"model.dropout", "not supported"});
  row("subword prefix", [](Json& json) { json["model"]["continuing_subword_prefix"] = "##"; },
      {"model.continuing_subword_prefix", "not supported"});
  row("truncation",
      [](Json& json) {
        json["truncation"] = {{"max_length", 8}};
      },
      {"tokenizer.truncation", "not supported"});
  row("unknown Split behavior",
      [](Json& json) {
        json["pre_tokenizer"] = {
            {"type", "Split"}, {"pattern", {{"Regex", "a"}}}, {"behavior", "Sideways"}};
      },
      {"pre_tokenizer.behavior", "Sideways", "Isolated"});
  row("regex PCRE2 cannot compile",
      [](Json& json) {
        json["pre_tokenizer"] = {
            {"type", "Split"}, {"pattern", {{"Regex", "(unclosed"}}}, {"behavior", "Isolated"}};
      },
      {"pre_tokenizer.pattern", "does not compile"});
  row("merge of unknown tokens", [](Json& json) { json["model"]["merges"].push_back("b z"); },
      {"model merge 2", "'z'", "not in the vocabulary"});
  row("missing model", [](Json& json) { json.erase("model"); }, {"lacks the field 'model'"});
  row("vocab of the wrong type",
      [](Json& json) {
        json["model"]["vocab"] = {1, 2};
      },
      {"model.vocab", "wrong type"});
}

void TokenizerTest::refuses_unsupported_components() {
  QFETCH(Mutation, mutation);
  QFETCH(QStringList, expected_parts);
  Json json = tiny_tokenizer();
  mutation(json);
  const std::string message = error_message_of<ConfigError>([&] { load(json); });
  QVERIFY(contains_all(message, {kSourceName}));
  for (const QString& part : expected_parts) {
    QVERIFY(contains_all(message, {part.toStdString()}));
  }
}

void TokenizerTest::refuses_corrupt_or_missing_files() {
  const std::string whole = tiny_tokenizer().dump();
  const std::string truncated = whole.substr(0, whole.size() / 2);
  QVERIFY(contains_all(
      error_message_of<ConfigError>([&] { Tokenizer::from_json(truncated, kSourceName); }),
      {kSourceName, "not valid JSON"}));
  QVERIFY(contains_all(
      error_message_of<ConfigError>([] { Tokenizer::from_json("[1, 2]", kSourceName); }),
      {kSourceName, "JSON object"}));

  QTemporaryDir folder;
  QVERIFY(folder.isValid());
  const std::string corrupt_path = folder.filePath("tokenizer.json").toStdString();
  cosmos3::test::write_bytes(corrupt_path, truncated);
  QVERIFY(contains_all(error_message_of<ConfigError>([&] { Tokenizer::from_file(corrupt_path); }),
                       {corrupt_path, "not valid JSON"}));
  const std::string missing_path = folder.filePath("absent.json").toStdString();
  QVERIFY(contains_all(error_message_of<ConfigError>([&] { Tokenizer::from_file(missing_path); }),
                       {missing_path, "cannot open"}));
}

void TokenizerTest::refuses_text_that_is_not_utf8() {
  const Tokenizer tokenizer = load(tiny_tokenizer());
  for (const std::string& text : {std::string("ab\xff"), std::string("a\xc3"),
                                  std::string("\xed\xa0\x80 surrogate"), std::string("\xc0\xaf")}) {
    QVERIFY(contains_all(error_message_of<cosmos3::UserError>([&] { tokenizer.encode(text); }),
                         {"not valid UTF-8"}));
  }
}
