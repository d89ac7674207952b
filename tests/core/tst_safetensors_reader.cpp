// Our reader against files written by the reference `safetensors` package.

#include "core/safetensors/checkpoint.h"
#include "tests/core/safetensors_expected.h"

#include <ATen/ops/equal.h>

#include <QtTest/QtTest>

using cosmos3::safetensors::Checkpoint;
using cosmos3::safetensors::SafetensorsFile;

namespace {

bool same_tensor(const at::Tensor& actual, const at::Tensor& expected) {
  return actual.scalar_type() == expected.scalar_type() && actual.sizes() == expected.sizes() &&
         (actual.numel() == 0 || at::equal(actual, expected));
}

std::string describe(const at::Tensor& tensor) {
  return std::string(c10::toString(tensor.scalar_type())) + " " + c10::str(tensor.sizes());
}

}  // namespace

class SafetensorsReaderTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void everyDtypeEqualsTheReference() {
    const SafetensorsFile file(cosmos3::test::fixture_dir() + "/dtypes.safetensors");
    const auto expected = cosmos3::test::expected_dtype_tensors();
    QCOMPARE(file.tensor_names().size(), expected.size());
    for (const auto& [name, expected_tensor] : expected) {
      const at::Tensor loaded = file.load(name);
      QVERIFY2(
          same_tensor(loaded, expected_tensor),
          (name + ": got " + describe(loaded) + ", expected " + describe(expected_tensor)).c_str());
    }
  }

  void metadataIsRead() {
    const SafetensorsFile file(cosmos3::test::fixture_dir() + "/dtypes.safetensors");
    QVERIFY(file.metadata() == cosmos3::test::expected_metadata());
  }

  void slicesAlongEveryDimensionEqualNarrow() {
    const SafetensorsFile file(cosmos3::test::fixture_dir() + "/dtypes.safetensors");
    const auto expected = cosmos3::test::expected_dtype_tensors();
    for (const std::string name : {"bf16_block", "f32_matrix", "f64_column", "u8_bytes"}) {
      const at::Tensor& whole = expected.at(name);
      for (int64_t dim = 0; dim < whole.dim(); ++dim) {
        const int64_t size = whole.size(dim);
        for (int64_t start = 0; start < size; ++start) {
          for (int64_t length = 0; start + length <= size; ++length) {
            const at::Tensor slice = file.load_slice(name, dim, start, length);
            QVERIFY2(same_tensor(slice, whole.narrow(dim, start, length)),
                     (name + " dim " + std::to_string(dim) + " start " + std::to_string(start) +
                      " length " + std::to_string(length))
                         .c_str());
          }
        }
      }
    }
  }

  void shardedIndexOpensFromFolderOrIndex() {
    const std::string folder = cosmos3::test::fixture_dir() + "/sharded";
    for (const std::string& path : {folder, folder + "/model.safetensors.index.json"}) {
      const Checkpoint checkpoint(path);
      QCOMPARE(checkpoint.tensor_names().size(), std::size_t{3});
      QVERIFY(checkpoint.file_of("blocks.1.weight")
                  .path()
                  .ends_with("model-00002-of-00002.safetensors"));
      QVERIFY(
          checkpoint.file_of("blocks.0.bias").path().ends_with("model-00001-of-00002.safetensors"));
      const at::Tensor weight = cosmos3::test::arange_of(24).reshape({4, 6});
      QVERIFY(same_tensor(checkpoint.load("blocks.0.weight"), weight));
      QVERIFY(
          same_tensor(checkpoint.load_slice("blocks.0.weight", 1, 2, 3), weight.narrow(1, 2, 3)));
      const at::Tensor second =
          (cosmos3::test::arange_of(12).reshape({2, 3, 2}) / 5).to(at::kBFloat16);
      QVERIFY(same_tensor(checkpoint.load("blocks.1.weight"), second));
    }
  }

  void singleFileOpensAsCheckpoint() {
    const Checkpoint checkpoint(cosmos3::test::fixture_dir() + "/dtypes.safetensors");
    QCOMPARE(checkpoint.tensor_names().size(), cosmos3::test::expected_dtype_tensors().size());
    QVERIFY(checkpoint.contains("i64_ids"));
    QVERIFY(!checkpoint.contains("lm_head.weight"));
    QCOMPARE(checkpoint.entry("bf16_block").shape, (std::vector<int64_t>{2, 3, 4}));
  }
};

QTEST_APPLESS_MAIN(SafetensorsReaderTest)
#include "tst_safetensors_reader.moc"
