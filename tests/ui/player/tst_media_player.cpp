// The player widget on real files written by the media module's writers, driven with QTest key
// and mouse events in an offscreen window.
//
// Colour tolerance: each test video frame is one solid colour. H.264 at CRF 18 in yuv420p (the
// writer's settings) changes a flat colour only by the RGB -> limited-range YUV -> RGB rounding
// and a little quantisation (3 levels at most here, printed by arrowKeysStepExactlyOneFrame);
// 16 levels per channel is allowed for other FFmpeg and x264 builds. Any two palette colours
// differ by at least 190 levels in some channel, so a frame off by one never passes for another.

#include "media/image_writer.h"
#include "media/media_types.h"
#include "media/video_writer.h"
#include "ui/player/frame_position_text.h"
#include "ui/player/frame_view.h"
#include "ui/player/media_player_widget.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtTest/QtTest>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>

using namespace cosmos3;
using cosmos3::ui::MediaPlayerWidget;

namespace {

constexpr int kColourTolerance = 16;
constexpr int kNumColourFrames = 8;
constexpr double kColourFps = 12;
const QSize kColourSize(96, 64);

const std::array<QColor, kNumColourFrames> kPalette = {
    QColor(220, 30, 30),  QColor(30, 220, 30),  QColor(30, 30, 220),   QColor(220, 220, 30),
    QColor(30, 220, 220), QColor(220, 30, 220), QColor(240, 240, 240), QColor(20, 20, 20)};

std::vector<std::uint8_t> solid_rgb(QColor colour, int width, int height) {
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(width) * height * 3);
  for (std::size_t i = 0; i < rgb.size(); i += 3) {
    rgb[i] = static_cast<std::uint8_t>(colour.red());
    rgb[i + 1] = static_cast<std::uint8_t>(colour.green());
    rgb[i + 2] = static_cast<std::uint8_t>(colour.blue());
  }
  return rgb;
}

std::filesystem::path fs_path(const QString& path) {
  return std::filesystem::path(path.toStdString());
}

int colour_distance(QColor actual, QColor expected) {
  return std::max({std::abs(actual.red() - expected.red()),
                   std::abs(actual.green() - expected.green()),
                   std::abs(actual.blue() - expected.blue())});
}

bool near_colour(QColor actual, QColor expected) {
  return colour_distance(actual, expected) <= kColourTolerance;
}

QColor centre_pixel(const QImage& image) {
  return image.pixelColor(image.width() / 2, image.height() / 2);
}

}  // namespace

class TestMediaPlayer : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void init();
  void cleanup();

  void opensVideoWithItsCountFpsAndSize();
  void arrowKeysStepExactlyOneFrame();
  void stepButtonsStepExactlyOneFrame();
  void scrubSliderLandsOnTheFrame();
  void playStopsOnTheLastFrameWithoutLoop();
  void playWrapsWithLoop();
  void spaceTogglesPlay();
  void imageOpensAtFullResolution();
  void smallImageIsPaintedUnscaled();
  void unreadableFileFailsNamingIt();
  void fileOverTheFrameCapIsRefused();
  void newerPreviewSupersedesOlder();
  void openAfterPreviewLeavesPreviewMode();
  void clearDropsTheFrames();
  void longDecodeNeverBlocksTheUiThread();
  void positionTextCountsFromOne();

 private:
  QString write_colour_video(const QString& name, int num_frames) const;
  QString write_solid_image(const QString& name, QColor colour, QSize size) const;
  void open_and_wait(const QString& path);
  QColor expected_colour(int frame_index) const { return kPalette.at(frame_index); }

  QTemporaryDir dir_;
  QString colour_video_;
  QWidget* window_ = nullptr;
  MediaPlayerWidget* player_ = nullptr;
  QLineEdit* other_input_ = nullptr;
};

QString TestMediaPlayer::write_colour_video(const QString& name, int num_frames) const {
  media::VideoFrames video{kColourSize.width(), kColourSize.height(), kColourFps, {}};
  for (int k = 0; k < num_frames; ++k) {
    video.frames.push_back(
        solid_rgb(kPalette.at(k % kNumColourFrames), kColourSize.width(), kColourSize.height()));
  }
  const QString path = dir_.filePath(name);
  media::write_mp4(fs_path(path), video, nullptr, "");
  return path;
}

QString TestMediaPlayer::write_solid_image(const QString& name, QColor colour, QSize size) const {
  const QString path = dir_.filePath(name);
  media::write_image(fs_path(path), solid_rgb(colour, size.width(), size.height()), size.width(),
                     size.height());
  return path;
}

