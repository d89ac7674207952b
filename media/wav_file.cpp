#include "media/wav_file.h"

#include "core/errors.h"
#include "media/atomic_output.h"

#include <sndfile.h>

#include <memory>

namespace cosmos3::media {
namespace {

struct SoundFileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using SoundFile = std::unique_ptr<SNDFILE, SoundFileCloser>;

}  // namespace

void write_wav(const std::filesystem::path& path, const AudioSamples& audio) {
  if (audio.sample_rate <= 0 || audio.num_channels <= 0 ||
      audio.interleaved.size() % static_cast<std::size_t>(audio.num_channels) != 0) {
    throw MediaError("cannot write " + path.string() +
                     ": audio needs a positive rate, channels, whole frames");
  }
  AtomicOutput output(path);
  SF_INFO info{};
  info.samplerate = audio.sample_rate;
  info.channels = audio.num_channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  SoundFile file(sf_open(output.temporary_path().c_str(), SFM_WRITE, &info));
  if (!file) {
    throw MediaError("cannot write " + path.string() + ": " + sf_strerror(nullptr));
  }
  const sf_count_t written =
      sf_writef_float(file.get(), audio.interleaved.data(), audio.num_frames());
  if (written != audio.num_frames() || sf_close(file.release()) != 0) {
    throw MediaError("cannot write " + path.string() + ": disk full or not writable");
  }
  output.commit();
}

AudioSamples read_wav(const std::filesystem::path& path) {
  SF_INFO info{};
  SoundFile file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) {
    throw MediaError("cannot read " + path.string() + ": " + sf_strerror(nullptr));
  }
  AudioSamples audio{info.samplerate, info.channels, {}};
  audio.interleaved.resize(static_cast<std::size_t>(info.frames) * info.channels);
  const sf_count_t read = sf_readf_float(file.get(), audio.interleaved.data(), info.frames);
  if (read != info.frames) {
    throw MediaError("cannot read " + path.string() + ": truncated, " + std::to_string(read) +
                     " of " + std::to_string(info.frames) + " frames");
  }
  return audio;
}

}  // namespace cosmos3::media
