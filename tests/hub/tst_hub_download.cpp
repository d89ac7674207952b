// Downloads from a real local HTTP server with the Hub's API shape (tools/hub_test_server.py):
// only the files the pipeline loads are fetched, an interrupted download resumes without
// refetching finished files, a flipped byte is caught by the checksum and the file refetched,
// a gated repository names the licence URL, and a canceled download resumes.

#include "core/hub/download_manifest.h"
#include "core/hub/hub_errors.h"
#include "core/hub/model_downloader.h"
#include "core/hub/model_store.h"
#include "tests/hub/hub_test_repo.h"
#include "tests/hub/hub_test_server.h"
#include "tests/test_support.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <atomic>

using namespace cosmos3::hub;
using cosmos3::test::contains_all;
using cosmos3::test::error_message_of;
using cosmos3::test::HubTestServer;
using cosmos3::test::read_bytes;

namespace {

constexpr size_t kWeightsSize = 300'000;
const QString kRepo = "test/Cosmos3-Small";
const QString kVaeWeights = kRepo + "/vae/diffusion_pytorch_model.safetensors";
const QString kTransformerWeights = kRepo + "/transformer/diffusion_pytorch_model.safetensors";

QJsonObject fault(const QString& id, const QString& path, const QString& kind, qint64 offset,
                  int times = 1) {
  return QJsonObject{
      {"id", id}, {"path", path}, {"kind", kind}, {"offset", offset}, {"times", times}};
}

}  // namespace

class HubDownloadTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir repos_;
  std::filesystem::path repo_dir_;

  DownloadOptions options_for(const HubTestServer& server, const QTemporaryDir& target,
                              int num_attempts = 3) const {
    DownloadOptions options;
    options.repo = kRepo.toStdString();
    options.folder = std::filesystem::path(target.path().toStdString()) / kRepo.toStdString();
    options.endpoint = server.endpoint();
    options.num_attempts_per_file = num_attempts;
    options.retry_delay = std::chrono::milliseconds(0);
    return options;
  }

  // Every selected file holds the repository's bytes, and nothing else was written.
  void verify_complete_copy(const std::filesystem::path& folder) const {
    for (const std::string& path : cosmos3::test::pipeline_repo_selected_files()) {
      QVERIFY2(read_bytes((folder / path).string()) == read_bytes((repo_dir_ / path).string()),
               path.c_str());
    }
    size_t num_files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
      num_files += entry.is_regular_file() ? 1 : 0;
    }
    QCOMPARE(num_files, cosmos3::test::pipeline_repo_selected_files().size() + 1);  // + manifest
    QVERIFY(read_download_manifest(folder).has_value());
    QVERIFY(verify_model_folder(folder).empty());
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(repos_.isValid());
    repo_dir_ = std::filesystem::path(repos_.path().toStdString()) / kRepo.toStdString();
    cosmos3::test::write_pipeline_repo(repo_dir_, kWeightsSize);
    cosmos3::test::write_pipeline_repo(
        std::filesystem::path(repos_.path().toStdString()) / "test/Gated", 1000);
  }

  void downloads_only_the_files_the_pipeline_loads() {
    HubTestServer server(repos_.path());
    QTemporaryDir target;
    ModelDownloader downloader(options_for(server, target));
    const DownloadPlan plan = downloader.plan();
    QCOMPARE(plan.files.size(), cosmos3::test::pipeline_repo_selected_files().size());
    QCOMPARE(plan.num_bytes_present, uint64_t{0});
    QVERIFY(plan.num_bytes > 2 * kWeightsSize);
    QVERIFY(!plan.complete);

    std::vector<DownloadProgress> reports;
    downloader.download(plan,
                        [&](const DownloadProgress& progress) { reports.push_back(progress); });
    verify_complete_copy(downloader.options().folder);
    QCOMPARE(reports.back().num_bytes_done, plan.num_bytes);
    for (const auto& request : server.requests()) {
      QVERIFY2(!request.path.endsWith(".fp16.safetensors") && !request.path.endsWith(".bin") &&
                   !request.path.endsWith(".png") && !request.path.endsWith("README.md"),
               qPrintable(request.path));
    }
    // Planned again, the folder is complete and the download asks for no file.
    const size_t num_requests = server.requests().size();
    QVERIFY(downloader.plan().complete);
    downloader.download(downloader.plan());
    QCOMPARE(server.requests().size(), num_requests + 2);  // the two listings
  }

  void interrupted_download_resumes_without_refetching_finished_files() {
    HubTestServer server(repos_.path());
    server.set_faults({fault("drop", kVaeWeights, "drop", 120'000)});
    QTemporaryDir target;
    ModelDownloader downloader(options_for(server, target, /*num_attempts=*/1));
    const std::string message =
        error_message_of<DownloadError>([&] { downloader.download(downloader.plan()); });
    QVERIFY(contains_all(message, {"vae/diffusion_pytorch_model.safetensors", "rerun to resume"}));

    const std::filesystem::path folder = downloader.options().folder;
    QVERIFY(!read_download_manifest(folder).has_value());
    QVERIFY(!std::filesystem::exists(folder / "vae/diffusion_pytorch_model.safetensors"));
    const std::string partial =
        read_bytes((folder / "vae/diffusion_pytorch_model.safetensors.partial").string());
    QCOMPARE(partial.size(), size_t{120'000});
    QCOMPARE(partial, read_bytes((repo_dir_ / "vae/diffusion_pytorch_model.safetensors").string())
                          .substr(0, 120'000));
    QVERIFY(!ModelStore(target.path().toStdString()).list().at(0).complete);

    const DownloadPlan plan = downloader.plan();
    QVERIFY(plan.num_bytes_present >= kWeightsSize + 120'000);  // transformer + vae prefix
    downloader.download(plan);
    verify_complete_copy(folder);
    QCOMPARE(server.byte_requests_for(kTransformerWeights).size(), size_t{1});
    QCOMPARE(server.byte_requests_for(kRepo + "/model_index.json").size(), size_t{1});
    const auto vae_requests = server.byte_requests_for(kVaeWeights);
    QCOMPARE(vae_requests.size(), size_t{2});
    QCOMPARE(vae_requests[0].range_start, qint64{0});
    QCOMPARE(vae_requests[1].range_start, qint64{120'000});
    QCOMPARE(vae_requests[1].status, 206);
  }

  void dropped_connection_is_resumed_within_the_same_run() {
    HubTestServer server(repos_.path());
    server.set_faults({fault("drop", kTransformerWeights, "drop", 200'000)});
    QTemporaryDir target;
    ModelDownloader downloader(options_for(server, target));
    downloader.download(downloader.plan());
    verify_complete_copy(downloader.options().folder);
    const auto requests = server.byte_requests_for(kTransformerWeights);
    QCOMPARE(requests.size(), size_t{2});
    QCOMPARE(requests[1].range_start, qint64{200'000});
  }

  void corrupted_byte_is_detected_and_the_file_refetched() {
    HubTestServer server(repos_.path());
    server.set_faults({fault("flip", kVaeWeights, "flip", 1234)});
    QTemporaryDir target;
    ModelDownloader downloader(options_for(server, target));
    downloader.download(downloader.plan());
    verify_complete_copy(downloader.options().folder);
    const auto requests = server.byte_requests_for(kVaeWeights);
    QCOMPARE(requests.size(), size_t{2});
    QCOMPARE(requests[1].range_start, qint64{0});  // a wrong byte can be anywhere: from the start
  }

  void a_file_that_stays_corrupt_fails_and_is_not_kept() {
    HubTestServer server(repos_.path());
    server.set_faults({fault("flip", kRepo + "/transformer/config.json", "flip", 3, 100)});
    QTemporaryDir target;
    ModelDownloader downloader(options_for(server, target, /*num_attempts=*/2));
    const std::string message =
        error_message_of<DownloadError>([&] { downloader.download(downloader.plan()); });
    QVERIFY(contains_all(message, {"transformer/config.json", "checksum", "2 downloads"}));
    const std::filesystem::path folder = downloader.options().folder;
    QVERIFY(!std::filesystem::exists(folder / "transformer/config.json"));
    QVERIFY(!std::filesystem::exists(folder / "transformer/config.json.partial"));
    QVERIFY(!read_download_manifest(folder).has_value());
  }

  void gated_repo_without_token_names_the_licence_url() {
    HubTestServer server(repos_.path(), "test/Gated", "secret");
    QTemporaryDir target;
    DownloadOptions options = options_for(server, target);
    options.repo = "test/Gated";
    try {
      ModelDownloader(options).plan();
      QFAIL("a gated repository answered without a token");
    } catch (const GatedRepoError& error) {
      QCOMPARE(error.licence_url(), std::string("https://huggingface.co/test/Gated"));
      QVERIFY(contains_all(error.what(), {"test/Gated is gated", "no Hugging Face token",
                                          "https://huggingface.co/test/Gated", "HF_TOKEN"}));
    }
    // A token whose account has no access: the list is public, the first file is refused.
    options.token = AccessToken{"wrong", "HF_TOKEN"};
    ModelDownloader refused(options);
    QVERIFY(
        contains_all(error_message_of<GatedRepoError>([&] { refused.download(refused.plan()); }),
                     {"has no access to test/Gated",
                      "accept the licence at https://huggingface.co/test/Gated"}));
    QVERIFY(!read_download_manifest(options.folder).has_value());
    for (const auto& entry : std::filesystem::recursive_directory_iterator(options.folder)) {
      QVERIFY2(!entry.is_regular_file(), entry.path().c_str());  // not even an empty .partial
    }
    options.token = AccessToken{"secret", "HF_TOKEN"};
    ModelDownloader downloader(options);
    downloader.download(downloader.plan());
    QVERIFY(read_download_manifest(options.folder).has_value());
  }

  void unknown_repo_and_revision_are_named() {
    HubTestServer server(repos_.path());
    QTemporaryDir target;
    DownloadOptions options = options_for(server, target);
    options.repo = "test/Nope";
    QVERIFY(
        contains_all(error_message_of<RepoNotFoundError>([&] { ModelDownloader(options).plan(); }),
                     {"test/Nope", "not found", "repository id"}));
    options = options_for(server, target);
    options.revision = "v9";
    QVERIFY(
        contains_all(error_message_of<RepoNotFoundError>([&] { ModelDownloader(options).plan(); }),
                     {"v9", "--revision"}));
    options.repo = "no-owner";
    QVERIFY(contains_all(error_message_of<DownloadError>([&] { ModelDownloader{options}; }),
                         {"no-owner", "OWNER/NAME"}));
  }

  void canceled_download_keeps_its_partial_and_resumes() {
    HubTestServer server(repos_.path());
    QTemporaryDir target;
    ModelDownloader downloader(options_for(server, target));
    std::atomic<bool> stop{false};
    QVERIFY_THROWS_EXCEPTION(DownloadCanceled, downloader.download(
                                                   downloader.plan(),
                                                   [&](const DownloadProgress& progress) {
                                                     if (progress.path.find("vae/diffusion") == 0 &&
                                                         progress.num_file_bytes_done > 0) {
                                                       stop = true;
                                                     }
                                                   },
                                                   &stop));
    const std::filesystem::path folder = downloader.options().folder;
    QVERIFY(std::filesystem::exists(folder / "vae/diffusion_pytorch_model.safetensors.partial"));
    QVERIFY(!read_download_manifest(folder).has_value());
    downloader.download(downloader.plan());
    verify_complete_copy(folder);
    QCOMPARE(server.byte_requests_for(kTransformerWeights).size(), size_t{1});
    QVERIFY(server.byte_requests_for(kVaeWeights).back().range_start > 0);
  }
};

QTEST_GUILESS_MAIN(HubDownloadTest)
#include "tst_hub_download.moc"
