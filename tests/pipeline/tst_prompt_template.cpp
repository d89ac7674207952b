// Prompt templates against the conversations the reference's tokenize_prompt builds
// (tools/make_prompt_golden.py): every string must be identical.

#include "core/pipeline/prompt_template.h"

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace cosmos3::pipeline;
using Json = nlohmann::json;

namespace {

Conversation expected_conversation(const Json& messages) {
  Conversation conversation;
  for (const Json& message : messages) {
    if (message["role"] == "system") {
      conversation.system = message["content"].get<std::string>();
    } else {
      conversation.user = message["content"].get<std::string>();
    }
  }
  return conversation;
}

PromptOptions options_from(const Json& json) {
  PromptOptions options;
  options.num_frames = json["num_frames"].get<int>();
  options.height = json["height"].get<int>();
  options.width = json["width"].get<int>();
  options.fps = json["fps"].get<double>();
  options.use_system_prompt = json.value("use_system_prompt", true);
  options.add_resolution_template = json.value("add_resolution_template", true);
  options.add_duration_template = json.value("add_duration_template", true);
  return options;
}

std::string describe(const Conversation& conversation) {
  return "system=" + conversation.system.value_or("<none>") + " | user=" + conversation.user;
}

}  // namespace

class PromptTemplateTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void matchesReference() {
    std::ifstream input(std::string(COSMOS3_TEST_DATA_DIR) + "/prompts.json");
    const Json cases = Json::parse(input);
    QVERIFY(cases.size() >= 40);
    for (const Json& entry : cases) {
      const PromptOptions options = options_from(entry["options"]);
      const Conversation cond =
          conditional_conversation(entry["prompt"].get<std::string>(), options);
      const std::string negative =
          entry["negative_prompt"].is_null() ? "" : entry["negative_prompt"].get<std::string>();
      const Conversation uncond = unconditional_conversation(negative, options);
      const Conversation expected_cond = expected_conversation(entry["cond"]);
      const Conversation expected_uncond = expected_conversation(entry["uncond"]);
      QVERIFY2(cond == expected_cond,
               (describe(cond) + "\n  expected " + describe(expected_cond)).c_str());
      QVERIFY2(uncond == expected_uncond,
               (describe(uncond) + "\n  expected " + describe(expected_uncond)).c_str());
    }
    qInfo("%zu prompt/option cases equal the reference", cases.size());
  }
};

QTEST_APPLESS_MAIN(PromptTemplateTest)
#include "tst_prompt_template.moc"
