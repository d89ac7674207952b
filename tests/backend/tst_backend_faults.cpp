// Faults of a resident group, each ending its job with one classified `failed` event and a
// group that runs the next job: a rank killed with SIGKILL mid-job, a rank whose address space
// is too small for a large job, an output folder that cannot be written (on a layout of two
// ranks, where the writing rank's problem must reach the other rank too).

#include "backend_jobs.h"
#include "tests/test_support.h"

#include <QTemporaryDir>

#include <signal.h>
#include <sys/stat.h>

using namespace cosmos3;
using namespace std::chrono_literals;
using json = nlohmann::json;

class BackendFaultsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir temporary_{"/tmp/c3faults-XXXXXX"};
  std::filesystem::path root_;
  std::filesystem::path model_dir_;

  static bool is_group_state(const json& event, const char* state) {
    return event.value("type", "") == "group" && event.value("state", "") == state;
  }

  void expect_next_job_succeeds(backend::BackendGroup& group, test::EventLog& log,
                                const std::string& job_id) {
    group.submit(job_id, test::tiny_job(root_ / job_id, 2));
    const auto end = log.wait_for_end(job_id, 180s);
    QVERIFY(end);
    QCOMPARE((*end)["type"].get<std::string>(), std::string("finished"));
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(temporary_.isValid());
    root_ = temporary_.path().toStdString();
    model_dir_ = root_ / "tiny";
    test::make_tiny_checkpoint(model_dir_);
  }

  void killedRankFailsTheJobNamingItAndTheGroupRestarts() {
    test::EventLog log;
    backend::BackendGroup group(test::tiny_group(model_dir_, root_ / "run-kill", 1, 1, 2),
                                log.handler());
    group.start();
    QVERIFY(log.wait_for_type("ready", "", 180s));
    group.submit("doomed", test::tiny_job(root_ / "doomed", 200));
    QVERIFY(log.wait_for(
        [](const json& e) { return e.value("type", "") == "step" && e.value("step", 0) >= 2; },
        120s));
    const pid_t victim = group.rank_pids().at(1);
    const auto killed_at = std::chrono::steady_clock::now();
    QCOMPARE(::kill(victim, SIGKILL), 0);
    const auto end = log.wait_for_end("doomed", 30s);
    QVERIFY(end);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - killed_at).count();
    QVERIFY2(seconds < 10, qPrintable(QString::number(seconds)));
    QCOMPARE((*end)["type"].get<std::string>(), std::string("failed"));
    QCOMPARE((*end)["class"].get<std::string>(), std::string("rank_died"));
    const std::string message = (*end)["message"];
    QVERIFY2(message.find("rank 1") != std::string::npos, message.c_str());
    QVERIFY2(message.find("SIGKILL") != std::string::npos, message.c_str());
    QVERIFY(!(*end)["suggestion"].get<std::string>().empty());
    QVERIFY(log.wait_for([](const json& e) { return is_group_state(e, "restarting"); }, 10s));
    QVERIFY(log.wait_for([&](const json& e) { return e.value("type", "") == "ready"; }, 180s,
                         log.size() - 1));
    QVERIFY(std::filesystem::is_empty(root_ / "doomed"));
    expect_next_job_succeeds(group, log, "after-kill");
    QCOMPARE(log.count([](const json& e) {
      return e.value("job_id", "") == "doomed" && e.value("type", "") == "failed";
    }),
             size_t{1});
  }

  // The limit holds rank 1's address space to what it had at start plus 700 MiB: enough for
  // the tiny model and a small job, not for VAE-encoding a 2048x2048 conditioning clip.
  void rankOutOfAddressSpaceFailsWithTheOutOfMemoryClass() {
    test::EventLog log;
    backend::GroupConfig config = test::tiny_group(model_dir_, root_ / "run-oom", 1, 1, 2);
    config.rank_environment[1] = {"COSMOS3_RANK_ADDRESS_SPACE_HEADROOM_MB=700"};
    backend::BackendGroup group(config, log.handler());
    group.start();
    QVERIFY(log.wait_for_type("ready", "", 180s));
    // A first job's image is the conditioning input of the large one.
    json image_job = test::tiny_job(root_ / "image", 2);
    image_job["num_frames"] = 1;
    image_job.erase("output_latents");
    group.submit("image", image_job);
    const auto image = log.wait_for_end("image", 180s);
    QVERIFY(image);
    QCOMPARE((*image)["type"].get<std::string>(), std::string("finished"));
    json large = test::tiny_job(root_ / "large", 2);
    large["height"] = 2048;
    large["width"] = 2048;
    large["vision_path"] = (root_ / "image" / "sample.jpg").string();
    group.submit("large", large);
    const auto end = log.wait_for_end("large", 300s);
    QVERIFY(end);
    QCOMPARE((*end)["type"].get<std::string>(), std::string("failed"));
    QCOMPARE((*end)["class"].get<std::string>(), std::string("out_of_memory"));
    const std::string message = (*end)["message"];
    QVERIFY2(message.find("rank 1") != std::string::npos, message.c_str());
    QVERIFY2(message.find("2048x2048") != std::string::npos, message.c_str());
    QVERIFY2(message.find("encoding_conditioning") != std::string::npos, message.c_str());
    QVERIFY((*end)["suggestion"].get<std::string>().find("--cp") != std::string::npos);
    QVERIFY(log.wait_for([&](const json& e) { return e.value("type", "") == "ready"; }, 180s,
                         log.size() - 1));
    expect_next_job_succeeds(group, log, "after-oom");
  }

  void unwritableOutputFolderFailsWithTheOutputClass() {
    test::EventLog log;
    backend::BackendGroup group(test::tiny_group(model_dir_, root_ / "run-ro", 1, 1, 2),
                                log.handler());
    group.start();
    QVERIFY(log.wait_for_type("ready", "", 180s));
    const std::filesystem::path read_only = root_ / "read-only";
    std::filesystem::create_directories(read_only);
    ::chmod(read_only.c_str(), 0500);
    if (::geteuid() == 0) {
      // root writes anywhere: a path under a regular file cannot be created by anyone.
      test::write_bytes((root_ / "a-file").string(), "x");
    }
    const std::filesystem::path target =
        ::geteuid() == 0 ? root_ / "a-file" / "out" : read_only / "out";
    group.submit("no-room", test::tiny_job(target, 2));
    const auto end = log.wait_for_end("no-room", 120s);
    QVERIFY(end);
    QCOMPARE((*end)["type"].get<std::string>(), std::string("failed"));
    QCOMPARE((*end)["class"].get<std::string>(), std::string("output"));
    expect_next_job_succeeds(group, log, "after-output");
    // Both ranks gave the job up together: the group stayed loaded.
    QCOMPARE(log.count([](const json& e) { return is_group_state(e, "restarting"); }), size_t{0});
  }
};

QTEST_GUILESS_MAIN(BackendFaultsTest)
#include "tst_backend_faults.moc"