void TestMediaPlayer::initTestCase() {
  QVERIFY(dir_.isValid());
  colour_video_ = write_colour_video(QStringLiteral("colours.mp4"), kNumColourFrames);
}

void TestMediaPlayer::init() {
  window_ = new QWidget;
  auto* layout = new QVBoxLayout(window_);
  player_ = new MediaPlayerWidget(window_);
  other_input_ = new QLineEdit(window_);
  layout->addWidget(player_);
  layout->addWidget(other_input_);
  window_->resize(640, 480);
  window_->show();
  QVERIFY(QTest::qWaitForWindowExposed(window_));
  player_->setFocus();
}

void TestMediaPlayer::cleanup() {
  delete window_;
  window_ = nullptr;
}

void TestMediaPlayer::open_and_wait(const QString& path) {
  QSignalSpy loaded(player_, &MediaPlayerWidget::loaded);
  player_->open(path);
  QTRY_COMPARE(loaded.count(), 1);
  QCOMPARE(player_->state(), MediaPlayerWidget::State::Ready);
}

void TestMediaPlayer::opensVideoWithItsCountFpsAndSize() {
  QSignalSpy loaded(player_, &MediaPlayerWidget::loaded);
  QSignalSpy states(player_, &MediaPlayerWidget::stateChanged);
  player_->open(colour_video_);
  QCOMPARE(player_->state(), MediaPlayerWidget::State::Loading);
  QTRY_COMPARE(loaded.count(), 1);
  QCOMPARE(loaded.first().at(0).toInt(), kNumColourFrames);
  QCOMPARE(loaded.first().at(1).toDouble(), kColourFps);
  QCOMPARE(loaded.first().at(2).toSize(), kColourSize);
  QCOMPARE(player_->state(), MediaPlayerWidget::State::Ready);
  QCOMPARE(states.count(), 2);  // Loading, Ready
  QCOMPARE(player_->frameCount(), kNumColourFrames);
  QCOMPARE(player_->currentFrameIndex(), 0);
  QVERIFY(near_colour(centre_pixel(player_->currentImage()), expected_colour(0)));
  QCOMPARE(player_->findChild<QLabel*>(QStringLiteral("positionLabel"))->text(),
           QStringLiteral("frame 1 / 8, 00:00.00"));
}

void TestMediaPlayer::arrowKeysStepExactlyOneFrame() {
  open_and_wait(colour_video_);
  int worst_distance = colour_distance(centre_pixel(player_->currentImage()), expected_colour(0));
  for (int k = 1; k < kNumColourFrames; ++k) {
    QTest::keyClick(player_, Qt::Key_Right);
    QCOMPARE(player_->currentFrameIndex(), k);
    worst_distance = std::max(
        worst_distance, colour_distance(centre_pixel(player_->currentImage()), expected_colour(k)));
    QVERIFY2(near_colour(centre_pixel(player_->currentImage()), expected_colour(k)),
             qPrintable(QStringLiteral("frame %1 shows %2")
                            .arg(k)
                            .arg(centre_pixel(player_->currentImage()).name())));
  }
  qInfo("worst channel error of a frame's colour after H.264: %d levels", worst_distance);
  QTest::keyClick(player_, Qt::Key_Right);  // already on the last frame
  QCOMPARE(player_->currentFrameIndex(), kNumColourFrames - 1);
  QCOMPARE(player_->findChild<QLabel*>(QStringLiteral("positionLabel"))->text(),
           QStringLiteral("frame 8 / 8, 00:00.58"));
  for (int k = kNumColourFrames - 2; k >= 0; --k) {
    QTest::keyClick(player_, Qt::Key_Left);
    QCOMPARE(player_->currentFrameIndex(), k);
    QVERIFY(near_colour(centre_pixel(player_->currentImage()), expected_colour(k)));
  }
  QTest::keyClick(player_, Qt::Key_Left);
  QCOMPARE(player_->currentFrameIndex(), 0);
}

