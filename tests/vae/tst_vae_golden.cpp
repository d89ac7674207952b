// The VAE against diffusers' AutoencoderKLWan on a tiny random model with the Cosmos3 (Wan2.2)
// flags (tools/make_vae_golden.py): decode and encode, video and single image, fp32 and bf16,
// normalised as Cosmos3OmniPipeline normalises.
//
// Tolerances. Measured on the development machine's CPU: bit-identical to the reference in
// fp32 and bf16 (max abs error 0), as we link the same libtorch and follow its op order and
// casts. The bounds leave room for what can legitimately differ elsewhere: we pad space inside
// the convs rather than copying a padded tensor first, and another CPU (or oneDNN ISA path)
// may block a conv's reduction differently for the two layouts, reordering fp32 sums of up to
// 27 * C terms across ~40 stacked convs.
// fp32: max |ours - reference| <= 1e-5 * (1 + max |reference|), about 100 ulps of the output
// scale, far below any real mistake (a misplaced weight moves outputs by O(0.1)).
// bf16: relative L2 error <= 3e-2, both to the reference's own bf16 run and to its fp32
// output. One bf16 rounding is 3.9e-3 relative; ~40 convs and norms accumulate a few times
// that (the reference's bf16 run is itself 0.6e-2 to 1.4e-2 from its fp32 run), and a
// differently ordered bf16 sum can round either way at every layer.

#include "core/vae/wan_vae.h"
#include "vae_test_support.h"

#include <QtTest/QtTest>

using namespace cosmos3;
using namespace cosmos3::test;

namespace {

constexpr double kFp32Tolerance = 1e-5;
constexpr double kBf16RelativeTolerance = 3e-2;

at::Tensor run(const vae::WanVae& vae, const std::string& case_name) {
  const at::Tensor input = vae_case_tensor(case_name, "input");
  return case_name.starts_with("decode") ? vae.decode(input) : vae.encode(input);
}

}  // namespace

class VaeGoldenTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    fp32_ = std::make_unique<vae::WanVae>(
        vae::WanVae::load(vae_golden_dir(), at::kFloat, c10::Device(c10::kCPU)));
    bf16_ = std::make_unique<vae::WanVae>(
        vae::WanVae::load(vae_golden_dir(), at::kBFloat16, c10::Device(c10::kCPU)));
  }

  void configReadFromCheckpoint() {
    const vae::VaeConfig& config = fp32_->config();
    QCOMPARE(config.z_dim, int64_t{48});
    QCOMPARE(config.patch_size, int64_t{2});
    QCOMPARE(config.scale_factor_spatial, int64_t{16});
    QCOMPARE(config.scale_factor_temporal, int64_t{4});
    QVERIFY(config.is_residual);
    QCOMPARE(config.decoder_dims(), (std::vector<int64_t>{96, 96, 96, 48, 24}));
    QCOMPARE(config.encoder_dims(), (std::vector<int64_t>{16, 16, 32, 64, 64}));
  }

  void matchesReferenceFp32_data() {
    QTest::addColumn<QString>("case_name");
    for (const char* name : {"decode_video", "decode_image", "encode_video", "encode_image"}) {
      QTest::addRow("%s", name) << QString(name);
    }
  }

  void matchesReferenceFp32() {
    QFETCH(QString, case_name);
    const std::string name = case_name.toStdString();
    const at::Tensor actual = run(*fp32_, name);
    const at::Tensor expected = vae_case_tensor(name, "fp32");
    QCOMPARE(actual.sizes().vec(), expected.sizes().vec());
    QCOMPARE(actual.scalar_type(), at::kFloat);
    QVERIFY(max_abs(expected) > 0);
    const double error = max_abs_difference(actual, expected);
    qInfo("%s fp32: max abs error %.3g, relative L2 error %.3g (max |ref| %.3g)", name.c_str(),
          error, relative_error(actual, expected), max_abs(expected));
    QVERIFY2(error <= kFp32Tolerance * (1 + max_abs(expected)), "fp32 output off the reference");
  }

  void matchesReferenceBf16_data() { matchesReferenceFp32_data(); }

  void matchesReferenceBf16() {
    QFETCH(QString, case_name);
    const std::string name = case_name.toStdString();
    const at::Tensor actual = run(*bf16_, name);
    QCOMPARE(actual.scalar_type(), at::kBFloat16);
    const double to_reference_bf16 = relative_error(actual, vae_case_tensor(name, "bf16"));
    const double to_fp32 = relative_error(actual, vae_case_tensor(name, "fp32"));
    qInfo("%s bf16: relative L2 error %.3g to the reference's bf16 run, %.3g to fp32", name.c_str(),
          to_reference_bf16, to_fp32);
    QVERIFY(to_reference_bf16 <= kBf16RelativeTolerance);
    QVERIFY(to_fp32 <= kBf16RelativeTolerance);
  }

  void decodedPixelsAreClamped() {
    const at::Tensor pixels = run(*fp32_, "decode_video");
    QVERIFY(max_abs(pixels) <= 1.0);
  }

 private:
  std::unique_ptr<vae::WanVae> fp32_;
  std::unique_ptr<vae::WanVae> bf16_;
};

QTEST_GUILESS_MAIN(VaeGoldenTest)
#include "tst_vae_golden.moc"
