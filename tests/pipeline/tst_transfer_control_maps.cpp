// Edge and blur control videos made from ordinary frames: edges are one pixel wide, on the
// outline of a bright square and nowhere else, follow weak gradients only where they grow from a
// strong edge pixel, and a flat picture has none; the blur keeps a flat picture as it is, keeps the
// total brightness of a dot and spreads it symmetrically, more with a larger sigma. Bad settings
// are refused with the accepted range.

#include "core/pipeline/generation_request.h"
#include "core/pipeline/transfer_control_maps.h"
#include "tests/test_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/full.h>
#include <ATen/ops/zeros.h>

#include <QtTest/QtTest>

using namespace cosmos3;
using test::contains_all;

namespace {

// One frame [1, H, W, 3] of `level` with a `value` square over rows/columns [from, to).
at::Tensor square_frame(int64_t size, int64_t from, int64_t to, int64_t level, int64_t value) {
  at::Tensor frame = at::full({1, size, size, 3}, level, at::kByte);
  frame.narrow(1, from, to - from).narrow(2, from, to - from).fill_(value);
  return frame;
}

int64_t count_on(const at::Tensor& mask) { return mask.sum().item<int64_t>(); }

}  // namespace

class TransferControlMapsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void edgesOutlineASquare() {
    const at::Tensor edges =
        pipeline::edge_control_frames(square_frame(32, 8, 24, 0, 255), {100, 200});
    QVERIFY(edges.sizes() == at::IntArrayRef({1, 32, 32, 3}));
    const at::Tensor on = edges.select(3, 0) > 0;
    // Every channel agrees: the map is white on black.
    QVERIFY(at::equal(edges.select(3, 0), edges.select(3, 2)));
    QVERIFY(count_on(on) > 0);
    // Nothing far from the outline: not inside, not in the background.
    QCOMPARE(count_on(on.narrow(1, 11, 10).narrow(2, 11, 10)), int64_t{0});
    QCOMPARE(count_on(on.narrow(1, 0, 5)), int64_t{0});
    // Thin: a row through the square crosses each vertical side in one pixel.
    QCOMPARE(count_on(on.select(1, 16)), int64_t{2});
    // The square's outline is closed: each side is found along its whole length.
    QCOMPARE(count_on(on.select(2, 16)), int64_t{2});
  }

  void weakEdgesNeedAStrongOne() {
    // A faint square: its sides' gradient (80) lies above 50, its corners' (up to 120) below 130.
    const at::Tensor faint = square_frame(32, 8, 24, 100, 120);
    const auto num_edge_pixels = [&](double low, double high) {
      return count_on(pipeline::edge_control_frames(faint, {low, high}).select(3, 0) > 0);
    };
    QCOMPARE(num_edge_pixels(100, 200), int64_t{0});
    // Sides above the low threshold are no edge without a strong pixel to grow from ...
    QCOMPARE(num_edge_pixels(50, 130), int64_t{0});
    // ... and become one when the corners start it.
    const int64_t grown = num_edge_pixels(50, 100);
    QVERIFY2(grown >= 4 * 14, qPrintable(QString::number(grown)));
    QCOMPARE(count_on(pipeline::edge_control_frames(at::full({2, 16, 16, 3}, 77, at::kByte),
                                                    {0, 0}) > 0),
             int64_t{0});
  }

  void blurSpreadsAndKeepsBrightness() {
    const at::Tensor flat = at::full({2, 16, 24, 3}, 90, at::kByte);
    QVERIFY(at::equal(pipeline::blur_control_frames(flat, {3.0}), flat));
    at::Tensor dot = at::zeros({1, 33, 33, 3}, at::kByte);
    dot.select(1, 16).select(1, 16).fill_(255);
    const at::Tensor narrow = pipeline::blur_control_frames(dot, {1.0}).to(at::kLong);
    const at::Tensor wide = pipeline::blur_control_frames(dot, {3.0}).to(at::kLong);
    // Rounding to 8 bits loses a little of the dot's 255 per channel.
    QVERIFY(std::abs(narrow.select(3, 0).sum().item<int64_t>() - 255) <= 15);
    QVERIFY(at::equal(narrow, narrow.flip({1})) && at::equal(narrow, narrow.flip({2})));
    QVERIFY(wide[0][16][16][0].item<int64_t>() < narrow[0][16][16][0].item<int64_t>());
    QVERIFY(count_on(wide.select(3, 0) > 0) > count_on(narrow.select(3, 0) > 0));
  }

  void refusesBadSettings() {
    const at::Tensor frame = square_frame(16, 4, 12, 0, 255);
    QVERIFY(contains_all(test::error_message_of<pipeline::RequestError>([&] {
                           pipeline::edge_control_frames(frame, {200, 100});
                         }),
                         {"edge thresholds 200,100", "0 <= LOW <= HIGH"}));
    QVERIFY(contains_all(test::error_message_of<pipeline::RequestError>(
                             [&] { pipeline::blur_control_frames(frame, {0.0}); }),
                         {"blur sigma 0 must be above 0"}));
  }
};

QTEST_APPLESS_MAIN(TransferControlMapsTest)
#include "tst_transfer_control_maps.moc"
