// The attention kernels' CPU-testable parts: the e4m3 head-group quantization FlashAttention-3's
// FP8 path is fed with (its ATen path, the one the CUDA kernel reproduces), and the errors for a
// FlashAttention-3 library named by the user that cannot serve (run as separate ctest entries
// with COSMOS3_FA3_LIBRARY set, since the library is looked up once per process).

#include "core/errors.h"
#include "core/kernels/flash_attention3.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/amax.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/where.h>

#include <QtTest/QtTest>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

using namespace cosmos3;

class AttentionKernelsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // Each group of heads gets its own scale (amax / 448), so a loud group does not crush a quiet
  // one, and every value comes back within e4m3's rounding: a relative step of 2^-4 for normal
  // numbers, and the smallest subnormal step (2^-9 times the descale) near zero.
  void head_groups_are_scaled_apart_and_round_trip() {
    constexpr int64_t kRows = 64, kHeads = 8, kHeadDim = 16, kGroups = 2;
    at::manual_seed(3);
    const at::Tensor loudness = at::where(at::arange(kHeads) < kHeads / kGroups, 1.0, 100.0);
    const at::Tensor x_SHD =
        (at::randn({kRows, kHeads, kHeadDim}) * loudness.view({1, kHeads, 1})).to(at::kBFloat16);
    const kernels::QuantizedHeads quantized = kernels::quantize_head_groups_e4m3(x_SHD, kGroups);

    QCOMPARE(quantized.values_SHD.scalar_type(), at::kFloat8_e4m3fn);
    QCOMPARE(quantized.descale_1G.sizes().vec(), (std::vector<int64_t>{1, kGroups}));
    const at::Tensor x = x_SHD.to(at::kFloat).view({kRows, kGroups, kHeads / kGroups, kHeadDim});
    const at::Tensor amax_G = at::amax(at::abs(x), {0, 2, 3});
    const at::Tensor descale_G = quantized.descale_1G.squeeze(0);
    QVERIFY(at::allclose(descale_G, amax_G / 448.0, 1e-6, 0));
    QVERIFY(descale_G[1].item<double>() > 30 * descale_G[0].item<double>());

    const at::Tensor codes = quantized.values_SHD.to(at::kFloat).view(x.sizes());
    QCOMPARE(at::amax(at::abs(codes), {0, 2, 3}).min().item<double>(), 448.0);
    const at::Tensor restored = codes * descale_G.view({1, kGroups, 1, 1});
    const at::Tensor bound =
        at::abs(x) * std::ldexp(1.0, -4) + descale_G.view({1, kGroups, 1, 1}) * std::ldexp(1.0, -9);
    QVERIFY((at::abs(restored - x) <= bound).all().item<bool>());
  }

  // COSMOS3_FA3_LIBRARY names the library; one that does not load, or loads without
  // registering fa3_fwd::fwd, is a ConfigError naming the variable, the path and the fix.
  void named_library_that_cannot_serve_is_a_config_error() {
    const char* named = std::getenv("COSMOS3_FA3_LIBRARY");
    if (named == nullptr) QSKIP("run by ctest with COSMOS3_FA3_LIBRARY set");
    const std::string expected =
        std::filesystem::exists(named) ? "registers no fa3_fwd::fwd" : "cannot be loaded";
    try {
      kernels::flash_attention3_status();
      QFAIL("a library that cannot serve was accepted");
    } catch (const ConfigError& error) {
      const std::string message = error.what();
      QVERIFY2(message.find(std::string("COSMOS3_FA3_LIBRARY=") + named) != std::string::npos,
               message.c_str());
      QVERIFY2(message.find(expected) != std::string::npos, message.c_str());
    }
  }
};

QTEST_GUILESS_MAIN(AttentionKernelsTest)
#include "tst_attention_kernels.moc"
