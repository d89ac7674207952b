// The sequence layout against the reference's own _prepare_text_segment and
// _prepare_vision_segment (tools/make_layout_golden.py). Positions, indexes and dtypes must be
// identical: they are integers or float32 values computed by the same op sequence, and a
// single differing position would shift a token's rotary phase.

#include "core/model/transformer_io.h"
#include "core/pipeline/sequence_layout.h"
#include "core/safetensors/safetensors_file.h"

#include <ATen/ops/equal.h>

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>

using namespace cosmos3;

namespace {

std::string golden_dir() { return std::string(COSMOS3_TEST_DATA_DIR) + "/layout"; }

bool identical(const at::Tensor& actual, const at::Tensor& expected, const char* what) {
  const bool same = actual.scalar_type() == expected.scalar_type() &&
                    actual.sizes() == expected.sizes() && at::equal(actual, expected);
  if (!same) {
    qWarning("%s differs: got %s %s", what, c10::toString(actual.scalar_type()),
             c10::str(actual.sizes()).c_str());
  }
  return same;
}

}  // namespace

class SequenceLayoutTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void matchesReference_data() {
    QTest::addColumn<QString>("path");
    for (const auto& entry : std::filesystem::directory_iterator(golden_dir())) {
      QTest::addRow("%s", entry.path().stem().c_str())
          << QString::fromStdString(entry.path().string());
    }
  }

  void matchesReference() {
    QFETCH(QString, path);
    const safetensors::SafetensorsFile file(path.toStdString());
    const nlohmann::json json = nlohmann::json::parse(file.metadata().at("case"));
    const auto expected = model::load_named_tensors(path.toStdString());

    model::TransformerConfig config;
    config.enable_fps_modulation = json["enable_fps_modulation"].get<bool>();
    config.unified_3d_mrope_reset_spatial_ids = json["reset_spatial_ids"].get<bool>();
    const auto input_ids = json["input_ids"].get<std::vector<int64_t>>();

    const pipeline::TextSegment text = pipeline::prepare_text_segment(input_ids, config);
    QVERIFY(identical(text.input_ids, expected.at("text.input_ids"), "text input ids"));
    QVERIFY(identical(text.positions_3N, expected.at("text.positions"), "text positions"));
    QCOMPARE(text.vision_start_temporal_offset,
             expected.at("text.vision_start_temporal_offset").item<double>());

    const pipeline::VisionSegment vision = pipeline::prepare_vision_segment(
        json["latent_shape"].get<std::vector<int64_t>>(),
        json["condition_frames"].get<std::vector<int64_t>>(), text.vision_start_temporal_offset,
        json["fps"].get<double>(), text.und_len, config, /*vae_temporal_compression=*/4);
    const at::Tensor shape = expected.at("vision.token_shape");
    for (int64_t axis = 0; axis < 3; ++axis) {
      QCOMPARE(vision.token_shape[axis], shape[axis].item<int64_t>());
    }
    QVERIFY(identical(vision.sequence_indexes, expected.at("vision.sequence_indexes"),
                      "sequence indexes"));
    QVERIFY(
        identical(vision.mse_loss_indexes, expected.at("vision.mse_loss_indexes"), "mse indexes"));
    QVERIFY(identical(vision.noisy_frame_indexes, expected.at("vision.noisy_frame_indexes"),
                      "noisy frames"));
    QVERIFY(identical(vision.positions_3N, expected.at("vision.positions"), "vision positions"));
    QCOMPARE(vision.num_tokens, expected.at("vision.num_tokens").item<int64_t>());
    QCOMPARE(vision.num_noisy_tokens, expected.at("vision.num_noisy_tokens").item<int64_t>());
  }
};

QTEST_APPLESS_MAIN(SequenceLayoutTest)
#include "tst_sequence_layout.moc"
