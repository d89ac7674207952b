// The sound tokenizer's decoder against diffusers' Cosmos3AVAEAudioTokenizer.decode on tiny
// random models (tools/make_sound_golden.py): the offline config of diffusers' own tests (whose
// weights also hold an encoder), a decoder-only one with odd strides, and one with a stated
// hop_size; latent lengths 1, 7 and 13.
//
// Tolerance, fp32: max |ours - reference| <= 1e-5. Measured on the development machine's CPU:
// bit-identical (max abs error 0), since we link the same libtorch and run the reference's ops
// in its order (weight norm folded by the same kernel it uses). The bound leaves room for
// another CPU blocking a conv's reduction differently: at most 7 * 2 * 96 fp32 terms per sum
// through ~20 convs on outputs of size <= 1 put such noise near 1e-6; a misplaced weight or a
// wrong padding moves outputs by O(0.1).

#include "core/safetensors/checkpoint.h"
#include "core/sound/sound_decoder.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/max.h>

#include <QtTest/QtTest>

using namespace cosmos3;

namespace {

constexpr double kFp32Tolerance = 1e-5;

std::string golden_dir(const std::string& config_name) {
  return std::string(COSMOS3_TEST_DATA_DIR) + "/sound/" + config_name;
}

at::Tensor case_tensor(const std::string& config_name, int64_t length, const std::string& name) {
  const safetensors::Checkpoint file(golden_dir(config_name) + "_decode_" + std::to_string(length) +
                                     ".safetensors");
  return file.load(name);
}

double max_abs(const at::Tensor& tensor) { return at::abs(tensor).max().item<double>(); }

}  // namespace

class SoundDecoderGoldenTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void matchesReferenceFp32_data() {
    QTest::addColumn<QString>("config_name");
    QTest::addColumn<qint64>("length");
    for (const char* config : {"diffusers_tiny", "odd_strides", "stated_hop"}) {
      for (const qint64 length : {1, 7, 13}) {
        QTest::addRow("%s T=%lld", config, static_cast<long long>(length))
            << QString(config) << length;
      }
    }
  }

  void matchesReferenceFp32() {
    QFETCH(QString, config_name);
    QFETCH(qint64, length);
    const std::string name = config_name.toStdString();
    const sound::SoundDecoder decoder =
        sound::SoundDecoder::load(golden_dir(name), at::kFloat, c10::Device(c10::kCPU));
    const at::Tensor latents = case_tensor(name, length, "input");
    const at::Tensor expected = case_tensor(name, length, "fp32");
    const at::Tensor actual = decoder.decode(latents);
    QCOMPARE(actual.sizes().vec(),
             (std::vector<int64_t>{2, length * decoder.config().upsampling_factor()}));
    QCOMPARE(actual.sizes().vec(), expected.sizes().vec());
    QCOMPARE(actual.scalar_type(), at::kFloat);
    QVERIFY(max_abs(expected) > 0);
    QVERIFY(max_abs(actual) <= 1.0);
    const double error = max_abs(actual - expected);
    qInfo("%s T=%lld: max abs error %.3g (max |ref| %.3g)", name.c_str(),
          static_cast<long long>(length), error, max_abs(expected));
    QVERIFY2(error <= kFp32Tolerance, "fp32 waveform off the reference");
  }

  void batchedLatentsDecodeLikeSingleOnes() {
    const sound::SoundDecoder decoder =
        sound::SoundDecoder::load(golden_dir("odd_strides"), at::kFloat, c10::Device(c10::kCPU));
    const at::Tensor latents = case_tensor("odd_strides", 7, "input");
    const at::Tensor batched = decoder.decode(latents.unsqueeze(0));
    QCOMPARE(batched.sizes().vec(), (std::vector<int64_t>{1, 2, 7 * 30}));
    QVERIFY(max_abs(batched.squeeze(0) - case_tensor("odd_strides", 7, "fp32")) <= kFp32Tolerance);
  }

  void configReadFromFolder() {
    const sound::SoundTokenizerConfig tiny =
        sound::load_sound_tokenizer_config(golden_dir("diffusers_tiny") + "/config.json");
    QCOMPARE(tiny.vocoder_input_dim, int64_t{4});
    QCOMPARE(tiny.hop_size, int64_t{4});
    QCOMPARE(tiny.sampling_rate, int64_t{16});
    QCOMPARE(tiny.decoder_dims(), (std::vector<int64_t>{8, 4, 4}));
    const sound::SoundTokenizerConfig odd =
        sound::load_sound_tokenizer_config(golden_dir("odd_strides") + "/config.json");
    QCOMPARE(odd.hop_size, int64_t{30});  // null: the product of the strides
    QCOMPARE(odd.decoder_dims(), (std::vector<int64_t>{18, 12, 6, 6}));
    const sound::SoundTokenizerConfig published = sound::cosmos3_reference_sound_tokenizer_config();
    QCOMPARE(published.hop_size, int64_t{1920});
    QCOMPARE(published.decoder_dims(), (std::vector<int64_t>{5120, 2560, 1280, 640, 320, 320}));
  }
};

QTEST_GUILESS_MAIN(SoundDecoderGoldenTest)
#include "tst_sound_decoder_golden.moc"
