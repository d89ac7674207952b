// A download onto a real, small filesystem (a 1 MiB tmpfs that tools/with_small_filesystem.sh
// mounts for this test alone, named by COSMOS3_SMALL_FS): the free-disk check refuses a model that
// cannot fit before any file is requested, naming the bytes needed and free (from the real
// statvfs), and a disk that fills up mid-file stops the download with nothing half-written under
// a final name and no manifest; once space is freed the same download resumes.

#include "core/hub/disk_space.h"
#include "core/hub/download_manifest.h"
#include "core/hub/hub_errors.h"
#include "core/hub/model_downloader.h"
#include "tests/hub/hub_test_repo.h"
#include "tests/hub/hub_test_server.h"
#include "tests/test_support.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <fcntl.h>
#include <unistd.h>

using namespace cosmos3::hub;
using cosmos3::test::contains_all;
using cosmos3::test::HubTestServer;
using cosmos3::test::read_bytes;

namespace {

// Writes `path` until the filesystem refuses another byte: the disk is then really full.
void fill_filesystem(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  QVERIFY(fd >= 0);
  const std::string block(4096, 'x');
  while (::write(fd, block.data(), block.size()) > 0) {
  }
  for (char byte = 'x'; ::write(fd, &byte, 1) == 1;) {
  }
  ::close(fd);
}

}  // namespace

class HubFullDiskTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir repos_;
  std::filesystem::path small_fs_;

  DownloadOptions options_for(const HubTestServer& server, const std::string& repo) const {
    DownloadOptions options;
    options.repo = repo;
    options.folder = small_fs_ / repo;
    options.endpoint = server.endpoint();
    options.retry_delay = std::chrono::milliseconds(0);
    return options;
  }

 private Q_SLOTS:
  void initTestCase() {
    const QByteArray small_fs = qgetenv("COSMOS3_SMALL_FS");
    QVERIFY2(!small_fs.isEmpty(), "run through tools/with_small_filesystem.sh (see CMakeLists)");
    small_fs_ = small_fs.toStdString();
    QVERIFY2(free_disk_bytes(small_fs_) <= 1024 * 1024, "COSMOS3_SMALL_FS is no small filesystem");
    const std::filesystem::path repos = repos_.path().toStdString();
    cosmos3::test::write_pipeline_repo(repos / "test/TooBig", 700'000);
    cosmos3::test::write_pipeline_repo(repos / "test/Fits", 300'000);
  }

  void free_disk_check_refuses_before_any_file_is_requested() {
    HubTestServer server(repos_.path());
    ModelDownloader downloader(options_for(server, "test/TooBig"));
    const DownloadPlan plan = downloader.plan();
    QCOMPARE(plan.num_bytes_free, free_disk_bytes(small_fs_));
    QVERIFY(plan.num_bytes_to_fetch() > plan.num_bytes_free);
    try {
      downloader.download(plan);
      QFAIL("a 1.4 MB model was downloaded onto a 1 MiB filesystem");
    } catch (const DiskSpaceError& error) {
      QCOMPARE(error.num_bytes_needed(), plan.num_bytes);
      QCOMPARE(error.num_bytes_free(), plan.num_bytes_free);
      QVERIFY(contains_all(
          error.what(),
          {downloader.options().folder.string(), std::to_string(plan.num_bytes) + " bytes",
           std::to_string(plan.num_bytes_free) + " bytes", "--dir"}));
    }
    for (const auto& request : server.requests()) {
      QCOMPARE(request.kind, QString("api"));  // the listing, no file
    }
    QVERIFY(!std::filesystem::exists(downloader.options().folder));
  }

  void disk_full_mid_file_stops_cleanly_and_resumes_after_freeing_space() {
    HubTestServer server(repos_.path());
    ModelDownloader downloader(options_for(server, "test/Fits"));
    const std::filesystem::path folder = downloader.options().folder;
    const std::filesystem::path filler = small_fs_ / "filler";
    const DownloadPlan plan = downloader.plan();
    QVERIFY(plan.num_bytes_to_fetch() < plan.num_bytes_free);  // the pre-check lets it start

    const std::string vae = "vae/diffusion_pytorch_model.safetensors";
    std::string message;
    try {
      downloader.download(plan, [&](const DownloadProgress& progress) {
        // Another program takes the rest of the disk while the VAE's weights arrive.
        if (progress.path == vae && progress.num_file_bytes_done > 0 &&
            !std::filesystem::exists(filler)) {
          fill_filesystem(filler);
        }
      });
    } catch (const DownloadError& error) {
      message = error.what();
    }
    QVERIFY(contains_all(message, {vae + ".partial", "No space left on device", "resumes"}));
    QVERIFY(!std::filesystem::exists(folder / vae));
    QVERIFY(!read_download_manifest(folder).has_value());
    const std::string original = read_bytes(
        (std::filesystem::path(repos_.path().toStdString()) / "test/Fits" / vae).string());
    const std::string partial = read_bytes((folder / (vae + ".partial")).string());
    QVERIFY(partial.size() < original.size());
    QCOMPARE(partial, original.substr(0, partial.size()));  // a true prefix, nothing garbled
    QVERIFY(std::filesystem::exists(folder / "transformer/diffusion_pytorch_model.safetensors"));

    std::filesystem::remove(filler);
    downloader.download(downloader.plan());
    QVERIFY(read_download_manifest(folder).has_value());
    QVERIFY(verify_model_folder(folder).empty());
    const auto requests =
        server.byte_requests_for("test/Fits/vae/diffusion_pytorch_model.safetensors");
    QCOMPARE(requests.back().range_start, static_cast<qint64>(partial.size()));
    QCOMPARE(server.byte_requests_for("test/Fits/transformer/diffusion_pytorch_model.safetensors")
                 .size(),
             size_t{1});
  }
};

QTEST_GUILESS_MAIN(HubFullDiskTest)
#include "tst_hub_full_disk.moc"
