// A resident single-rank group on the CPU, driven through the supervisor as the studio drives
// it: events in order, two jobs on one model load, latents bitwise equal to cosmos3-generate's
// for the same request, cancel mid-denoise with nothing left behind, live previews (of a
// transfer job's target too).

#include "backend_jobs.h"

#include <QTemporaryDir>

using namespace cosmos3;
using namespace std::chrono_literals;
using json = nlohmann::json;

class BackendJobsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir temporary_{"/tmp/c3jobs-XXXXXX"};
  std::filesystem::path root_;
  std::filesystem::path model_dir_;
  test::EventLog log_;
  std::unique_ptr<backend::BackendGroup> group_;

  std::filesystem::path output(const std::string& name) { return root_ / "out" / name; }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(temporary_.isValid());
    root_ = temporary_.path().toStdString();
    model_dir_ = root_ / "tiny";
    test::make_tiny_checkpoint(model_dir_);
    group_ = std::make_unique<backend::BackendGroup>(test::tiny_group(model_dir_, root_ / "run"),
                                                     log_.handler());
    group_->start();
    QVERIFY(log_.wait_for_type("ready", "", 120s));
  }

  void cleanupTestCase() { group_.reset(); }

  void jobEventsArriveInOrderAndMatchTheCli() {
    const size_t first = log_.size();
    group_->submit("job-a", test::tiny_job(output("a")));
    const auto end = log_.wait_for_end("job-a", 120s);
    QVERIFY(end);
    QCOMPARE((*end)["type"].get<std::string>(), std::string("finished"));
    std::vector<std::string> sequence;
    for (size_t index = first; index < log_.size(); ++index) {
      const json event = log_.events()[index];
      if (event.value("job_id", "") != "job-a") continue;
      std::string name = event["type"];
      if (name == "phase") name += ":" + event["phase"].get<std::string>();
      if (name == "step") name += ":" + std::to_string(event["step"].get<int>());
      sequence.push_back(name);
    }
    const std::vector<std::string> expected{
        "accepted", "phase:encoding_prompt", "phase:denoising", "step:1",  "step:2",
        "step:3",   "phase:decoding",        "phase:writing",   "finished"};
    QCOMPARE(sequence, expected);
    const json& finished = *end;
    QCOMPARE(finished["seed"].get<uint64_t>(), uint64_t{7});
    QCOMPARE(finished["peak_memory_bytes"].size(), size_t{1});
    QVERIFY(finished["peak_memory_bytes"][0].get<int64_t>() > 0);
    for (const char* phase : {"prompt", "denoise", "decode", "write"}) {
      QVERIFY2(finished["seconds"].contains(phase), phase);
    }
    QVERIFY(std::filesystem::exists(output("a") / "sample.mp4"));
    QVERIFY(std::filesystem::exists(output("a") / "generation.json"));

    const std::filesystem::path cli_latents =
        test::generate_with_cli(model_dir_, output("a-cli"), {});
    QVERIFY(at::equal(test::read_latents(output("a") / "latents.safetensors"),
                      test::read_latents(cli_latents)));
  }

  void secondJobReusesTheLoadedModel() {
    group_->submit("job-b", test::tiny_job(output("b"), 2, 8));
    const auto end = log_.wait_for_end("job-b", 120s);
    QVERIFY(end);
    QCOMPARE((*end)["type"].get<std::string>(), std::string("finished"));
    const auto is = [](const char* type) {
      return [type](const json& event) { return event.value("type", "") == type; };
    };
    QCOMPARE(log_.count(is("ready")), size_t{1});
    QCOMPARE(log_.count([](const json& event) {
      return event.value("type", "") == "group" && event.value("state", "") == "starting";
    }),
             size_t{1});
  }

  void busyGroupRefusesASecondJob() {
    group_->submit("job-long", test::tiny_job(output("long"), 40));
    QVERIFY(log_.wait_for_type("step", "job-long", 60s));
    group_->submit("job-extra", test::tiny_job(output("extra")));
    const auto refused = log_.wait_for_type("refused", "job-extra", 30s);
    QVERIFY(refused);
    QCOMPARE((*refused)["reason"].get<std::string>(), std::string("busy"));
    group_->cancel("job-long");
    QVERIFY(log_.wait_for_end("job-long", 60s));
  }

  void cancelStopsMidDenoiseLeavesNothingAndTheNextJobRuns() {
    group_->submit("job-c", test::tiny_job(output("c"), 40));
    QVERIFY(log_.wait_for(
        [](const json& event) {
          return event.value("job_id", "") == "job-c" && event.value("type", "") == "step" &&
                 event.value("step", 0) >= 2;
        },
        60s));
    group_->cancel("job-c");
    const auto end = log_.wait_for_end("job-c", 60s);
    QVERIFY(end);
    QCOMPARE((*end)["type"].get<std::string>(), std::string("canceled"));
    QVERIFY((*end)["num_steps_done"].get<int>() < 40);
    // Nothing partial: the folder holds no file at all.
    QVERIFY(!std::filesystem::exists(output("c")) || std::filesystem::is_empty(output("c")));
    group_->submit("job-d", test::tiny_job(output("d"), 2));
    const auto next = log_.wait_for_end("job-d", 120s);
    QVERIFY(next);
    QCOMPARE((*next)["type"].get<std::string>(), std::string("finished"));
  }

  void previewsArriveEveryKSteps() {
    json job = test::tiny_job(output("p"), 4);
    job["preview_interval"] = 2;
    group_->submit("job-p", job);
    const auto end = log_.wait_for_end("job-p", 120s);
    QVERIFY(end);
    QCOMPARE((*end)["type"].get<std::string>(), std::string("finished"));
    const auto previews = log_.count([](const json& event) {
      return event.value("job_id", "") == "job-p" && event.value("type", "") == "preview";
    });
    QCOMPARE(previews, size_t{1});  // after step 2; step 4 is the last, which is decoded anyway
    const auto preview = log_.wait_for_type("preview", "job-p", 1s);
    const std::filesystem::path image = (*preview)["path"].get<std::string>();
    QVERIFY(std::filesystem::file_size(image) > 100);
    QVERIFY(!image.string().starts_with(output("p").string()));
    QVERIFY((*end)["seconds"].contains("preview"));
  }

  void transferJobPreviewsArriveOverItsChunks() {
    // The control: a 9-frame clip of the output's size, made by a short job.
    json clip_job = test::tiny_job(output("clip"), 2);
    clip_job["num_frames"] = 9;
    group_->submit("job-clip", clip_job);
    QVERIFY(log_.wait_for_end("job-clip", 120s));
    const json job{{"prompt", "{\"caption\": \"a red ball\"}"},
                   {"output_dir", output("transfer").string()},
                   {"control", {{"edge", (output("clip") / "sample.mp4").string()}}},
                   {"height", 128},
                   {"width", 192},
                   {"steps", 2},
                   {"seed", 7},
                   {"num_video_frames_per_chunk", 5},
                   {"guidance_scale", 1},
                   {"control_guidance", 1},
                   {"preview_interval", 1}};
    group_->submit("job-t", job);
    const auto end = log_.wait_for_end("job-t", 120s);
    QVERIFY(end);
    QCOMPARE((*end)["type"].get<std::string>(), std::string("finished"));
    std::vector<int64_t> preview_steps;
    for (const json& event : log_.events()) {
      if (event.value("job_id", "") == "job-t" && event.value("type", "") == "preview") {
        preview_steps.push_back(event["step"].get<int64_t>());
        QVERIFY(std::filesystem::file_size(event["path"].get<std::string>()) > 0);
      }
    }
    // Two chunks of two steps, counted over the run; the last step is decoded anyway.
    QCOMPARE(preview_steps, (std::vector<int64_t>{1, 2, 3}));
  }

  void invalidJobIsRefusedWithTheRule() {
    json job = test::tiny_job(output("bad"));
    job["height"] = 100;
    group_->submit("job-bad", job);
    const auto refused = log_.wait_for_type("refused", "job-bad", 30s);
    QVERIFY(refused);
    QCOMPARE((*refused)["reason"].get<std::string>(), std::string("invalid"));
    QVERIFY((*refused)["message"].get<std::string>().find("16") != std::string::npos);
    json group_field = test::tiny_job(output("bad2"));
    group_field["device"] = "cuda";
    group_->submit("job-bad2", group_field);
    const auto refused2 = log_.wait_for_type("refused", "job-bad2", 30s);
    QVERIFY(refused2);
    QVERIFY((*refused2)["message"].get<std::string>().find("restart the group") !=
            std::string::npos);
  }
};

QTEST_GUILESS_MAIN(BackendJobsTest)
#include "tst_backend_jobs.moc"
