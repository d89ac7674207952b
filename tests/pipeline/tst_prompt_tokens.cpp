// Prompt text to token ids against the reference's tokenize_prompt run with the real Qwen3
// tokenizer (tools/make_prompt_golden.py with a tokenizer folder): the conversation templates,
// the ChatML rendering, the BPE and the appended <|im_end|> <|vision_start|> must all agree, so
// the ids must be identical. Also the ChatFormat's refusals of templates it cannot render.

#include "core/errors.h"
#include "core/pipeline/prompt_tokens.h"

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace cosmos3;
using Json = nlohmann::json;

namespace {

pipeline::PromptOptions options_from(const Json& json) {
  pipeline::PromptOptions options;
  options.num_frames = json["num_frames"].get<int>();
  options.height = json["height"].get<int>();
  options.width = json["width"].get<int>();
  options.fps = json["fps"].get<double>();
  options.use_system_prompt = json.value("use_system_prompt", true);
  options.add_resolution_template = json.value("add_resolution_template", true);
  options.add_duration_template = json.value("add_duration_template", true);
  return options;
}

std::filesystem::path write_file(const QTemporaryDir& dir, const std::string& name,
                                 const std::string& contents) {
  const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / name;
  std::ofstream(path) << contents;
  return path;
}

}  // namespace

class PromptTokensTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void idsMatchReference() {
    const pipeline::PromptTokenizer tokenizer =
        pipeline::PromptTokenizer::load(COSMOS3_QWEN3_TOKENIZER_DIR);
    std::ifstream input(std::string(COSMOS3_TEST_DATA_DIR) + "/prompt_tokens.json");
    const Json cases = Json::parse(input);
    QVERIFY(cases.size() >= 40);
    size_t num_tokens = 0;
    for (const Json& entry : cases) {
      const pipeline::PromptOptions options = options_from(entry["options"]);
      const std::string negative =
          entry["negative_prompt"].is_null() ? "" : entry["negative_prompt"].get<std::string>();
      const auto cond = tokenizer.tokenize(
          pipeline::conditional_conversation(entry["prompt"].get<std::string>(), options));
      const auto uncond =
          tokenizer.tokenize(pipeline::unconditional_conversation(negative, options));
      QCOMPARE(cond, entry["cond_ids"].get<std::vector<int64_t>>());
      QCOMPARE(uncond, entry["uncond_ids"].get<std::vector<int64_t>>());
      num_tokens += cond.size() + uncond.size();
    }
    qInfo("%zu cases, %zu tokens equal the reference", cases.size(), num_tokens);
  }

  void qwen2StyleTemplateAddsItsDefaultSystemTurn() {
    const text::ChatFormat format = text::ChatFormat::from_template(
        "{% if messages[0]['role'] != 'system' %}<|im_start|>system\nYou are a helpful "
        "assistant.<|im_end|>\n{% endif %}...<|im_start|>...<|im_end|>",
        "<|im_end|>", "test template");
    const std::vector<text::ChatMessage> messages{{"user", "hi"}};
    QCOMPARE(format.render(messages, true),
             std::string("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                         "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"));
  }

  void nonChatmlTemplateIsRefusedByName() {
    QTemporaryDir dir;
    const auto path =
        write_file(dir, "tokenizer_config.json",
                   R"({"eos_token": "</s>", "chat_template": "[INST] {{ m }} [/INST]"})");
    try {
      text::ChatFormat::from_tokenizer_config(path);
      QFAIL("a non-ChatML template was accepted");
    } catch (const ConfigError& error) {
      const QString message = error.what();
      QVERIFY2(message.contains("tokenizer_config.json") && message.contains("ChatML"),
               error.what());
    }
  }

  void missingTemplateAndEosAreNamed() {
    QTemporaryDir dir;
    const auto no_template = write_file(dir, "tokenizer_config.json", R"({"eos_token": "x"})");
    QVERIFY_THROWS_EXCEPTION(ConfigError, text::ChatFormat::from_tokenizer_config(no_template));
    const auto no_eos =
        write_file(dir, "tokenizer_config.json", R"({"chat_template": "<|im_start|><|im_end|>"})");
    try {
      text::ChatFormat::from_tokenizer_config(no_eos);
      QFAIL("a config without eos_token was accepted");
    } catch (const ConfigError& error) {
      QVERIFY2(QString(error.what()).contains("eos_token"), error.what());
    }
  }

  void templateBesideTheConfigIsUsed() {
    QTemporaryDir dir;
    const auto config =
        write_file(dir, "tokenizer_config.json", R"({"eos_token": {"content": "<|im_end|>"}})");
    write_file(dir, "chat_template.jinja", "<|im_start|>{{ role }}<|im_end|>");
    const text::ChatFormat format = text::ChatFormat::from_tokenizer_config(config);
    QCOMPARE(format.eos_token(), std::string("<|im_end|>"));
  }
};

QTEST_APPLESS_MAIN(PromptTokensTest)
#include "tst_prompt_tokens.moc"
