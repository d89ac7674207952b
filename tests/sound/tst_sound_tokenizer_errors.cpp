// A sound_tokenizer/ folder the decoder cannot run is refused before any decode, with a
// ConfigError naming the field (every switch the reference refuses, and lists that do not fit
// together) or a CheckpointError naming the tensor whose shape disagrees with the config.

#include "core/config/json_config_reader.h"
#include "core/errors.h"
#include "core/sound/sound_decoder.h"

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using namespace cosmos3;

namespace {

std::string golden_config_text() {
  return config::read_config_text(
      std::string(COSMOS3_TEST_DATA_DIR) + "/sound/odd_strides/config.json", "golden fixture");
}

std::string with_field(const std::string& field, const config::Json& value) {
  config::Json json = config::parse_json_object(golden_config_text(), "golden");
  json[field] = value;
  return json.dump();
}

QString config_error_of(const std::string& json_text) {
  try {
    sound::parse_sound_tokenizer_config(json_text, "sound_tokenizer/config.json");
  } catch (const ConfigError& error) {
    return QString::fromStdString(error.what());
  }
  return {};
}

}  // namespace

class SoundTokenizerErrorsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void goldenConfigIsAccepted() { QVERIFY(config_error_of(golden_config_text()).isEmpty()); }

  void unsupportedFieldIsNamed_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addRow("model_type") << "model_type"
                                << R"("autoencoder_v1")";
    QTest::addRow("enc_type") << "enc_type"
                              << R"("dac")";
    QTest::addRow("dec_type") << "dec_type"
                              << R"("hifigan")";
    QTest::addRow("bottleneck_type") << "bottleneck_type"
                                     << R"("rvq")";
    QTest::addRow("bottleneck") << "bottleneck"
                                << R"({"type": "rvq"})";
    QTest::addRow("activation") << "activation"
                                << R"("snake")";
    QTest::addRow("snake_logscale") << "snake_logscale"
                                    << "false";
    QTest::addRow("use_wav_as_input") << "use_wav_as_input"
                                      << "false";
    QTest::addRow("dec_use_snake") << "dec_use_snake"
                                   << "false";
    QTest::addRow("dec_final_tanh") << "dec_final_tanh"
                                    << "true";
    QTest::addRow("dec_anti_aliasing") << "dec_anti_aliasing"
                                       << "true";
    QTest::addRow("dec_use_nearest_upsample") << "dec_use_nearest_upsample"
                                              << "true";
    QTest::addRow("dec_use_tanh_at_final") << "dec_use_tanh_at_final"
                                           << "true";
    QTest::addRow("anti_aliasing") << "anti_aliasing"
                                   << "true";
    QTest::addRow("use_cuda_kernel") << "use_cuda_kernel"
                                     << "true";
    QTest::addRow("latent_mean") << "latent_mean"
                                 << "0.0";
    QTest::addRow("latent_std") << "latent_std"
                                << "[1.0, 2.0]";
    QTest::addRow("dec_c_mults") << "dec_c_mults"
                                 << "[1, 2]";
    QTest::addRow("dec_strides") << "dec_strides"
                                 << "[]";
    QTest::addRow("dec_dim") << "dec_dim"
                             << "0";
    QTest::addRow("hop_size") << "hop_size"
                              << "-4";
    QTest::addRow("_class_name") << "_class_name"
                                 << R"("AutoencoderOobleck")";
  }

  void unsupportedFieldIsNamed() {
    QFETCH(QString, field);
    QFETCH(QString, value);
    const QString message =
        config_error_of(with_field(field.toStdString(), config::Json::parse(value.toStdString())));
    QVERIFY2(message.contains("'" + field + "'"), qPrintable(message));
    QVERIFY2(message.contains("sound_tokenizer/config.json"), qPrintable(message));
  }

  void causalIsRefusedOnlyWithAnEncoder() {
    config::Json json = config::parse_json_object(golden_config_text(), "golden");
    json["causal"] = true;
    QVERIFY(config_error_of(json.dump()).isEmpty());  // the golden folder has no encoder
    json["encoder_enabled"] = true;
    QVERIFY(config_error_of(json.dump()).contains("'causal'"));
  }

  void weightsOfAnotherConfigNameTheTensor() {
    const std::filesystem::path folder =
        std::filesystem::path(QDir::tempPath().toStdString()) / "cosmos3-sound-mismatch";
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    const std::filesystem::path golden =
        std::filesystem::path(COSMOS3_TEST_DATA_DIR) / "sound" / "odd_strides";
    std::filesystem::copy_file(golden / "diffusion_pytorch_model.safetensors",
                               folder / "diffusion_pytorch_model.safetensors");
    std::ofstream(folder / "config.json") << with_field("dec_dim", 8);
    try {
      sound::SoundDecoder::load(folder, at::kFloat, c10::Device(c10::kCPU));
      QFAIL("weights of another width were accepted");
    } catch (const CheckpointError& error) {
      const QString message = error.what();
      QVERIFY2(message.contains("decoder.conv1.weight"), qPrintable(message));
      QVERIFY2(message.contains("sound_tokenizer/config.json"), qPrintable(message));
    }
    std::filesystem::remove_all(folder);
  }

  void folderWithoutConfigIsNamed() {
    try {
      sound::SoundDecoder::load("/nonexistent/sound_tokenizer", at::kFloat, c10::Device(c10::kCPU));
      QFAIL("a missing folder was accepted");
    } catch (const ConfigError& error) {
      QVERIFY(QString(error.what()).contains("/nonexistent/sound_tokenizer/config.json"));
    }
  }
};

QTEST_GUILESS_MAIN(SoundTokenizerErrorsTest)
#include "tst_sound_tokenizer_errors.moc"
