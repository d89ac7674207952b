// Temporal chunking: longer chunks must give what the reference's one-latent-frame-at-a-time
// decode (and first-frame-then-4-frames encode) gives, and the decode must be causal.
//
// The maths is the same whatever the chunking, but not the bits: a conv over a longer time
// axis may block its fp32 reduction differently. Measured on the development machine: decode
// and encode differ by at most 8.2e-7 (about 7 ulps at the output scale of 1); the causal
// first frame is bit-identical. Bound: 1e-5 * (1 + max |reference|), about 100 ulps, as in the
// golden test. Each test logs whether the results were bit-identical.

#include "core/vae/wan_vae.h"
#include "vae_test_support.h"

#include <ATen/ops/equal.h>

#include <QtTest/QtTest>

#include <utility>
#include <vector>

using namespace cosmos3;
using namespace cosmos3::test;

namespace {

constexpr double kChunkingTolerance = 1e-5;

bool same_within_tolerance(const char* what, const at::Tensor& chunked,
                           const at::Tensor& reference) {
  if (chunked.sizes() != reference.sizes()) {
    qWarning("%s: shapes differ", what);
    return false;
  }
  const double error = max_abs_difference(chunked, reference);
  qInfo("%s: %s (max abs difference %.3g)", what,
        at::equal(chunked, reference) ? "bit-identical" : "not bit-identical", error);
  return error <= kChunkingTolerance * (1 + max_abs(reference));
}

}  // namespace

class VaeChunkingTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    vae_ = std::make_unique<vae::WanVae>(
        vae::WanVae::load(vae_golden_dir(), at::kFloat, c10::Device(c10::kCPU)));
  }

  void decodeChunkedMatchesFramewise_data() {
    QTest::addColumn<int>("frames_per_chunk");
    QTest::newRow("2 latent frames") << 2;
    QTest::newRow("longer than the clip") << 8;
  }

  void decodeChunkedMatchesFramewise() {
    QFETCH(int, frames_per_chunk);
    const at::Tensor latents = vae_case_tensor("decode_video", "input");
    const at::Tensor framewise = vae_->decode(latents);
    const at::Tensor chunked = vae_->decode_chunked(latents, frames_per_chunk);
    QVERIFY(same_within_tolerance("decode", chunked, framewise));
  }

  void encodeChunkedMatchesReferenceChunks() {
    const at::Tensor pixels = vae_case_tensor("encode_video", "input");
    const at::Tensor reference_chunks = vae_->encode(pixels);
    const at::Tensor chunked = vae_->encode_chunked(pixels, 8);
    QVERIFY(same_within_tolerance("encode", chunked, reference_chunks));
  }

  // The decoder is causal: a clip's first frame depends only on its first latent frame.
  void firstFrameDependsOnlyOnFirstLatent() {
    const at::Tensor latents = vae_case_tensor("decode_video", "input");
    const at::Tensor video = vae_->decode(latents);
    const at::Tensor image = vae_->decode(latents.narrow(2, 0, 1));
    QCOMPARE(image.size(2), int64_t{1});
    QVERIFY(same_within_tolerance("first frame", video.narrow(2, 0, 1), image));
  }

  void progressReportsEveryChunk() {
    const at::Tensor latents = vae_case_tensor("decode_video", "input");
    std::vector<std::pair<int64_t, int64_t>> decode_calls;
    vae_->decode(latents,
                 [&](int64_t done, int64_t total) { decode_calls.emplace_back(done, total); });
    QCOMPARE(decode_calls, (std::vector<std::pair<int64_t, int64_t>>{{1, 3}, {2, 3}, {3, 3}}));

    std::vector<std::pair<int64_t, int64_t>> encode_calls;
    vae_->encode(vae_case_tensor("encode_video", "input"),
                 [&](int64_t done, int64_t total) { encode_calls.emplace_back(done, total); });
    QCOMPARE(encode_calls, (std::vector<std::pair<int64_t, int64_t>>{{1, 9}, {5, 9}, {9, 9}}));
  }

 private:
  std::unique_ptr<vae::WanVae> vae_;
};

QTEST_GUILESS_MAIN(VaeChunkingTest)
#include "tst_vae_chunking.moc"