void TestMediaPlayer::stepButtonsStepExactlyOneFrame() {
  open_and_wait(colour_video_);
  auto* forward = player_->findChild<QToolButton*>(QStringLiteral("stepForwardButton"));
  auto* back = player_->findChild<QToolButton*>(QStringLiteral("stepBackButton"));
  QTest::mouseClick(forward, Qt::LeftButton);
  QTest::mouseClick(forward, Qt::LeftButton);
  QCOMPARE(player_->currentFrameIndex(), 2);
  QVERIFY(near_colour(centre_pixel(player_->currentImage()), expected_colour(2)));
  QTest::mouseClick(back, Qt::LeftButton);
  QCOMPARE(player_->currentFrameIndex(), 1);
  QVERIFY(near_colour(centre_pixel(player_->currentImage()), expected_colour(1)));
}

void TestMediaPlayer::scrubSliderLandsOnTheFrame() {
  open_and_wait(colour_video_);
  auto* slider = player_->findChild<QSlider*>(QStringLiteral("scrubSlider"));
  QCOMPARE(slider->maximum(), kNumColourFrames - 1);
  slider->setValue(5);  // what dragging the handle does, with tracking on
  QCOMPARE(player_->currentFrameIndex(), 5);
  QVERIFY(near_colour(centre_pixel(player_->currentImage()), expected_colour(5)));
  slider->triggerAction(QAbstractSlider::SliderSingleStepSub);
  QCOMPARE(player_->currentFrameIndex(), 4);
  QVERIFY(near_colour(centre_pixel(player_->currentImage()), expected_colour(4)));
  QTest::keyClick(player_, Qt::Key_Right);  // and the slider follows the frame
  QCOMPARE(slider->value(), 5);
}

void TestMediaPlayer::playStopsOnTheLastFrameWithoutLoop() {
  open_and_wait(colour_video_);
  QSignalSpy frames(player_, &MediaPlayerWidget::frameChanged);
  player_->play();
  QVERIFY(player_->isPlaying());
  QTRY_VERIFY(!player_->isPlaying());
  QCOMPARE(player_->currentFrameIndex(), kNumColourFrames - 1);
  QVERIFY(near_colour(centre_pixel(player_->currentImage()), expected_colour(7)));
  QCOMPARE(frames.count(), kNumColourFrames - 1);  // every frame in order, none skipped
  for (int i = 0; i < frames.count(); ++i) {
    QCOMPARE(frames.at(i).at(0).toInt(), i + 1);
  }
}

void TestMediaPlayer::playWrapsWithLoop() {
  open_and_wait(colour_video_);
  player_->setLooping(true);
  QVERIFY(player_->findChild<QToolButton*>(QStringLiteral("loopButton"))->isChecked());
  QSignalSpy frames(player_, &MediaPlayerWidget::frameChanged);
  player_->seek(kNumColourFrames - 2);
  player_->play();
  QTRY_VERIFY(frames.count() >= 4);
  QVERIFY(player_->isPlaying());
  QCOMPARE(frames.at(0).at(0).toInt(), kNumColourFrames - 2);
  QCOMPARE(frames.at(1).at(0).toInt(), kNumColourFrames - 1);
  QCOMPARE(frames.at(2).at(0).toInt(), 0);
  QCOMPARE(frames.at(3).at(0).toInt(), 1);
  player_->pause();
  QVERIFY(!player_->isPlaying());
}

void TestMediaPlayer::spaceTogglesPlay() {
  open_and_wait(colour_video_);
  QTest::keyClick(player_, Qt::Key_Space);
  QVERIFY(player_->isPlaying());
  QTRY_VERIFY(player_->currentFrameIndex() > 0);
  QTest::keyClick(player_, Qt::Key_Space);
  QVERIFY(!player_->isPlaying());
  const int paused_on = player_->currentFrameIndex();
  QTest::qWait(300);  // several frame periods at 12 fps
  QCOMPARE(player_->currentFrameIndex(), paused_on);
}

void TestMediaPlayer::imageOpensAtFullResolution() {
  // PNG is lossless: a gradient checks every pixel stayed where it was, at the file's size.
  const QSize size(1920, 1080);
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(size.width()) * size.height() * 3);
  for (int y = 0; y < size.height(); ++y) {
    for (int x = 0; x < size.width(); ++x) {
      std::uint8_t* pixel = rgb.data() + (static_cast<std::size_t>(y) * size.width() + x) * 3;
      pixel[0] = static_cast<std::uint8_t>(x % 256);
      pixel[1] = static_cast<std::uint8_t>(y % 256);
      pixel[2] = static_cast<std::uint8_t>((x + y) % 256);
    }
  }
  const QString path = dir_.filePath(QStringLiteral("gradient.png"));
  media::write_image(fs_path(path), rgb, size.width(), size.height());
  open_and_wait(path);
  QCOMPARE(player_->frameCount(), 1);
  const QImage shown = player_->currentImage();
  QCOMPARE(shown.size(), size);
  for (const QPoint point :
       {QPoint(0, 0), QPoint(1919, 1079), QPoint(1000, 500), QPoint(255, 17)}) {
    QCOMPARE(shown.pixelColor(point),
             QColor(point.x() % 256, point.y() % 256, (point.x() + point.y()) % 256));
  }
  // A still has nothing to play: the controls stay off.
  QVERIFY(!player_->findChild<QToolButton*>(QStringLiteral("playButton"))->isEnabled());
}

