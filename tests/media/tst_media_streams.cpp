// What an MP4 with sound holds, read back by our own probe: a generation's video (17 frames at
// 24 fps) with its soundtrack (18 sound latent frames x 1920 samples at 48 kHz, stereo) must be
// one H.264 and one AAC stream, each as long as what went in; a silent one only the H.264.
//
// Tolerances: the video's duration within one frame (containers count the last frame's
// duration or not), the audio's within 2048 samples (AAC's encoder delay plus one frame of
// padding, 1024 each).

#include "core/errors.h"
#include "media/stream_probe.h"
#include "media/video_writer.h"
#include "tests/media/synthetic_media.h"

#include <QtTest/QtTest>

#include <cmath>

using namespace cosmos3;

class MediaStreamsTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

 private Q_SLOTS:
  void videoWithSoundHasOneH264AndOneAacStream() {
    constexpr int kNumFrames = 17;
    constexpr double kFps = 24;
    constexpr std::int64_t kNumSamples = 18 * 1920;
    const std::string file = path("sample.mp4");
    const media::AudioSamples sound = test::tone(48000, 2, kNumSamples);
    media::write_mp4(file, test::synthetic_video(64, 48, kNumFrames, kFps), &sound, "{}");
    const std::vector<media::StreamInfo> streams = media::probe_streams(file);
    QCOMPARE(streams.size(), size_t{2});
    int num_video = 0;
    int num_audio = 0;
    for (const media::StreamInfo& stream : streams) {
      qInfo("%s %s %.4f s", stream.kind.c_str(), stream.codec.c_str(), stream.duration_seconds);
      if (stream.kind == "video") {
        ++num_video;
        QCOMPARE(stream.codec, std::string("h264"));
        QVERIFY(std::abs(stream.duration_seconds - kNumFrames / kFps) <= 1.0 / kFps);
      } else {
        ++num_audio;
        QCOMPARE(stream.kind, std::string("audio"));
        QCOMPARE(stream.codec, std::string("aac"));
        QCOMPARE(stream.sample_rate, 48000);
        QCOMPARE(stream.num_channels, 2);
        QVERIFY(std::abs(stream.duration_seconds - kNumSamples / 48000.0) <= 2048 / 48000.0);
      }
    }
    QCOMPARE(num_video, 1);
    QCOMPARE(num_audio, 1);
  }

  void silentVideoHasOnlyH264() {
    const std::string file = path("silent.mp4");
    media::write_mp4(file, test::synthetic_video(32, 32, 5, 24), nullptr, "");
    const std::vector<media::StreamInfo> streams = media::probe_streams(file);
    QCOMPARE(streams.size(), size_t{1});
    QCOMPARE(streams[0].codec, std::string("h264"));
  }

  void missingFileIsNamed() {
    try {
      media::probe_streams(path("absent.mp4"));
      QFAIL("a missing file was probed");
    } catch (const MediaError& error) {
      QVERIFY(QString(error.what()).contains("absent.mp4"));
    }
  }
};

QTEST_GUILESS_MAIN(MediaStreamsTest)
#include "tst_media_streams.moc"
