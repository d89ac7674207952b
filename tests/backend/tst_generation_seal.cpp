// The parameters checksum of generation.json: it covers the sound flag (so a restored job makes
// sound exactly when the original did) but not the settings the worker adds after sealing
// (num_samples, seconds); edits to either the parameters or the flag are caught.

#include "parallel/backend/generation_seal.h"

#include <QtTest/QtTest>

#include <cstdio>
#include <fstream>
#include <string>

using namespace cosmos3::backend;

namespace {

nlohmann::json silent_metadata() {
  return {{"prompt", "waves on a shore"},
          {"negative_prompt", ""},
          {"seed", 11},
          {"num_frames", 9},
          {"height", 128},
          {"width", 192},
          {"fps", 25},
          {"num_steps", 2},
          {"guidance_scale", 6},
          {"flow_shift", 5},
          {"use_system_prompt", true}};
}

nlohmann::json sound_metadata() {
  nlohmann::json metadata = silent_metadata();
  metadata["sound"] = {{"sample_rate", 48000}, {"num_latent_frames", 9}, {"num_channels", 8}};
  return metadata;
}

bool seal_holds(const nlohmann::json& metadata) {
  try {
    check_parameters_seal(metadata, "generation.json");
    return true;
  } catch (const SealError&) {
    return false;
  }
}

}  // namespace

class GenerationSealTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void theSoundFlagIsReadFromTheSoundSettings() {
    QVERIFY(!made_sound(silent_metadata()));
    QVERIFY(made_sound(sound_metadata()));
    nlohmann::json not_settings = silent_metadata();
    not_settings["sound"] = nullptr;
    QVERIFY(!made_sound(not_settings));
  }

  void theChecksumCoversTheSoundFlag() {
    QVERIFY(parameters_checksum(sound_metadata()) != parameters_checksum(silent_metadata()));

    nlohmann::json with_sound = sound_metadata();
    seal_parameters(with_sound);
    QVERIFY(seal_holds(with_sound));
    nlohmann::json sound_removed = with_sound;
    sound_removed.erase("sound");
    QVERIFY(!seal_holds(sound_removed));

    nlohmann::json silent = silent_metadata();
    seal_parameters(silent);
    nlohmann::json sound_added = silent;
    sound_added["sound"] = sound_metadata()["sound"];
    QVERIFY(!seal_holds(sound_added));
  }

  void whatTheWorkerAddsAfterSealingKeepsTheSeal() {
    nlohmann::json metadata = sound_metadata();
    seal_parameters(metadata);
    metadata["sound"]["num_samples"] = 17280;
    metadata["seconds"] = {{"denoise", 1.5}};
    QVERIFY(seal_holds(metadata));
    metadata["seed"] = 12;
    QVERIFY(!seal_holds(metadata));
  }

  // A transfer job's controls are its parameters: their files, how made ones were made, and
  // the files' digests; the chunk count follows from them and is not restored.
  void theChecksumCoversTransferControls() {
    nlohmann::json metadata = silent_metadata();
    metadata.update(
        {{"mode", "transfer"},
         {"control",
          {{"edge", {{"made_from", "/in/street.mp4"}, {"low_threshold", 100}}},
           {"depth", "/in/depth.mp4"}}},
         {"control_digests",
          {{"edge", "fnv1a64:0000000000000001"}, {"depth", "fnv1a64:0000000000000002"}}},
         {"control_guidance", 1.5},
         {"num_video_frames_per_chunk", 9},
         {"num_conditional_frames", 1},
         {"num_chunks", 1}});
    seal_parameters(metadata);
    QVERIFY(seal_holds(metadata));
    for (const auto& [key, value] :
         std::vector<std::pair<nlohmann::json::json_pointer, nlohmann::json>>{
             {"/control/depth"_json_pointer, "/in/other.mp4"},
             {"/control/edge/low_threshold"_json_pointer, 50},
             {"/control_digests/depth"_json_pointer, "fnv1a64:0000000000000003"},
             {"/control_guidance"_json_pointer, 2.0},
             {"/num_video_frames_per_chunk"_json_pointer, 13},
             {"/num_conditional_frames"_json_pointer, 2}}) {
      nlohmann::json edited = metadata;
      edited[key] = value;
      QVERIFY2(!seal_holds(edited), key.to_string().c_str());
    }
    nlohmann::json recount = metadata;
    recount["num_chunks"] = 2;
    QVERIFY(seal_holds(recount));
  }

  // A file's digest is FNV-1a over all its bytes, read a block at a time: a file spanning
  // several blocks, with a last partial one, digests as the whole byte string does.
  void fileDigestCoversEveryByteAcrossBlocks() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::string bytes(2'500'000, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 131) % 251);
    const std::string path = dir.filePath(QStringLiteral("clip.bin")).toStdString();
    std::ofstream(path, std::ios::binary) << bytes;
    std::uint64_t hash = 14695981039346656037ULL;
    for (const unsigned char byte : bytes) hash = (hash ^ byte) * 1099511628211ULL;
    char expected[32];
    std::snprintf(expected, sizeof(expected), "fnv1a64:%016llx",
                  static_cast<unsigned long long>(hash));
    QCOMPARE(file_digest(path), std::string(expected));
    std::ofstream(path, std::ios::binary | std::ios::app) << 'x';
    QVERIFY(file_digest(path) != std::string(expected));
  }
};

QTEST_GUILESS_MAIN(GenerationSealTest)
#include "tst_generation_seal.moc"
