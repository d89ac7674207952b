// The parts of the model download that need no server: which repository files the pipeline
// loads, the Hub's listing JSON, where the token comes from, the manifest, and the model store
// (default folder, registered folders, what counts as complete).

#include "core/hub/access_token.h"
#include "core/hub/download_manifest.h"
#include "core/hub/hub_errors.h"
#include "core/hub/hub_urls.h"
#include "core/hub/model_store.h"
#include "core/hub/pipeline_file_selection.h"
#include "core/hub/repo_listing.h"
#include "tests/hub/hub_test_repo.h"
#include "tests/test_support.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <cstdlib>

using namespace cosmos3::hub;
using cosmos3::test::contains_all;
using cosmos3::test::error_message_of;

namespace {

RepoListing listing_of(const std::vector<std::string>& paths) {
  RepoListing listing{
      .repo = "owner/model", .revision = "main", .commit = "abc", .gated = false, .files = {}};
  for (const std::string& path : paths) {
    listing.files.push_back(RepoFile{.path = path, .size = 1, .lfs_sha256 = {}, .git_blob_id = {}});
  }
  return listing;
}

// Sets an environment variable for one scope, restoring it after.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const QByteArray& value)
      : name_(name), had_(qEnvironmentVariableIsSet(name)), old_(qgetenv(name)) {
    if (value.isNull()) {
      qunsetenv(name);
    } else {
      qputenv(name, value);
    }
  }
  ~ScopedEnvironment() {
    if (had_) {
      qputenv(name_, old_);
    } else {
      qunsetenv(name_);
    }
  }

 private:
  const char* name_;
  bool had_;
  QByteArray old_;
};

}  // namespace

class HubSelectionTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void pipeline_loads_only_what_the_engine_reads_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("loaded");
    const std::pair<const char*, bool> cases[] = {
        {"model_index.json", true},
        {"modular_model_index.json", true},
        {"transformer/config.json", true},
        {"transformer/diffusion_pytorch_model.safetensors", true},
        {"transformer/diffusion_pytorch_model-00001-of-00004.safetensors", true},
        {"transformer/diffusion_pytorch_model.safetensors.index.json", true},
        {"vae/diffusion_pytorch_model.safetensors", true},
        {"scheduler/scheduler_config.json", true},
        {"text_tokenizer/tokenizer.json", true},
        {"text_tokenizer/merges.txt", true},
        {"text_tokenizer/chat_template.jinja", true},
        {"tokenizer/tokenizer.json", true},
        {"sound_tokenizer/config.json", true},
        {"sound_tokenizer/diffusion_pytorch_model.safetensors", true},
        // other precisions
        {"transformer/diffusion_pytorch_model.fp16.safetensors", false},
        {"transformer/diffusion_pytorch_model-00001-of-00004.bf16.safetensors", false},
        {"transformer/diffusion_pytorch_model.safetensors.index.fp16.json", false},
        // other formats, training state, components we never load, top-level extras
        {"transformer/diffusion_pytorch_model.bin", false},
        {"transformer/optimizer.pt", false},
        {"transformer/trainer_state.json", false},
        {"transformer/training_args.json", false},
        {"safety_checker/config.json", false},
        {"text_encoder/model.safetensors", false},
        {"assets/teaser.png", false},
        {"README.md", false},
        {".gitattributes", false},
        {"config.json", false}};
    for (const auto& [path, loaded] : cases) {
      QTest::newRow(path) << QString(path) << loaded;
    }
  }

  void pipeline_loads_only_what_the_engine_reads() {
    QFETCH(QString, path);
    QFETCH(bool, loaded);
    QCOMPARE(pipeline_loads_file(path.toStdString()), loaded);
  }

  void selection_keeps_listing_order_and_drops_the_rest() {
    const RepoListing listing = listing_of(
        {"README.md", "model_index.json", "scheduler/scheduler_config.json",
         "text_tokenizer/tokenizer.json", "transformer/diffusion_pytorch_model.safetensors",
         "transformer/diffusion_pytorch_model.fp16.safetensors",
         "vae/diffusion_pytorch_model.safetensors"});
    std::vector<std::string> selected;
    for (const RepoFile& file : select_pipeline_files(listing)) {
      selected.push_back(file.path);
    }
    QCOMPARE(selected,
             (std::vector<std::string>{"model_index.json", "scheduler/scheduler_config.json",
                                       "text_tokenizer/tokenizer.json",
                                       "transformer/diffusion_pytorch_model.safetensors",
                                       "vae/diffusion_pytorch_model.safetensors"}));
  }

  void a_repo_without_loadable_weights_is_refused_by_name() {
    // Only a variant: nothing our loader reads, so downloading would only fill the disk.
    const RepoListing listing = listing_of(
        {"model_index.json", "scheduler/scheduler_config.json", "text_tokenizer/tokenizer.json",
         "transformer/diffusion_pytorch_model.fp16.safetensors"});
    const std::string message =
        error_message_of<DownloadError>([&] { select_pipeline_files(listing); });
    QVERIFY(contains_all(message, {"owner/model", "transformer/*.safetensors", "vae/*.safetensors",
                                   "nvidia/Cosmos3-Nano"}));
  }

  void listing_json_gives_sizes_and_checksums() {
    const RepoListing listing = parse_repo_listing(
        R"({"sha": "c0ffee", "siblings": [
              {"rfilename": "model_index.json", "size": 12, "blobId": "aa"},
              {"rfilename": "vae/w.safetensors", "size": 99, "blobId": "bb",
               "lfs": {"sha256": "dd", "size": 5000, "pointerSize": 134}}]})",
        "owner/model", "main", "test");
    QCOMPARE(listing.commit, std::string("c0ffee"));
    QVERIFY(!listing.gated);
    QVERIFY(parse_repo_listing(R"({"sha": "c", "gated": "manual", "siblings": []})", "o/m", "main",
                               "test")
                .gated);
    QCOMPARE(listing.files.size(), size_t{2});
    QCOMPARE(listing.files[0].git_blob_id, std::string("aa"));
    QVERIFY(!listing.files[0].lfs_sha256);
    QCOMPARE(listing.files[1].size, uint64_t{5000});  // the LFS object's, not the pointer's
    QCOMPARE(listing.files[1].lfs_sha256.value_or(""), std::string("dd"));
  }

  void listing_json_without_sizes_names_the_file() {
    const std::string message = error_message_of<DownloadError>([] {
      parse_repo_listing(R"({"sha": "c", "siblings": [{"rfilename": "model_index.json"}]})",
                         "owner/model", "main", "http://hub/api");
    });
    QVERIFY(contains_all(message, {"http://hub/api", "model_index.json", "no size"}));
  }

  void resolve_urls_encode_each_segment() {
    QCOMPARE(resolve_url("http://hub", "owner/model", "refs/pr/1", "a b/c.json"),
             std::string("http://hub/owner/model/resolve/refs%2Fpr%2F1/a%20b/c.json"));
  }

  void token_precedence_is_explicit_then_env_then_file() {
    QTemporaryDir hf_home;
    cosmos3::test::put_file(std::filesystem::path(hf_home.path().toStdString()) / "token",
                            "  file-token\n");
    const ScopedEnvironment home("HF_HOME", hf_home.path().toUtf8());
    const ScopedEnvironment token_path("HF_TOKEN_PATH", QByteArray());
    {
      const ScopedEnvironment env_token("HF_TOKEN", "env-token");
      QCOMPARE(find_access_token("given")->value, std::string("given"));
      QCOMPARE(find_access_token()->value, std::string("env-token"));
      QCOMPARE(find_access_token()->source, std::string("HF_TOKEN"));
    }
    const ScopedEnvironment no_env_token("HF_TOKEN", QByteArray());
    QCOMPARE(find_access_token()->value, std::string("file-token"));
    std::filesystem::remove(std::filesystem::path(hf_home.path().toStdString()) / "token");
    QVERIFY(!find_access_token().has_value());
  }

  void manifest_round_trips_and_its_absence_means_incomplete() {
    QTemporaryDir folder;
    const std::filesystem::path root = folder.path().toStdString();
    QVERIFY(!read_download_manifest(root).has_value());
    const DownloadManifest written{
        .repo = "owner/model",
        .revision = "main",
        .commit = "c0ffee",
        .files = {RepoFile{
            .path = "vae/w.safetensors", .size = 7, .lfs_sha256 = "dd", .git_blob_id = "bb"}}};
    write_download_manifest(root, written);
    const auto read = read_download_manifest(root);
    QVERIFY(read.has_value());
    QCOMPARE(read->commit, std::string("c0ffee"));
    QCOMPARE(read->files.at(0).lfs_sha256.value_or(""), std::string("dd"));
    QCOMPARE(read->files.at(0).size, uint64_t{7});
  }

  void models_live_under_the_xdg_data_dir() {
    const ScopedEnvironment data_home("XDG_DATA_HOME", "/data/home");
    QCOMPARE(default_model_folder(resolve_model_alias("nano")),
             std::filesystem::path("/data/home/cosmos3-studio/models/nvidia/Cosmos3-Nano"));
    QCOMPARE(resolve_model_alias("super"), std::string("nvidia/Cosmos3-Super"));
    QCOMPARE(resolve_model_alias("me/Mine"), std::string("me/Mine"));
  }

  void store_lists_downloads_and_registered_folders() {
    QTemporaryDir root_dir;
    QTemporaryDir outside_dir;
    const std::filesystem::path root = root_dir.path().toStdString();
    ModelStore store(root);
    // A finished download, an unfinished one, and a folder the user already had.
    cosmos3::test::write_pipeline_repo(root / "nvidia/Done", 10);
    write_download_manifest(
        root / "nvidia/Done",
        {.repo = "nvidia/Done", .revision = "main", .commit = "c", .files = {}});
    cosmos3::test::write_pipeline_repo(root / "nvidia/Half", 10);
    const std::filesystem::path snapshot = std::filesystem::path(outside_dir.path().toStdString());
    cosmos3::test::write_pipeline_repo(snapshot, 10);
    store.add_existing_folder(snapshot);
    store.add_existing_folder(snapshot);  // twice is once

    const auto models = store.list();
    QCOMPARE(models.size(), size_t{3});
    QCOMPARE(models[0].repo, std::string("nvidia/Done"));
    QVERIFY(models[0].complete);
    QCOMPARE(models[1].repo, std::string("nvidia/Half"));
    QVERIFY(!models[1].complete);
    QVERIFY(models[2].registered);
    QCOMPARE(models[2].folder, snapshot.lexically_normal());

    store.remove(snapshot);  // forgets it, keeps its files
    QVERIFY(std::filesystem::exists(snapshot / "model_index.json"));
    store.remove(root / "nvidia/Half");  // deletes a download
    QVERIFY(!std::filesystem::exists(root / "nvidia/Half"));
    QCOMPARE(store.list().size(), size_t{1});
  }

  void store_refuses_a_folder_that_is_no_pipeline() {
    QTemporaryDir root_dir;
    QTemporaryDir not_a_model;
    ModelStore store(root_dir.path().toStdString());
    const std::string message = error_message_of<DownloadError>(
        [&] { store.add_existing_folder(not_a_model.path().toStdString()); });
    QVERIFY(contains_all(
        message, {not_a_model.path().toStdString(), "model_index.json", "snapshots/<commit>/"}));
    QVERIFY(contains_all(error_message_of<DownloadError>([&] { store.remove("/somewhere/else"); }),
                         {"/somewhere/else", "neither a download"}));
  }
};

QTEST_GUILESS_MAIN(HubSelectionTest)
#include "tst_hub_selection.moc"
