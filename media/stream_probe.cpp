#include "media/stream_probe.h"

#include "core/errors.h"
#include "media/ffmpeg_support.h"

extern "C" {
#include <libavutil/avutil.h>
}

namespace cosmos3::media {

std::vector<StreamInfo> probe_streams(const std::filesystem::path& path) {
  if (!std::filesystem::is_regular_file(path)) {
    throw MediaError("cannot read " + path.string() + ": no such file");
  }
  AVFormatContext* raw = nullptr;
  ffmpeg::check(avformat_open_input(&raw, path.c_str(), nullptr, nullptr), "cannot read",
                path.string() + " (not a media file FFmpeg knows, or damaged)");
  const ffmpeg::InputContext input(raw);
  ffmpeg::check(avformat_find_stream_info(input.get(), nullptr), "cannot read streams of",
                path.string());
  std::vector<StreamInfo> streams;
  for (unsigned index = 0; index < input->nb_streams; ++index) {
    const AVStream* stream = input->streams[index];
    const AVCodecParameters* parameters = stream->codecpar;
    StreamInfo info;
    const char* kind = av_get_media_type_string(parameters->codec_type);
    info.kind = kind != nullptr ? kind : "unknown";
    info.codec = avcodec_get_name(parameters->codec_id);
    if (stream->duration != AV_NOPTS_VALUE) {
      info.duration_seconds = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
    }
    if (parameters->codec_type == AVMEDIA_TYPE_AUDIO) {
      info.sample_rate = parameters->sample_rate;
      info.num_channels = parameters->ch_layout.nb_channels;
    }
    streams.push_back(std::move(info));
  }
  return streams;
}

}  // namespace cosmos3::media
