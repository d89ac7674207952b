// "Play sound" in the player, on files written by the media module: enabled only while a file
// with an audio stream is shown, it hands the generation's sample.wav (or, without one, the
// file itself) to the system's player through QDesktopServices; here a URL handler for file:
// stands in for the system, so the test sees exactly what would be opened.

#include "media/image_writer.h"
#include "media/video_writer.h"
#include "media/wav_file.h"
#include "tests/media/synthetic_media.h"
#include "ui/player/media_player_widget.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest/QtTest>

#include <memory>

using namespace cosmos3;
using cosmos3::ui::MediaPlayerWidget;

// What QDesktopServices::openUrl would have handed to the system.
class OpenedUrls : public QObject {
  Q_OBJECT

 public:
  QList<QUrl> urls;

 public Q_SLOTS:
  void open(const QUrl& url) { urls.push_back(url); }
};

class PlayerSoundtrackTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::unique_ptr<MediaPlayerWidget> player_;
  OpenedUrls opened_;

  QString write_video(const QString& folder, bool with_sound, bool with_wav) {
    QDir(dir_.path()).mkpath(folder);
    const QString mp4 = QDir(dir_.filePath(folder)).filePath(QStringLiteral("sample.mp4"));
    const media::AudioSamples sound = test::tone(48000, 2, 9600);
    media::write_mp4(mp4.toStdString(), test::synthetic_video(64, 48, 5, 25),
                     with_sound ? &sound : nullptr, "{}");
    if (with_wav) {
      media::write_wav(
          QDir(dir_.filePath(folder)).filePath(QStringLiteral("sample.wav")).toStdString(), sound);
    }
    return mp4;
  }

  bool open_and_wait(const QString& path) {
    player_->open(path);
    return QTest::qWaitFor([&] { return player_->state() == MediaPlayerWidget::State::Ready; },
                           30000);
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    QDesktopServices::setUrlHandler(QStringLiteral("file"), &opened_, "open");
  }
  void cleanupTestCase() { QDesktopServices::unsetUrlHandler(QStringLiteral("file")); }

  void init() {
    player_ = std::make_unique<MediaPlayerWidget>();
    player_->show();
    opened_.urls.clear();
  }
  void cleanup() { player_.reset(); }

  void aGenerationWithSoundPlaysItsWav() {
    const QString mp4 = write_video(QStringLiteral("with_wav"), true, true);
    QAction* action = player_->playSoundAction();
    QVERIFY(action);
    QCOMPARE(action->objectName(), QStringLiteral("playSound"));
    QVERIFY(!action->isEnabled());  // nothing shown yet
    QVERIFY(open_and_wait(mp4));
    QVERIFY(action->isEnabled());
    const QString wav = QDir(QFileInfo(mp4).path()).filePath(QStringLiteral("sample.wav"));
    QCOMPARE(player_->soundtrackPath(), wav);
    action->trigger();
    QCOMPARE(opened_.urls, QList<QUrl>{QUrl::fromLocalFile(wav)});
  }

  void aVideoWithSoundButNoWavPlaysItself() {
    const QString mp4 = write_video(QStringLiteral("no_wav"), true, false);
    QVERIFY(open_and_wait(mp4));
    QVERIFY(player_->playSoundAction()->isEnabled());
    QCOMPARE(player_->soundtrackPath(), mp4);
    player_->playSoundAction()->trigger();
    QCOMPARE(opened_.urls, QList<QUrl>{QUrl::fromLocalFile(mp4)});
  }

  void silentVideosAndImagesHaveNoSound() {
    // A stray WAV beside a silent video is not its soundtrack.
    QVERIFY(open_and_wait(write_video(QStringLiteral("silent"), false, true)));
    QVERIFY(!player_->playSoundAction()->isEnabled());
    QVERIFY(player_->soundtrackPath().isEmpty());
    player_->playSound();
    QVERIFY(opened_.urls.isEmpty());

    const QString image = dir_.filePath(QStringLiteral("still.jpg"));
    media::write_image(image.toStdString(), std::vector<std::uint8_t>(32 * 32 * 3, 90), 32, 32);
    QVERIFY(open_and_wait(image));
    QVERIFY(!player_->playSoundAction()->isEnabled());
  }

  void openingAnotherFileDisablesItUntilItsSoundIsKnown() {
    QVERIFY(open_and_wait(write_video(QStringLiteral("first"), true, true)));
    QVERIFY(player_->playSoundAction()->isEnabled());
    player_->open(write_video(QStringLiteral("second"), false, false));
    QVERIFY(!player_->playSoundAction()->isEnabled());  // loading
    QTRY_COMPARE(player_->state(), MediaPlayerWidget::State::Ready);
    QVERIFY(!player_->playSoundAction()->isEnabled());
    player_->clear();
    QVERIFY(!player_->playSoundAction()->isEnabled());
  }
};

QTEST_MAIN(PlayerSoundtrackTest)
#include "tst_player_soundtrack.moc"
