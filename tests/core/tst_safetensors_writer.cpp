// Our writer: round trip through our reader here, and through the reference library in the
// CTest case safetensors_writer_reads_in_reference, which reads the file this suite leaves.

#include "core/errors.h"
#include "core/safetensors/safetensors_file.h"
#include "core/safetensors/writer.h"
#include "tests/core/safetensors_expected.h"

#include <ATen/ops/equal.h>

#include <QtTest/QtTest>

#include <filesystem>

using cosmos3::safetensors::SafetensorsFile;

class SafetensorsWriterTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void writesWhatTheReferenceWrote() {
    const SafetensorsFile reference(cosmos3::test::fixture_dir() + "/dtypes.safetensors");
    std::vector<std::pair<std::string, at::Tensor>> named_tensors;
    for (const std::string& name : reference.tensor_names()) {
      named_tensors.emplace_back(name, reference.load(name));
    }
    const std::string path = cosmos3::test::fixture_dir() + "/cpp_written.safetensors";
    cosmos3::safetensors::write_file(path, named_tensors, reference.metadata());

    const SafetensorsFile written(path);
    QVERIFY(written.metadata() == cosmos3::test::expected_metadata());
    QCOMPARE(written.tensor_names(), reference.tensor_names());
    for (const auto& [name, tensor] : named_tensors) {
      const at::Tensor read_back = written.load(name);
      QCOMPARE(read_back.scalar_type(), tensor.scalar_type());
      QVERIFY(read_back.sizes() == tensor.sizes());
      QVERIFY(tensor.numel() == 0 || at::equal(read_back, tensor));
    }
  }

  void stridedTensorsAreWrittenInLogicalOrder() {
    QTemporaryDir folder;
    const std::string path = folder.filePath("transposed.safetensors").toStdString();
    const at::Tensor transposed = cosmos3::test::arange_of(6).reshape({2, 3}).t();
    cosmos3::safetensors::write_file(path, {{"t", transposed}});
    QVERIFY(at::equal(SafetensorsFile(path).load("t"), transposed.contiguous()));
  }

  void failedWriteLeavesNoFile() {
    QTemporaryDir folder;
    const std::filesystem::path missing_folder =
        std::filesystem::path(folder.path().toStdString()) / "no-such-folder";
    const auto path = missing_folder / "out.safetensors";
    QVERIFY_THROWS_EXCEPTION(cosmos3::UserError, cosmos3::safetensors::write_file(
                                                     path, {{"x", cosmos3::test::arange_of(3)}}));
    QVERIFY(!std::filesystem::exists(missing_folder));
  }

  void duplicateNamesAreRefused() {
    QTemporaryDir folder;
    const std::string path = folder.filePath("dup.safetensors").toStdString();
    const at::Tensor values = cosmos3::test::arange_of(3);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, cosmos3::safetensors::write_file(
                                                        path, {{"x", values}, {"x", values}}));
    QVERIFY(!std::filesystem::exists(path));
  }
};

QTEST_APPLESS_MAIN(SafetensorsWriterTest)
#include "tst_safetensors_writer.moc"
