// Bad VAE configs, checkpoints and inputs: each fails with a typed error naming the file, the
// field or tensor, and what is accepted.

#include "core/errors.h"
#include "core/safetensors/safetensors_file.h"
#include "core/safetensors/writer.h"
#include "core/vae/wan_vae.h"
#include "tests/test_support.h"
#include "vae_test_support.h"

#include <ATen/ops/randn.h>
#include <ATen/ops/zeros.h>
#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace cosmos3;
namespace fs = std::filesystem;
using cosmos3::test::contains_all;

class VaeErrorsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir scratch_;
  fs::path model_;

  fs::path vae_dir() const { return model_ / "vae"; }
  fs::path weights_file() const { return vae_dir() / "diffusion_pytorch_model.safetensors"; }
  fs::path config_file() const { return vae_dir() / "config.json"; }

  template <typename Edit>
  void edit_config(Edit&& edit) {
    std::ifstream input(config_file());
    nlohmann::json config = nlohmann::json::parse(input);
    input.close();
    edit(config);
    std::ofstream(config_file()) << config.dump(2);
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

  std::string load_error(vae::VaeParts parts = vae::VaeParts::kEncoderAndDecoder) {
    return test::error_message_of<UserError>(
        [&] { vae::WanVae::load(model_, at::kFloat, c10::kCPU, parts); });
  }

 private Q_SLOTS:
  void init() {
    model_ = fs::path(scratch_.path().toStdString()) / "model";
    fs::remove_all(model_);
    fs::create_directories(model_);
    const fs::path golden(test::vae_golden_dir());
    fs::copy(golden / "model_index.json", model_ / "model_index.json");
    fs::copy(golden / "vae", vae_dir(), fs::copy_options::recursive);
  }

  void copiedCheckpointLoads() { vae::WanVae::load(model_, at::kFloat, c10::kCPU); }

  void wan21LayoutIsRefused() {
    edit_config([](nlohmann::json& config) { config["is_residual"] = false; });
    QVERIFY(contains_all(load_error(), {"config.json", "'is_residual'", "Wan2.1", "true"}));
  }

  void missingResidualFlagMeansWan21() {
    edit_config([](nlohmann::json& config) { config.erase("is_residual"); });
    QVERIFY(contains_all(load_error(), {"config.json", "'is_residual'"}));
  }

  void wrongClassIsRefused() {
    edit_config([](nlohmann::json& config) { config["_class_name"] = "AutoencoderKL"; });
    QVERIFY(contains_all(load_error(), {"config.json", "'_class_name'", "AutoencoderKLWan"}));
  }

  void normalisationMustMatchLatentChannels() {
    edit_config([](nlohmann::json& config) { config["latents_std"].erase(0); });
    QVERIFY(contains_all(load_error(), {"config.json", "'latents_std'", "z_dim (48)", "got 47"}));
  }

  void scaleFactorsMustMatchLayout() {
    edit_config([](nlohmann::json& config) { config["scale_factor_spatial"] = 8; });
    QVERIFY(contains_all(load_error(), {"'scale_factor_spatial'", "is 8", "16"}));
  }

  void temporalFlagsMustMatchLevels() {
    edit_config([](nlohmann::json& config) { config["temperal_downsample"].push_back(true); });
    QVERIFY(contains_all(load_error(), {"'temperal_downsample'", "got 4"}));
  }

  void wrongTypeIsNamed() {
    edit_config([](nlohmann::json& config) { config["z_dim"] = "forty-eight"; });
    QVERIFY(contains_all(load_error(), {"'z_dim'", "wrong type"}));
  }

  void missingConfig() {
    fs::remove(config_file());
    QVERIFY(contains_all(load_error(), {"config.json", "cannot open"}));
  }

  void missingTensor() {
    const std::string name = "decoder.up_blocks.1.upsampler.time_conv.weight";
    rewrite_weights([&](auto& tensors) {
      std::erase_if(tensors, [&](const auto& entry) { return entry.first == name; });
    });
    QVERIFY(contains_all(load_error(), {name, "diffusion_pytorch_model.safetensors", "missing"}));
  }

  void missingEncoderTensorIsFineForDecoderOnly() {
    const std::string name = "encoder.conv_in.weight";
    rewrite_weights([&](auto& tensors) {
      std::erase_if(tensors, [&](const auto& entry) { return entry.first == name; });
    });
    QVERIFY(contains_all(load_error(), {name, "missing"}));
    const vae::WanVae decoder_only =
        vae::WanVae::load(model_, at::kFloat, c10::kCPU, vae::VaeParts::kDecoderOnly);
    const std::string encode_error = test::error_message_of<UserError>([&] {
      decoder_only.encode(at::zeros({1, 3, 1, 16, 16}));
    });
    QVERIFY(contains_all(encode_error, {"without its encoder"}));
  }

  void misShapedTensor() {
    const std::string name = "encoder.mid_block.attentions.0.norm.gamma";
    rewrite_weights([&](auto& tensors) {
      for (auto& [tensor_name, tensor] : tensors) {
        if (tensor_name == name) {
          tensor = tensor.reshape({-1, 1, 1, 1});
        }
      }
    });
    QVERIFY(contains_all(load_error(), {name, "diffusion_pytorch_model.safetensors",
                                        "[64, 1, 1, 1]", "[64, 1, 1]"}));
  }

  void badInputShapes() {
    const vae::WanVae vae = vae::WanVae::load(model_, at::kFloat, c10::kCPU);
    QVERIFY(contains_all(test::error_message_of<UserError>([&] {
                           vae.decode(at::randn({1, 16, 2, 4, 4}));
                         }),
                         {"latents must be [B, 48", "[1, 16, 2, 4, 4]"}));
    QVERIFY(contains_all(test::error_message_of<UserError>([&] {
                           vae.encode(at::randn({1, 3, 6, 32, 32}));
                         }),
                         {"1 + 4k frames", "[1, 3, 6, 32, 32]"}));
    QVERIFY(contains_all(test::error_message_of<UserError>([&] {
                           vae.encode(at::randn({1, 3, 5, 24, 32}));
                         }),
                         {"multiples of 16", "[1, 3, 5, 24, 32]"}));
    QVERIFY(contains_all(test::error_message_of<UserError>([&] {
                           vae.encode_chunked(at::randn({1, 3, 5, 32, 32}), 6);
                         }),
                         {"frames_per_chunk", "multiple of 4", "got 6"}));
  }
};

QTEST_GUILESS_MAIN(VaeErrorsTest)
#include "tst_vae_errors.moc"
