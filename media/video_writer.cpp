#include "media/video_writer.h"

#include "core/errors.h"
#include "media/atomic_output.h"
#include "media/ffmpeg_support.h"

extern "C" {
#include <libavutil/opt.h>
}

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

namespace cosmos3::media {
namespace {

// One encoder feeding one stream of the muxer.
class StreamEncoder {
 public:
  StreamEncoder(AVFormatContext* muxer, const AVCodec* codec, const std::string& path)
      : muxer_(muxer), path_(path), context_(avcodec_alloc_context3(codec)) {
    stream_ = avformat_new_stream(muxer, nullptr);
    if (!context_ || !stream_) {
      throw MediaError("cannot set up the encoder for " + path);
    }
    if (muxer->oformat->flags & AVFMT_GLOBALHEADER) {
      context_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
  }

  AVCodecContext* context() { return context_.get(); }

  void open(AVDictionary** options) {
    ffmpeg::check(avcodec_open2(context_.get(), context_->codec, options),
                  "cannot open the encoder for", path_);
    ffmpeg::check(avcodec_parameters_from_context(stream_->codecpar, context_.get()),
                  "cannot describe the stream of", path_);
    stream_->time_base = context_->time_base;
  }

  // Sends a frame (nullptr flushes) and writes every packet the encoder returns.
  void encode(const AVFrame* frame) {
    ffmpeg::check(avcodec_send_frame(context_.get(), frame), "cannot encode", path_);
    ffmpeg::Packet packet = ffmpeg::make_packet();
    while (true) {
      const int result = avcodec_receive_packet(context_.get(), packet.get());
      if (result == AVERROR(EAGAIN) || result == AVERROR_EOF) {
        return;
      }
      ffmpeg::check(result, "cannot encode", path_);
      if (packet->duration == 0 && context_->codec_type == AVMEDIA_TYPE_VIDEO) {
        // One tick of 1/fps. Without a duration the MP4 edit list gives the last frame zero
        // length, and a one-frame video then decodes to nothing.
        packet->duration = 1;
      }
      av_packet_rescale_ts(packet.get(), context_->time_base, stream_->time_base);
      packet->stream_index = stream_->index;
      ffmpeg::check(av_interleaved_write_frame(muxer_, packet.get()), "cannot write", path_);
    }
  }

 private:
  AVFormatContext* muxer_;
  const std::string& path_;
  ffmpeg::CodecContext context_;
  AVStream* stream_ = nullptr;
};

const AVCodec* h264_encoder(const std::string& path) {
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  codec = codec != nullptr ? codec : avcodec_find_encoder(AV_CODEC_ID_H264);
  if (codec == nullptr) {
    throw MediaError("cannot write " + path +
                     ": this FFmpeg has no H.264 encoder (install libx264)");
  }
  return codec;
}

// The RGB frame grown to even width and height by repeating its last column and row.
std::vector<std::uint8_t> pad_to_size(const std::vector<std::uint8_t>& rgb, int width, int height,
                                      int padded_width, int padded_height) {
  std::vector<std::uint8_t> padded(static_cast<std::size_t>(padded_width) * padded_height * 3);
  for (int y = 0; y < padded_height; ++y) {
    const std::uint8_t* source_row =
        rgb.data() + static_cast<std::size_t>(std::min(y, height - 1)) * width * 3;
    std::uint8_t* row = padded.data() + static_cast<std::size_t>(y) * padded_width * 3;
    std::memcpy(row, source_row, static_cast<std::size_t>(width) * 3);
    for (int x = width; x < padded_width; ++x) {
      std::memcpy(row + x * 3, source_row + (width - 1) * 3, 3);
    }
  }
  return padded;
}

void write_video_frames(StreamEncoder& encoder, const VideoFrames& video, const std::string& path) {
  AVCodecContext* context = encoder.context();
  ffmpeg::Scaler scaler(sws_getContext(context->width, context->height, AV_PIX_FMT_RGB24,
                                       context->width, context->height, AV_PIX_FMT_YUV420P,
                                       SWS_BICUBIC, nullptr, nullptr, nullptr));
  ffmpeg::Frame frame = ffmpeg::make_frame();
  frame->format = AV_PIX_FMT_YUV420P;
  frame->width = context->width;
  frame->height = context->height;
  ffmpeg::check(av_frame_get_buffer(frame.get(), 0), "cannot allocate frames for", path);
  for (int index = 0; index < video.num_frames(); ++index) {
    const std::vector<std::uint8_t> rgb = pad_to_size(
        video.frames[index], video.width, video.height, context->width, context->height);
    const std::uint8_t* source[1] = {rgb.data()};
    const int source_stride[1] = {context->width * 3};
    ffmpeg::check(av_frame_make_writable(frame.get()), "cannot encode", path);
    sws_scale(scaler.get(), source, source_stride, 0, context->height, frame->data,
              frame->linesize);
    frame->pts = index;
    encoder.encode(frame.get());
  }
  encoder.encode(nullptr);
}

void write_audio_samples(StreamEncoder& encoder, const AudioSamples& audio,
                         const std::string& path) {
  AVCodecContext* context = encoder.context();
  const int frame_size = context->frame_size > 0 ? context->frame_size : 1024;
  ffmpeg::Frame frame = ffmpeg::make_frame();
  for (std::int64_t start = 0; start < audio.num_frames(); start += frame_size) {
    const int count =
        static_cast<int>(std::min<std::int64_t>(frame_size, audio.num_frames() - start));
    av_frame_unref(frame.get());
    frame->format = context->sample_fmt;
    frame->nb_samples = count;
    frame->sample_rate = context->sample_rate;
    ffmpeg::check(av_channel_layout_copy(&frame->ch_layout, &context->ch_layout),
                  "cannot encode audio for", path);
    ffmpeg::check(av_frame_get_buffer(frame.get(), 0), "cannot allocate audio for", path);
    for (int channel = 0; channel < audio.num_channels; ++channel) {
      auto* plane = reinterpret_cast<float*>(frame->data[channel]);
      for (int i = 0; i < count; ++i) {
        plane[i] =
            audio.interleaved[static_cast<std::size_t>((start + i) * audio.num_channels + channel)];
      }
    }
    frame->pts = start;
    encoder.encode(frame.get());
  }
  encoder.encode(nullptr);
}

void check_input(const VideoFrames& video, const AudioSamples* audio, const std::string& path) {
  const std::size_t frame_bytes = static_cast<std::size_t>(video.width) * video.height * 3;
  if (video.width <= 0 || video.height <= 0 || video.frames.empty() || !(video.fps > 0)) {
    throw MediaError("cannot write " + path +
                     ": needs at least one frame, a positive size and fps");
  }
  for (const auto& frame : video.frames) {
    if (frame.size() != frame_bytes) {
      throw MediaError("cannot write " + path + ": frames differ from " +
                       std::to_string(video.width) + "x" + std::to_string(video.height) + " RGB");
    }
  }
  if (audio != nullptr &&
      (audio->sample_rate <= 0 || audio->num_channels <= 0 || audio->num_channels > 8)) {
    throw MediaError("cannot write " + path + ": audio needs a positive rate and 1 to 8 channels");
  }
}

std::string comment_text(const VideoFrames& video, const std::string& comment_json) {
  nlohmann::json comment = {{"frame_size", {video.width, video.height}}};
  if (!comment_json.empty()) {
    comment["generation"] = nlohmann::json::parse(comment_json);
  }
  return comment.dump();
}

}  // namespace

VideoWriteReport write_mp4(const std::filesystem::path& path, const VideoFrames& video,
                           const AudioSamples* audio, const std::string& comment_json) {
  const std::string path_text = path.string();
  check_input(video, audio, path_text);
  AtomicOutput output(path);
  const std::string temporary = output.temporary_path().string();
  AVFormatContext* raw_muxer = nullptr;
  ffmpeg::check(avformat_alloc_output_context2(&raw_muxer, av_guess_format("mp4", nullptr, nullptr),
                                               nullptr, temporary.c_str()),
                "cannot create", path_text);
  ffmpeg::OutputContext muxer(raw_muxer);

  VideoWriteReport report{video.width + video.width % 2, video.height + video.height % 2,
                          video.width % 2 != 0 || video.height % 2 != 0};
  StreamEncoder video_encoder(muxer.get(), h264_encoder(path_text), path_text);
  AVCodecContext* video_context = video_encoder.context();
  video_context->width = report.encoded_width;
  video_context->height = report.encoded_height;
  video_context->pix_fmt = AV_PIX_FMT_YUV420P;
  video_context->framerate = av_d2q(video.fps, 100000);
  video_context->time_base = av_inv_q(video_context->framerate);
  AVDictionary* video_options = nullptr;
  av_dict_set(&video_options, "crf", "18", 0);
  av_dict_set(&video_options, "preset", "medium", 0);
  video_encoder.open(&video_options);
  av_dict_free(&video_options);

  std::unique_ptr<StreamEncoder> audio_encoder;
  if (audio != nullptr) {
    const AVCodec* aac = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (aac == nullptr) {
      throw MediaError("cannot write " + path_text + ": this FFmpeg has no AAC encoder");
    }
    audio_encoder = std::make_unique<StreamEncoder>(muxer.get(), aac, path_text);
    AVCodecContext* audio_context = audio_encoder->context();
    audio_context->sample_fmt = AV_SAMPLE_FMT_FLTP;
    audio_context->sample_rate = audio->sample_rate;
    audio_context->bit_rate = 192000;
    audio_context->time_base = AVRational{1, audio->sample_rate};
    av_channel_layout_default(&audio_context->ch_layout, audio->num_channels);
    audio_encoder->open(nullptr);
  }

  ffmpeg::check(avio_open(&muxer->pb, temporary.c_str(), AVIO_FLAG_WRITE), "cannot create",
                path_text);
  av_dict_set(&muxer->metadata, "comment", comment_text(video, comment_json).c_str(), 0);
  AVDictionary* muxer_options = nullptr;
  av_dict_set(&muxer_options, "movflags", "+faststart", 0);
  const int header_result = avformat_write_header(muxer.get(), &muxer_options);
  av_dict_free(&muxer_options);
  ffmpeg::check(header_result, "cannot write", path_text);
  write_video_frames(video_encoder, video, path_text);
  if (audio_encoder) {
    write_audio_samples(*audio_encoder, *audio, path_text);
  }
  ffmpeg::check(av_write_trailer(muxer.get()), "cannot finish", path_text);
  muxer.reset();
  output.commit();
  return report;
}

}  // namespace cosmos3::media
