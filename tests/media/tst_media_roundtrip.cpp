// Frames, sound and metadata through our writers and back through our readers.
//
// Bounds: H.264 at CRF 18 and JPEG at q=2 keep smooth content near 40 dB PSNR; each frame
// must stay above 35 dB, which a wrong colour range, matrix or frame order breaks at once. AAC at
// 192 kb/s keeps a pure tone above ~30 dB SNR; 20 dB catches any misalignment or channel swap.

#include "media/generation_metadata.h"
#include "media/image_writer.h"
#include "media/media_reader.h"
#include "media/video_writer.h"
#include "media/wav_file.h"
#include "tests/media/synthetic_media.h"

#include <QtTest/QtTest>

using namespace cosmos3;

namespace {

// Best SNR of `decoded` against `original` over small lags (codec delay), per sample.
double best_snr_db(const media::AudioSamples& original, const media::AudioSamples& decoded) {
  double best = -1e9;
  const std::int64_t channels = original.num_channels;
  for (std::int64_t lag = 0; lag <= 2048; ++lag) {
    double signal = 0;
    double noise = 0;
    const std::int64_t frames = std::min(original.num_frames(), decoded.num_frames() - lag);
    for (std::int64_t i = 0; i < frames * channels; ++i) {
      const double reference = original.interleaved[static_cast<std::size_t>(i)];
      const double difference =
          decoded.interleaved[static_cast<std::size_t>(i + lag * channels)] - reference;
      signal += reference * reference;
      noise += difference * difference;
    }
    if (frames > 0 && noise > 0) {
      best = std::max(best, 10 * std::log10(signal / noise));
    }
  }
  return best;
}

media::GenerationMetadata sample_metadata() {
  media::GenerationMetadata metadata;
  metadata.prompt = "A robot arm stacks \"blue\" cubes — slowly, 慢慢地 🤖";
  metadata.negative_prompt = "blurry";
  metadata.seed = 1234567890123;
  metadata.width = 63;
  metadata.height = 47;
  metadata.num_frames = 5;
  metadata.fps = 24;
  metadata.num_steps = 35;
  metadata.guidance_scale = 6.0;
  metadata.flow_shift = 10.0;
  metadata.model = "/models/cosmos3-nano";
  metadata.model_config_hash = "sha256:0123abcd";
  metadata.parallel_layout = "cfg2 x tp1 x cp4";
  metadata.timings_seconds = {{"denoise", 201.5}, {"decode", 12.25}};
  metadata.versions = media::media_library_versions();
  return metadata;
}

}  // namespace

class MediaRoundTripTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir folder_;
  std::string path(const char* name) { return folder_.filePath(name).toStdString(); }

  void check_video_round_trip(int width, int height, int num_frames) {
    const media::VideoFrames video = test::synthetic_video(width, height, num_frames, 24);
    const std::string file = path("roundtrip.mp4");
    const media::VideoWriteReport report = media::write_mp4(file, video, nullptr, "");
    QCOMPARE(report.padded, width % 2 != 0 || height % 2 != 0);
    const media::VideoFrames decoded = media::read_video(file);
    QCOMPARE(decoded.width, width);
    QCOMPARE(decoded.height, height);
    QCOMPARE(decoded.num_frames(), num_frames);
    QCOMPARE(decoded.fps, 24.0);
    for (int t = 0; t < num_frames; ++t) {
      const double quality = test::psnr(video.frames[t], decoded.frames[t]);
      qInfo("frame %d: PSNR %.1f dB", t, quality);
      QVERIFY2(quality > 35, qPrintable(QString("frame %1: PSNR %2 dB").arg(t).arg(quality)));
    }
  }

 private Q_SLOTS:
  void videoRoundTrip() { check_video_round_trip(64, 48, 12); }
  void oddSizeIsPaddedThenCroppedBack() { check_video_round_trip(63, 47, 5); }
  void oneFrameVideo() { check_video_round_trip(32, 32, 1); }

  void videoWithAacTrack() {
    const media::VideoFrames video = test::synthetic_video(32, 32, 24, 24);
    const media::AudioSamples audio = test::tone(48000, 2, 24000);
    const std::string file = path("sound.mp4");
    media::write_mp4(file, video, &audio, "");
    const media::AudioSamples decoded = media::read_audio(file);
    QCOMPARE(decoded.sample_rate, 48000);
    QCOMPARE(decoded.num_channels, 2);
    QVERIFY(std::abs(decoded.num_frames() - audio.num_frames()) <= 2048);
    const double snr = best_snr_db(audio, decoded);
    qInfo("AAC round trip SNR %.1f dB", snr);
    QVERIFY(snr > 20);
    QCOMPARE(media::read_video(file).num_frames(), 24);
  }

  void veryShortAudio() {
    const media::AudioSamples audio = test::tone(16000, 1, 100);
    const std::string file = path("short.mp4");
    media::write_mp4(file, test::synthetic_video(16, 16, 1, 24), &audio, "");
    const media::AudioSamples decoded = media::read_audio(file);
    QVERIFY(decoded.num_frames() >= 1 && decoded.num_frames() <= 2048);
    const std::string wav = path("short.wav");
    media::write_wav(wav, test::tone(16000, 1, 1));
    QCOMPARE(media::read_wav(wav).num_frames(), 1);
  }

  void wavRoundTripIsExact() {
    const media::AudioSamples audio = test::tone(44100, 2, 4410);
    const std::string file = path("tone.wav");
    media::write_wav(file, audio);
    const media::AudioSamples decoded = media::read_wav(file);
    QCOMPARE(decoded.sample_rate, 44100);
    QCOMPARE(decoded.num_channels, 2);
    QVERIFY(decoded.interleaved == audio.interleaved);
  }

  void imagesRoundTrip() {
    const media::VideoFrames still = test::synthetic_video(33, 17, 1, 1);
    const std::string png = path("still.png");
    media::write_image(png, still.frames[0], 33, 17);
    const media::VideoFrames png_back = media::read_video(png);
    QCOMPARE(png_back.width, 33);
    QVERIFY(png_back.frames[0] == still.frames[0]);
    const std::string jpeg = path("still.jpg");
    media::write_image(jpeg, still.frames[0], 33, 17);
    const media::VideoFrames jpeg_back = media::read_video(jpeg);
    QCOMPARE(jpeg_back.height, 17);
    const double jpeg_quality = test::psnr(still.frames[0], jpeg_back.frames[0]);
    qInfo("JPEG PSNR %.1f dB", jpeg_quality);
    QVERIFY(jpeg_quality > 35);
  }

  void metadataRoundTripsThroughSidecarAndMp4() {
    const media::GenerationMetadata metadata = sample_metadata();
    const std::string file = path("generated.mp4");
    media::write_mp4(file, test::synthetic_video(63, 47, 5, 24), nullptr,
                     media::metadata_to_json(metadata));
    media::write_sidecar(file, metadata);
    QVERIFY(media::read_embedded_metadata(file) == metadata);
    QVERIFY(media::read_sidecar(file) == metadata);
    QVERIFY(media::sidecar_path(file).string().ends_with("generated.mp4.json"));
  }
};

QTEST_APPLESS_MAIN(MediaRoundTripTest)
#include "tst_media_roundtrip.moc"