void TestMediaPlayer::smallImageIsPaintedUnscaled() {
  open_and_wait(write_solid_image(QStringLiteral("small.png"), Qt::red, QSize(120, 80)));
  auto* view = player_->findChild<ui::FrameView*>();
  QVERIFY(view->width() > 120 && view->height() > 80);
  QCOMPARE(view->image_rect().size(), QSize(120, 80));
  // A frame larger than the view is scaled down with its aspect ratio kept.
  open_and_wait(write_solid_image(QStringLiteral("wide.png"), Qt::blue, QSize(1600, 400)));
  const QRect fitted = view->image_rect();
  QVERIFY(fitted.width() <= view->width() && fitted.height() <= view->height());
  QVERIFY(std::abs(fitted.width() - 4 * fitted.height()) <= 4);
  QVERIFY(fitted.width() == view->width() || fitted.height() == view->height());
  // The painted pixels are the frame's: the view's centre is blue, its corner letterbox black.
  const QImage painted = view->grab().toImage();
  QVERIFY(near_colour(centre_pixel(painted), Qt::blue));
  QCOMPARE(painted.pixelColor(0, 0), QColor(Qt::black));
}

void TestMediaPlayer::unreadableFileFailsNamingIt() {
  const QString path = dir_.filePath(QStringLiteral("garbage.mp4"));
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  QByteArray garbage;
  for (int i = 0; i < 4096; ++i) {
    garbage.append(static_cast<char>((i * 7919) % 251));
  }
  file.write(garbage);
  file.close();
  QSignalSpy failed(player_, &MediaPlayerWidget::loadFailed);
  player_->open(path);
  QTRY_COMPARE(failed.count(), 1);
  QVERIFY2(failed.first().at(0).toString().contains(QStringLiteral("garbage.mp4")),
           qPrintable(failed.first().at(0).toString()));
  QCOMPARE(player_->state(), MediaPlayerWidget::State::Failed);
  QCOMPARE(player_->frameCount(), 0);
  QVERIFY(player_->currentImage().isNull());
}

void TestMediaPlayer::fileOverTheFrameCapIsRefused() {
  ui::MediaDecodeLimits limits;
  limits.max_frames = 5;
  player_->setDecodeLimits(limits);
  QSignalSpy failed(player_, &MediaPlayerWidget::loadFailed);
  player_->open(colour_video_);
  QTRY_COMPARE(failed.count(), 1);
  const QString message = failed.first().at(0).toString();
  QVERIFY2(message.contains(QStringLiteral("colours.mp4")) &&
               message.contains(QStringLiteral("more than 5 frames")),
           qPrintable(message));
  QCOMPARE(player_->state(), MediaPlayerWidget::State::Failed);
  // A byte budget under one 96x64 frame refuses it too, before decoding the rest.
  limits = {};
  limits.max_decoded_bytes = 96 * 64 * 3 * 3;
  player_->setDecodeLimits(limits);
  player_->open(colour_video_);
  QTRY_COMPARE(failed.count(), 2);
  QVERIFY(failed.at(1).at(0).toString().contains(QStringLiteral("more than 3 frames")));
}

void TestMediaPlayer::newerPreviewSupersedesOlder() {
  const QString older = write_solid_image(QStringLiteral("preview_a.jpg"), Qt::red, QSize(64, 64));
  const QString newer = write_solid_image(QStringLiteral("preview_b.jpg"), Qt::blue, QSize(64, 64));
  QSignalSpy shown(player_, &MediaPlayerWidget::previewShown);
  player_->setPreviewCaption(QStringLiteral("live preview, step 4"));
  player_->showPreview(older);
  player_->showPreview(newer);
  QCOMPARE(player_->state(), MediaPlayerWidget::State::Preview);
  QTRY_COMPARE(shown.count(), 1);
  QCOMPARE(shown.first().at(0).toString(), newer);
  QVERIFY(near_colour(centre_pixel(player_->currentImage()), Qt::blue));
  QTest::qWait(200);  // a stale result of the older still would arrive by now
  QCOMPARE(shown.count(), 1);
  QVERIFY(near_colour(centre_pixel(player_->currentImage()), Qt::blue));
  QCOMPARE(player_->previewCaption(), QStringLiteral("live preview, step 4"));
  QVERIFY(player_->findChild<QLabel*>(QStringLiteral("previewCaption"))->isVisible());
  QVERIFY(!player_->findChild<QToolButton*>(QStringLiteral("playButton"))->isEnabled());
  QVERIFY(!player_->findChild<QSlider*>(QStringLiteral("scrubSlider"))->isEnabled());
}

