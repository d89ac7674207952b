// Bad checkpoint files: each must raise CheckpointError naming the file, the tensor where
// there is one, and the problem; random and mutated files must never crash the reader.

#include "core/errors.h"
#include "core/safetensors/checkpoint.h"
#include "tests/core/safetensors_expected.h"
#include "tests/test_support.h"

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <random>

using cosmos3::CheckpointError;
using cosmos3::safetensors::Checkpoint;
using cosmos3::safetensors::SafetensorsFile;
using cosmos3::test::contains_all;
using cosmos3::test::read_bytes;
using cosmos3::test::write_bytes;

template <typename Action>
std::string error_message_of(Action&& action) {
  return cosmos3::test::error_message_of<CheckpointError>(action);
}

namespace {

// A safetensors file from raw header JSON and a data section of `num_data_bytes` zero bytes.
std::string with_header(const std::string& header_json, std::size_t num_data_bytes) {
  std::string bytes(8, '\0');
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[i] = static_cast<char>((header_json.size() >> (8 * i)) & 0xff);
  }
  return bytes + header_json + std::string(num_data_bytes, '\0');
}

}  // namespace

class SafetensorsErrorsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir folder_;

  std::string path_for(const std::string& name) {
    return folder_.filePath(QString::fromStdString(name)).toStdString();
  }

  std::string open_error(const std::string& name, const std::string& bytes) {
    const std::string path = path_for(name);
    write_bytes(path, bytes);
    return error_message_of([&] { SafetensorsFile file(path); });
  }

 private Q_SLOTS:
  void truncatedFileNamesFileAndTensor() {
    const std::string whole = read_bytes(cosmos3::test::fixture_dir() + "/dtypes.safetensors");
    const std::string message =
        open_error("truncated.safetensors", whole.substr(0, whole.size() - 5));
    QVERIFY(contains_all(message, {"truncated.safetensors", "tensor '", "truncated"}));
  }

  void tooShortAndEmptyFiles() {
    QVERIFY(contains_all(open_error("empty.safetensors", ""),
                         {"empty.safetensors", "0 bytes", "too short"}));
    QVERIFY(contains_all(open_error("short.safetensors", "abc"), {"3 bytes", "too short"}));
  }

  void headerLengthBeyondFile() {
    std::string bytes = with_header("{}", 0);
    bytes[5] = 1;  // length now far larger than the file
    QVERIFY(
        contains_all(open_error("long_header.safetensors", bytes), {"header length", "exceeds"}));
  }

  void headerThatIsNotJson() {
    QVERIFY(contains_all(open_error("garbage.safetensors", with_header("{\"a\": [1,", 0)),
                         {"garbage.safetensors", "not a JSON object"}));
  }

  void unsupportedDtypeIsNamed() {
    const std::string header = R"({"w": {"dtype": "C64", "shape": [1], "data_offsets": [0, 8]}})";
    QVERIFY(contains_all(open_error("complex.safetensors", with_header(header, 8)),
                         {"tensor 'w'", "dtype 'C64' is not supported", "BF16"}));
  }

  void shapeDisagreeingWithByteRange() {
    const std::string header =
        R"({"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 20]}})";
    QVERIFY(contains_all(open_error("mismatch.safetensors", with_header(header, 20)),
                         {"tensor 'w'", "[2, 3]", "needs 24 bytes", "span 20"}));
  }

  void hugeShapeDoesNotOverflow() {
    const std::string header =
        R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 0]}})";
    QVERIFY(contains_all(open_error("huge.safetensors", with_header(header, 0)), {"too large"}));
  }

  void overlappingTensors() {
    const std::string header = R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                   "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})";
    QVERIFY(contains_all(open_error("overlap.safetensors", with_header(header, 12)), {"overlap"}));
  }

  void missingTensorAndBadSliceAreNamed() {
    const std::string path = cosmos3::test::fixture_dir() + "/dtypes.safetensors";
    const SafetensorsFile file(path);
    QVERIFY(contains_all(error_message_of([&] { file.load("lm_head.weight"); }),
                         {path, "lm_head.weight", "not in this file"}));
    QVERIFY(contains_all(error_message_of([&] { file.load_slice("f32_matrix", 1, 3, 3); }),
                         {"f32_matrix", "[3, 6)", "dimension 1", "outside"}));
    QVERIFY(contains_all(error_message_of([&] { file.load_slice("f32_matrix", 2, 0, 1); }),
                         {"dimension 2"}));
  }

  void indexNamingMissingShard() {
    const std::string index_path = path_for("missing.safetensors.index.json");
    write_bytes(index_path, R"({"weight_map": {"w": "model-00009.safetensors"}})");
    QVERIFY(contains_all(error_message_of([&] { Checkpoint checkpoint(index_path); }),
                         {"tensor 'w'", "model-00009.safetensors", "missing"}));
  }

  void indexListingTensorAbsentFromShard() {
    const std::string shard = cosmos3::test::fixture_dir() + "/dtypes.safetensors";
    const std::string index_path = path_for("absent.safetensors.index.json");
    std::filesystem::copy_file(shard, path_for("shard.safetensors"),
                               std::filesystem::copy_options::overwrite_existing);
    write_bytes(index_path, R"({"weight_map": {"not_there": "shard.safetensors"}})");
    QVERIFY(contains_all(error_message_of([&] { Checkpoint checkpoint(index_path); }),
                         {"shard.safetensors", "not_there", "missing from this shard"}));
  }

  void indexThatIsNotAnIndex() {
    const std::string index_path = path_for("broken.safetensors.index.json");
    write_bytes(index_path, R"({"metadata": {}})");
    QVERIFY(contains_all(error_message_of([&] { Checkpoint checkpoint(index_path); }),
                         {"broken.safetensors.index.json", "weight_map"}));
  }

  void folderWithoutCheckpoint() {
    QTemporaryDir empty;
    QVERIFY(
        contains_all(error_message_of([&] { Checkpoint checkpoint(empty.path().toStdString()); }),
                     {"no .safetensors file"}));
  }

  // Fuzz-style: random files and single-byte mutations of a real one either open (and then
  // every tensor loads) or raise CheckpointError; nothing else, and no crash.
  void randomAndMutatedFilesNeverCrash() {
    const std::string real = read_bytes(cosmos3::test::fixture_dir() + "/dtypes.safetensors");
    std::mt19937 random(20261125);
    int num_opened = 0;
    int num_refused = 0;
    for (int trial = 0; trial < 400; ++trial) {
      std::string bytes = real;
      if (trial % 2 == 0) {
        bytes.resize(random() % 300);
        for (char& byte : bytes) {
          byte = static_cast<char>(random());
        }
      } else {
        for (int flip = 0; flip < 1 + trial % 4; ++flip) {
          bytes[random() % bytes.size()] = static_cast<char>(random());
        }
        bytes.resize(bytes.size() - random() % 3 * (random() % 50));
      }
      const std::string path = path_for("fuzz.safetensors");
      write_bytes(path, bytes);
      try {
        const SafetensorsFile file(path);
        for (const std::string& name : file.tensor_names()) {
          file.load(name);
        }
        ++num_opened;
      } catch (const CheckpointError&) {
        ++num_refused;
      }
    }
    qInfo("fuzz: %d opened, %d refused with CheckpointError", num_opened, num_refused);
    QVERIFY(num_refused > 0);
  }
};

QTEST_APPLESS_MAIN(SafetensorsErrorsTest)
#include "tst_safetensors_errors.moc"
