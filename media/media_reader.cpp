#include "media/media_reader.h"

#include "core/errors.h"
#include "media/ffmpeg_support.h"

extern "C" {
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
}

#include <nlohmann/json.hpp>

#include <cstring>

namespace cosmos3::media {
namespace {

struct ResamplerDeleter {
  void operator()(SwrContext* context) const { swr_free(&context); }
};

ffmpeg::InputContext open_input(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) {
    throw MediaError("cannot read " + path + ": no such file");
  }
  AVFormatContext* raw = nullptr;
  ffmpeg::check(avformat_open_input(&raw, path.c_str(), nullptr, nullptr), "cannot read",
                path + " (not a media file FFmpeg knows, or damaged)");
  ffmpeg::InputContext input(raw);
  ffmpeg::check(avformat_find_stream_info(input.get(), nullptr), "cannot read streams of", path);
  return input;
}

ffmpeg::CodecContext open_decoder(const AVStream* stream, const std::string& path) {
  const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
  if (codec == nullptr) {
    throw MediaError("cannot read " + path + ": no decoder for codec " +
                     avcodec_get_name(stream->codecpar->codec_id));
  }
  ffmpeg::CodecContext context(avcodec_alloc_context3(codec));
  ffmpeg::check(avcodec_parameters_to_context(context.get(), stream->codecpar), "cannot read",
                path);
  ffmpeg::check(avcodec_open2(context.get(), codec, nullptr), "cannot open the decoder for", path);
  return context;
}

// Feeds every packet of `stream_index` (then a flush) to the decoder and hands each decoded
// frame to `consume`; stops early once `consume` returns false.
template <typename Consume>
void decode_stream(AVFormatContext* input, AVCodecContext* decoder, int stream_index,
                   const std::string& path, Consume&& consume) {
  ffmpeg::Packet packet = ffmpeg::make_packet();
  ffmpeg::Frame frame = ffmpeg::make_frame();
  bool more = true;
  auto drain = [&] {
    while (more) {
      const int result = avcodec_receive_frame(decoder, frame.get());
      if (result == AVERROR(EAGAIN) || result == AVERROR_EOF) {
        return;
      }
      ffmpeg::check(result, "cannot decode", path + " (corrupt or truncated)");
      more = consume(*frame);
      av_frame_unref(frame.get());
    }
  };
  while (more) {
    const int result = av_read_frame(input, packet.get());
    if (result == AVERROR_EOF) {
      break;
    }
    ffmpeg::check(result, "cannot read", path + " (corrupt or truncated)");
    if (packet->stream_index == stream_index) {
      const int sent = avcodec_send_packet(decoder, packet.get());
      if (sent < 0 && sent != AVERROR_INVALIDDATA) {
        ffmpeg::check(sent, "cannot decode", path);
      }
      drain();
    }
    av_packet_unref(packet.get());
  }
  if (more) {
    avcodec_send_packet(decoder, nullptr);
    drain();
  }
}

// YUVJ formats are full-range YUV under their deprecated names: convert them as such.
AVPixelFormat canonical_format(AVPixelFormat format, bool& full_range) {
  switch (format) {
    case AV_PIX_FMT_YUVJ420P:
      full_range = true;
      return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P:
      full_range = true;
      return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P:
      full_range = true;
      return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P:
      full_range = true;
      return AV_PIX_FMT_YUV440P;
    default:
      return format;
  }
}

std::vector<std::uint8_t> to_rgb(const AVFrame& frame, const std::string& path) {
  bool full_range = frame.color_range == AVCOL_RANGE_JPEG;
  const AVPixelFormat source =
      canonical_format(static_cast<AVPixelFormat>(frame.format), full_range);
  ffmpeg::Scaler scaler(sws_getContext(frame.width, frame.height, source, frame.width, frame.height,
                                       AV_PIX_FMT_RGB24, SWS_BICUBIC | SWS_ACCURATE_RND, nullptr,
                                       nullptr, nullptr));
  if (!scaler) {
    throw MediaError("cannot read " + path + ": unsupported pixel format " +
                     std::string(av_get_pix_fmt_name(source) ? av_get_pix_fmt_name(source) : "?"));
  }
  int* inverse_table = nullptr;
  int* table = nullptr;
  int source_range = 0;
  int destination_range = 0;
  int brightness = 0;
  int contrast = 0;
  int saturation = 0;
  sws_getColorspaceDetails(scaler.get(), &inverse_table, &source_range, &table, &destination_range,
                           &brightness, &contrast, &saturation);
  sws_setColorspaceDetails(scaler.get(), inverse_table, full_range ? 1 : 0, table, 1, brightness,
                           contrast, saturation);
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(frame.width) * frame.height * 3);
  std::uint8_t* destination[1] = {rgb.data()};
  const int destination_stride[1] = {frame.width * 3};
  sws_scale(scaler.get(), frame.data, frame.linesize, 0, frame.height, destination,
            destination_stride);
  return rgb;
}

