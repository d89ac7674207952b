// The protocol's transfer fields (PROTOCOL.md): a job's "control" object becomes one --control
// flag per hint and goes through cosmos3-generate's own parser, so a job is refused exactly
// where the command line would be; malformed values name the field.

#include "parallel/backend/job_request.h"
#include "tests/test_support.h"

#include <QtTest/QtTest>

using namespace cosmos3;
using nlohmann::json;
using test::contains_all;

namespace {

backend::EngineSettings group() {
  backend::EngineSettings settings;
  settings.model_dir = "/models/tiny";
  return settings;
}

std::string job_error(const json& job) {
  return test::error_message_of<app::UsageError>([&] { backend::job_options(job, group()); });
}

}  // namespace

class TransferJobFieldsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void controlsBecomeFlags() {
    const json job{{"prompt", "{\"caption\": \"a street\"}"},
                   {"output_dir", "/out"},
                   {"control", {{"seg", "/in/seg.mp4"}, {"edge", "/in/e=1.mp4"}}},
                   {"control_guidance", 2.0},
                   {"num_video_frames_per_chunk", 61},
                   {"num_conditional_frames", 5}};
    const app::GenerateOptions options = backend::job_options(job, group());
    QVERIFY(options.transfer.active());
    QCOMPARE(options.transfer.controls.size(), std::size_t{2});
    bool has_edge = false;
    for (const app::ControlVideoPath& control : options.transfer.controls) {
      if (control.hint == pipeline::ControlHint::kEdge) {
        has_edge = true;
        QCOMPARE(control.path.string(), std::string("/in/e=1.mp4"));
      }
    }
    QVERIFY(has_edge);
    QCOMPARE(options.transfer.control_guidance.value_or(0), 2.0);
    QCOMPARE(options.transfer.frames_per_chunk.value_or(0), int64_t{61});
    QCOMPARE(options.transfer.num_conditional_frames.value_or(0), int64_t{5});
  }

  // null: the worker makes the control from "control_source", as `--control edge` does.
  void nullControlsAreMadeFromTheSource() {
    const json job{{"prompt", "p"},
                   {"output_dir", "/out"},
                   {"control", {{"edge", nullptr}, {"depth", "/in/depth.mp4"}}},
                   {"control_source", "/in/street.mp4"},
                   {"edge_thresholds", "50,150"}};
    const app::GenerateOptions options = backend::job_options(job, group());
    QCOMPARE(options.transfer.controls.size(), std::size_t{2});
    for (const app::ControlVideoPath& control : options.transfer.controls) {
      QCOMPARE(control.made(), control.hint == pipeline::ControlHint::kEdge);
    }
    QCOMPARE(options.transfer.control_source->string(), std::string("/in/street.mp4"));
    QCOMPARE(options.transfer.edge_map->low_threshold, 50.0);
    QCOMPARE(options.transfer.edge_map->high_threshold, 150.0);
    json without_source = job;
    without_source.erase("control_source");
    without_source.erase("edge_thresholds");
    QVERIFY(contains_all(job_error(without_source), {"add --control-source FILE"}));
    json depth_made = job;
    depth_made["control"] = {{"depth", nullptr}};
    depth_made.erase("edge_thresholds");
    QVERIFY(contains_all(job_error(depth_made), {"only edge and blur controls can be made"}));
  }

  void inputVideoSeedsTheFirstChunk() {
    const json job{{"prompt", "{\"caption\": \"a street\"}"},
                   {"output_dir", "/out"},
                   {"control", {{"edge", "/in/edges.mp4"}}},
                   {"video_path", "/in/start.mp4"},
                   {"num_first_chunk_conditional_frames", 3}};
    const app::GenerateOptions options = backend::job_options(job, group());
    QCOMPARE(options.video_path.value_or("").string(), std::string("/in/start.mp4"));
    QCOMPARE(options.transfer.num_first_chunk_conditional_frames.value_or(0), int64_t{3});
    json unseeded = job;
    unseeded.erase("video_path");
    QVERIFY(contains_all(job_error(unseeded), {"add --video-path FILE"}));
  }

  void refusesMalformedControls() {
    const json base{{"prompt", "p"}, {"output_dir", "/out"}};
    json job = base;
    job["control"] = "/in/edge.mp4";
    QVERIFY(contains_all(job_error(job), {"job field \"control\" takes an object", "edge"}));
    job["control"] = json::object();
    QVERIFY(contains_all(job_error(job), {"job field \"control\" takes an object"}));
    job["control"] = {{"edge", 3}};
    QVERIFY(contains_all(job_error(job), {"maps hint \"edge\" to a file path string",
                                          "null: made from \"control_source\""}));
    job["control"] = {{"normals", "/in/n.mp4"}};
    QVERIFY(contains_all(job_error(job), {"unknown control hint 'normals'"}));
    job = base;
    job["control_guidance"] = 2.0;
    QVERIFY(contains_all(job_error(job), {"apply to transfer jobs"}));
    job["control"] = {{"edge", "/in/e.mp4"}};
    job["vision_path"] = "/in/a.png";
    QVERIFY(contains_all(job_error(job), {"--vision-path cannot be combined with --control"}));
  }
};

QTEST_APPLESS_MAIN(TransferJobFieldsTest)
#include "tst_transfer_job_fields.moc"
