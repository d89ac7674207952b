// Bad checkpoints and configs: each fails at load time with an error naming the file, the
// tensor or field, and the problem.

#include "core/errors.h"
#include "core/model/transformer.h"
#include "core/safetensors/safetensors_file.h"
#include "core/safetensors/writer.h"
#include "tests/test_support.h"

#include <ATen/ops/to.h>

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace cosmos3;
namespace fs = std::filesystem;
using cosmos3::test::contains_all;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream input(path);
  std::stringstream text;
  text << input.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

class TransformerCheckpointErrorsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir scratch_;
  fs::path model_;

  fs::path weights_file() const {
    return model_ / "transformer" / "diffusion_pytorch_model.safetensors";
  }

  // Rewrites the weights file through `edit`, which may drop or replace tensors.
  template <typename Edit>
  void rewrite_weights(Edit&& edit) {
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    {
      const safetensors::SafetensorsFile file(weights_file());
      for (const std::string& name : file.tensor_names()) {
        tensors.emplace_back(name, file.load(name));
      }
    }
    edit(tensors);
    safetensors::write_file(weights_file(), tensors);
  }

  std::string load_error() {
    return test::error_message_of<UserError>(
        [&] { model::Transformer::load(model_, at::kFloat, c10::kCPU); });
  }

 private Q_SLOTS:
  void init() {
    model_ = fs::path(scratch_.path().toStdString()) / "nano";
    fs::remove_all(model_);
    fs::copy(std::string(COSMOS3_TEST_DATA_DIR) + "/transformer/nano", model_,
             fs::copy_options::recursive);
  }

  void copiedCheckpointLoads() { model::Transformer::load(model_, at::kFloat, c10::kCPU); }

  void truncatedWeights() {
    fs::resize_file(weights_file(), fs::file_size(weights_file()) - 100);
    QVERIFY(contains_all(load_error(), {"diffusion_pytorch_model.safetensors", "truncated"}));
  }

  void missingTensor() {
    rewrite_weights([](auto& tensors) {
      std::erase_if(tensors, [](const auto& named) {
        return named.first == "layers.1.mlp_moe_gen.up_proj.weight";
      });
    });
    QVERIFY(contains_all(load_error(), {"layers.1.mlp_moe_gen.up_proj.weight", "missing"}));
  }

  void lmHeadIsNotNeeded() {
    rewrite_weights([](auto& tensors) {
      std::erase_if(tensors, [](const auto& named) { return named.first == "lm_head.weight"; });
    });
    model::Transformer::load(model_, at::kFloat, c10::kCPU);
  }

  void wrongDtype() {
    rewrite_weights([](auto& tensors) {
      for (auto& [name, tensor] : tensors) {
        if (name == "norm_moe_gen.weight") {
          tensor = tensor.to(at::kLong);
        }
      }
    });
    QVERIFY(contains_all(load_error(), {"norm_moe_gen.weight", "dtype Long", "F32, BF16 or F16"}));
  }

  void shapeDisagreesWithConfig() {
    const fs::path config = model_ / "transformer" / "config.json";
    std::string text = read_text(config);
    text.replace(text.find("\"intermediate_size\": 96"), 23, "\"intermediate_size\": 100");
    write_text(config, text);
    QVERIFY(contains_all(load_error(), {"layers.0.mlp.gate_proj.weight", "has shape [96, 64]",
                                        "implies [100, 64]", "different models"}));
  }

  void notADiffusersFolder() {
    QTemporaryDir empty;
    QVERIFY(contains_all(test::error_message_of<ConfigError>([&] {
                           model::Transformer::load(empty.path().toStdString(), at::kFloat,
                                                    c10::kCPU);
                         }),
                         {"not a diffusers folder", "model_index.json"}));
  }

  void invalidConfigs_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << "{\"hidden_size\": "
                              << "not a JSON object";
    QTest::newRow("activation") << R"({"hidden_act": "gelu"})"
                                << "'hidden_act' is 'gelu'";
    QTest::newRow("kv heads") << R"({"num_attention_heads": 4, "num_key_value_heads": 3})"
                              << "num_key_value_heads' (3) must divide num_attention_heads (4)";
    QTest::newRow("rope sections") << R"({"rope_axes_dim": [24, 20, 21]})"
                                   << "sections must sum to head_dim / 2 (64)";
    QTest::newRow("wrong type") << R"({"hidden_size": "big"})"
                                << "'hidden_size' has value \"big\"";
    QTest::newRow("patch dim") << R"({"patch_latent_dim": 100})"
                               << "latent_channel x latent_patch_size^2 is 192";
    QTest::newRow("sound dim") << R"({"sound_gen": true})"
                               << "'sound_dim' must be positive";
  }

  void invalidConfigs() {
    QFETCH(QString, json);
    QFETCH(QString, expected);
    const std::string message = test::error_message_of<ConfigError>(
        [&] { model::parse_transformer_config(json.toStdString(), "config.json"); });
    QVERIFY(contains_all(message, {"config.json", expected.toStdString()}));
  }

  void realFamilyDefaultsParse() {
    const model::TransformerConfig nano = model::parse_transformer_config("{}", "config.json");
    QCOMPARE(nano.query_width(), 4096);
    const model::TransformerConfig edge = model::parse_transformer_config(
        R"({"hidden_size": 2048, "num_attention_heads": 16, "hidden_act": "relu2",
            "qk_norm_for_text": false, "use_und_k_norm_for_gen": true,
            "rope_scaling": {"mrope_section": [24, 20, 20]}, "rope_axes_dim": null})",
        "config.json");
    QVERIFY(edge.uses_nemotron_norm());
    QVERIFY(edge.has_und_k_norm_for_gen());
  }
};

QTEST_APPLESS_MAIN(TransformerCheckpointErrorsTest)
#include "tst_transformer_checkpoint_errors.moc"