// write_mp4 pads odd sizes to even and records the true size in its comment.
void crop_to_recorded_size(VideoFrames& video, const std::string& comment) {
  const nlohmann::json json = nlohmann::json::parse(comment, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("frame_size")) {
    return;
  }
  const nlohmann::json& size = json["frame_size"];
  if (!size.is_array() || size.size() != 2 || !size[0].is_number_integer() ||
      !size[1].is_number_integer()) {
    return;
  }
  const int width = size[0].get<int>();
  const int height = size[1].get<int>();
  if (width <= 0 || height <= 0 || width > video.width || height > video.height ||
      (width == video.width && height == video.height)) {
    return;
  }
  for (auto& frame : video.frames) {
    std::vector<std::uint8_t> cropped(static_cast<std::size_t>(width) * height * 3);
    for (int y = 0; y < height; ++y) {
      std::memcpy(cropped.data() + static_cast<std::size_t>(y) * width * 3,
                  frame.data() + static_cast<std::size_t>(y) * video.width * 3,
                  static_cast<std::size_t>(width) * 3);
    }
    frame = std::move(cropped);
  }
  video.width = width;
  video.height = height;
}

std::string comment_of(const AVFormatContext* input) {
  const AVDictionaryEntry* entry = av_dict_get(input->metadata, "comment", nullptr, 0);
  return entry != nullptr ? entry->value : "";
}

}  // namespace

VideoFrames read_video(const std::filesystem::path& path, int max_frames) {
  const std::string path_text = path.string();
  ffmpeg::InputContext input = open_input(path_text);
  const int stream_index = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (stream_index < 0) {
    throw MediaError("cannot read " + path_text + ": it has no video or image stream");
  }
  AVStream* stream = input->streams[stream_index];
  ffmpeg::CodecContext decoder = open_decoder(stream, path_text);
  VideoFrames video;
  const AVRational rate = av_guess_frame_rate(input.get(), stream, nullptr);
  video.fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
  decode_stream(input.get(), decoder.get(), stream_index, path_text, [&](const AVFrame& frame) {
    if (video.frames.empty()) {
      video.width = frame.width;
      video.height = frame.height;
    } else if (frame.width != video.width || frame.height != video.height) {
      throw MediaError("cannot read " + path_text + ": the frame size changes mid-stream");
    }
    video.frames.push_back(to_rgb(frame, path_text));
    return max_frames <= 0 || video.num_frames() < max_frames;
  });
  if (video.frames.empty()) {
    throw MediaError("cannot read " + path_text +
                     ": no frame could be decoded (corrupt or truncated)");
  }
  if (max_frames <= 0 && stream->nb_frames > 0 && video.num_frames() < stream->nb_frames) {
    throw MediaError("cannot read " + path_text + ": truncated, decoded " +
                     std::to_string(video.num_frames()) + " of " +
                     std::to_string(stream->nb_frames) + " frames");
  }
  crop_to_recorded_size(video, comment_of(input.get()));
  return video;
}

AudioSamples read_audio(const std::filesystem::path& path) {
  const std::string path_text = path.string();
  ffmpeg::InputContext input = open_input(path_text);
  const int stream_index = av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (stream_index < 0) {
    throw MediaError("cannot read " + path_text + ": it has no audio stream");
  }
  ffmpeg::CodecContext decoder = open_decoder(input->streams[stream_index], path_text);
  AudioSamples audio{decoder->sample_rate, decoder->ch_layout.nb_channels, {}};
  SwrContext* raw_resampler = nullptr;
  ffmpeg::check(swr_alloc_set_opts2(&raw_resampler, &decoder->ch_layout, AV_SAMPLE_FMT_FLT,
                                    decoder->sample_rate, &decoder->ch_layout, decoder->sample_fmt,
                                    decoder->sample_rate, 0, nullptr),
                "cannot convert the audio of", path_text);
  std::unique_ptr<SwrContext, ResamplerDeleter> resampler(raw_resampler);
  ffmpeg::check(swr_init(resampler.get()), "cannot convert the audio of", path_text);
  decode_stream(input.get(), decoder.get(), stream_index, path_text, [&](const AVFrame& frame) {
    const std::size_t start = audio.interleaved.size();
    audio.interleaved.resize(start +
                             static_cast<std::size_t>(frame.nb_samples) * audio.num_channels);
    auto* output = reinterpret_cast<std::uint8_t*>(audio.interleaved.data() + start);
    const int converted =
        swr_convert(resampler.get(), &output, frame.nb_samples,
                    const_cast<const std::uint8_t**>(frame.extended_data), frame.nb_samples);
    ffmpeg::check(converted, "cannot convert the audio of", path_text);
    audio.interleaved.resize(start + static_cast<std::size_t>(converted) * audio.num_channels);
    return true;
  });
  return audio;
}

std::string read_comment(const std::filesystem::path& path) {
  return comment_of(open_input(path.string()).get());
}

}  // namespace cosmos3::media
