// Unreadable, truncated and random files give a MediaError naming the file and never crash;
// failed writes leave nothing under the output name.

#include "core/errors.h"
#include "media/generation_metadata.h"
#include "media/image_writer.h"
#include "media/media_reader.h"
#include "media/video_writer.h"
#include "media/wav_file.h"
#include "tests/media/synthetic_media.h"
#include "tests/test_support.h"

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <random>

using namespace cosmos3;
namespace fs = std::filesystem;
using cosmos3::test::read_bytes;
using cosmos3::test::write_bytes;

namespace {

// Reading must succeed or throw MediaError naming the file; anything else fails the test.
template <typename Read>
bool reads_or_refuses_cleanly(const std::string& path, Read&& read) {
  try {
    read();
    return true;
  } catch (const MediaError& error) {
    if (std::string(error.what()).find(path) == std::string::npos) {
      qWarning("error does not name the file: %s", error.what());
      return false;
    }
    return true;
  }
}

}  // namespace

class MediaErrorsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir folder_;
  std::string path(const char* name) { return folder_.filePath(name).toStdString(); }

 private Q_SLOTS:
  void missingAndNonMediaFiles() {
    QVERIFY_THROWS_EXCEPTION(MediaError, media::read_video(path("absent.mp4")));
    write_bytes(path("notes.txt"), "this is not a video\n");
    QVERIFY_THROWS_EXCEPTION(MediaError, media::read_video(path("notes.txt")));
    QVERIFY_THROWS_EXCEPTION(MediaError, media::read_wav(path("notes.txt")));
    QVERIFY_THROWS_EXCEPTION(MediaError, media::read_sidecar(path("absent.mp4")));
  }

  void audioFromSilentVideoIsRefused() {
    media::write_mp4(path("silent.mp4"), test::synthetic_video(16, 16, 2, 24), nullptr, "");
    QVERIFY_THROWS_EXCEPTION(MediaError, media::read_audio(path("silent.mp4")));
    QVERIFY_THROWS_EXCEPTION(MediaError, media::read_embedded_metadata(path("silent.mp4")));
  }

  void truncatedVideos() {
    const media::AudioSamples audio = test::tone(48000, 1, 9600);
    media::write_mp4(path("whole.mp4"), test::synthetic_video(48, 32, 24, 24), &audio, "");
    const std::string whole = read_bytes(path("whole.mp4"));
    int num_refused = 0;
    for (const double fraction : {0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99}) {
      const std::string cut = path("cut.mp4");
      write_bytes(cut, whole.substr(0, static_cast<std::size_t>(whole.size() * fraction)));
      bool refused = false;
      QVERIFY(reads_or_refuses_cleanly(cut, [&] {
        try {
          media::read_video(cut);
        } catch (const MediaError&) {
          refused = true;
          throw;
        }
      }));
      QVERIFY(reads_or_refuses_cleanly(cut, [&] { media::read_audio(cut); }));
      num_refused += refused;
    }
    // Every cut loses frames the index promises: all must be refused, none silently short.
    QCOMPARE(num_refused, 8);
  }

  void randomAndMutatedFilesNeverCrash() {
    media::write_mp4(path("seed.mp4"), test::synthetic_video(32, 32, 6, 24), nullptr, "");
    media::write_image(path("seed.png"), test::synthetic_video(8, 8, 1, 1).frames[0], 8, 8);
    const std::string seeds[] = {read_bytes(path("seed.mp4")), read_bytes(path("seed.png"))};
    std::mt19937 random(7);
    for (int trial = 0; trial < 120; ++trial) {
      std::string bytes = seeds[trial % 2];
      if (trial % 3 == 0) {
        bytes.resize(random() % 2000);
        for (char& byte : bytes) {
          byte = static_cast<char>(random());
        }
      } else {
        for (int flip = 0; flip < 1 + trial % 8; ++flip) {
          bytes[random() % bytes.size()] = static_cast<char>(random());
        }
      }
      const std::string file = path(trial % 2 ? "fuzz.png" : "fuzz.mp4");
      write_bytes(file, bytes);
      QVERIFY(reads_or_refuses_cleanly(file, [&] { media::read_video(file); }));
      QVERIFY(reads_or_refuses_cleanly(file, [&] { media::read_comment(file); }));
    }
  }

  void failedWritesLeaveNoFile() {
    const media::VideoFrames video = test::synthetic_video(16, 16, 2, 24);
    QVERIFY_THROWS_EXCEPTION(MediaError,
                             media::write_mp4(path("no-such-folder/out.mp4"), video, nullptr, ""));
    media::VideoFrames broken = video;
    broken.frames[1].resize(10);
    QVERIFY_THROWS_EXCEPTION(MediaError, media::write_mp4(path("broken.mp4"), broken, nullptr, ""));
    QVERIFY_THROWS_EXCEPTION(MediaError,
                             media::write_image(path("still.gif"), video.frames[0], 16, 16));
    QVERIFY_THROWS_EXCEPTION(MediaError,
                             media::write_wav(path("bad.wav"), media::AudioSamples{0, 1, {0.f}}));
    for (const auto& entry : fs::directory_iterator(folder_.path().toStdString())) {
      const std::string name = entry.path().filename().string();
      QVERIFY2(name.find("broken") == std::string::npos &&
                   name.find("partial") == std::string::npos &&
                   name.find("still.gif") == std::string::npos &&
                   name.find("bad.wav") == std::string::npos,
               name.c_str());
    }
  }

  void badMetadataJson() {
    QVERIFY_THROWS_EXCEPTION(MediaError, media::metadata_from_json("[1, 2]", "x.json"));
    QVERIFY_THROWS_EXCEPTION(MediaError,
                             media::metadata_from_json(R"({"seed": "many"})", "x.json"));
  }
};

QTEST_APPLESS_MAIN(MediaErrorsTest)
#include "tst_media_errors.moc"