void TestMediaPlayer::openAfterPreviewLeavesPreviewMode() {
  QSignalSpy shown(player_, &MediaPlayerWidget::previewShown);
  player_->showPreview(write_solid_image(QStringLiteral("preview_c.jpg"), Qt::red, QSize(64, 64)));
  QTRY_COMPARE(shown.count(), 1);
  open_and_wait(colour_video_);
  QVERIFY(!player_->findChild<QLabel*>(QStringLiteral("previewCaption"))->isVisible());
  QVERIFY(player_->findChild<QToolButton*>(QStringLiteral("playButton"))->isEnabled());
  QVERIFY(near_colour(centre_pixel(player_->currentImage()), expected_colour(0)));
}

void TestMediaPlayer::clearDropsTheFrames() {
  open_and_wait(colour_video_);
  player_->clear();
  QCOMPARE(player_->state(), MediaPlayerWidget::State::Empty);
  QCOMPARE(player_->frameCount(), 0);
  QVERIFY(player_->currentImage().isNull());
  // A decode in flight when clear() is called is never shown.
  QSignalSpy loaded(player_, &MediaPlayerWidget::loaded);
  player_->open(colour_video_);
  player_->clear();
  QTest::qWait(500);
  QCOMPARE(loaded.count(), 0);
  QCOMPARE(player_->state(), MediaPlayerWidget::State::Empty);
}

void TestMediaPlayer::longDecodeNeverBlocksTheUiThread() {
  // 360p, 10 s at 24 fps: hundreds of milliseconds of decoding and conversion.
  media::VideoFrames video{640, 360, 24, {}};
  for (int k = 0; k < 240; ++k) {
    video.frames.push_back(solid_rgb(kPalette.at(k % kNumColourFrames), 640, 360));
  }
  const QString path = dir_.filePath(QStringLiteral("long.mp4"));
  media::write_mp4(fs_path(path), video, nullptr, "");
  video = {};

  QSignalSpy loaded(player_, &MediaPlayerWidget::loaded);
  QElapsedTimer clock;
  clock.start();
  player_->open(path);
  const qint64 open_ms = clock.elapsed();
  QCOMPARE(player_->state(), MediaPlayerWidget::State::Loading);

  // The event loop runs while the decode does: a key typed into another widget arrives.
  bool typed_while_loading = false;
  QTimer::singleShot(0, other_input_, [&] {
    QTest::keyClick(other_input_, Qt::Key_X);
    typed_while_loading = other_input_->text() == QStringLiteral("x") &&
                          player_->state() == MediaPlayerWidget::State::Loading;
  });
  QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
  const qint64 decode_ms = clock.elapsed();
  QVERIFY(typed_while_loading);
  QVERIFY2(open_ms * 4 < decode_ms,
           qPrintable(
               QStringLiteral("open() took %1 ms of a %2 ms decode").arg(open_ms).arg(decode_ms)));
  QCOMPARE(player_->frameCount(), 240);
  qInfo("open() returned in %lld ms; the decode took %lld ms", open_ms, decode_ms);
}

void TestMediaPlayer::positionTextCountsFromOne() {
  QCOMPARE(ui::frame_position_text(0, 189, 24), QStringLiteral("frame 1 / 189, 00:00.00"));
  QCOMPARE(ui::frame_position_text(25, 189, 24), QStringLiteral("frame 26 / 189, 00:01.04"));
  QCOMPARE(ui::frame_position_text(188, 189, 24), QStringLiteral("frame 189 / 189, 00:07.83"));
  QCOMPARE(ui::frame_position_text(1500, 2000, 24), QStringLiteral("frame 1501 / 2000, 01:02.50"));
}

QTEST_MAIN(TestMediaPlayer)
#include "tst_media_player.moc"
