// --guidance-interval and --control-guidance-interval (the reference's guidance_interval and
// control_guidance_interval): parsed into the request a transfer job runs, refused with the fix
// when malformed, outside the timesteps, given without --control, or given for a guidance that
// is off; the job object's [LOW, HIGH] arrays go through the same parser. That an interval
// changes the result as the reference's does is checked end to end in
// tools/check_transfer_cli.py (golden case edge_intervals).

#include "parallel/backend/job_request.h"
#include "parallel/backend/transfer_job.h"
#include "tests/pipeline/generate_command_line.h"
#include "tests/test_support.h"

#include <QtTest/QtTest>

using namespace cosmos3;
using nlohmann::json;
using test::contains_all;
using test::generate_usage_error;
using test::with_required_flags;

namespace {

pipeline::TransferRequest request_of(std::vector<std::string_view> arguments) {
  const std::vector<std::string_view> full = with_required_flags(std::move(arguments));
  return backend::transfer_request_of(app::parse_generate_options(full),
                                      pipeline::PipelineFolder{});
}

std::string request_error(std::vector<std::string_view> arguments) {
  return test::error_message_of<pipeline::RequestError>([&] { request_of(std::move(arguments)); });
}

using Interval = std::pair<double, double>;

}  // namespace

class TransferGuidanceIntervalsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void intervalsReachTheRequest() {
    const pipeline::TransferRequest request =
        request_of({"--control", "edge=e.mp4", "--guidance-interval", "0,800",
                    "--control-guidance-interval", "500.5,1000"});
    QVERIFY(request.guidance.guidance_interval == Interval(0, 800));
    QVERIFY(request.guidance.control_guidance_interval == Interval(500.5, 1000));
    const pipeline::TransferRequest every_step = request_of({"--control", "edge=e.mp4"});
    QVERIFY(!every_step.guidance.guidance_interval);
    QVERIFY(!every_step.guidance.control_guidance_interval);
  }

  void refusesMalformedIntervals() {
    QVERIFY(contains_all(
        generate_usage_error({"--control", "edge=e.mp4", "--guidance-interval", "800"}),
        {"--guidance-interval takes LOW,HIGH (e.g. 0,800), got '800'"}));
    QVERIFY(contains_all(
        generate_usage_error({"--control", "edge=e.mp4", "--guidance-interval", "0,500,800"}),
        {"--guidance-interval takes LOW,HIGH"}));
    QVERIFY(contains_all(
        generate_usage_error({"--control", "edge=e.mp4", "--control-guidance-interval", "900,100"}),
        {"--control-guidance-interval 900,100", "0 <= LOW <= HIGH <= 1000"}));
    QVERIFY(contains_all(
        generate_usage_error({"--control", "edge=e.mp4", "--guidance-interval", "0,1200"}),
        {"--guidance-interval 0,1200", "0 <= LOW <= HIGH <= 1000"}));
    QVERIFY(contains_all(
        generate_usage_error({"--control", "edge=e.mp4", "--guidance-interval", "-5,10"}),
        {"0 <= LOW <= HIGH <= 1000"}));
    QVERIFY(contains_all(generate_usage_error({"--guidance-interval", "0,800"}),
                         {"--guidance-interval", "apply to transfer jobs", "--control HINT=FILE"}));
  }

  void refusesAnIntervalOfAGuidanceThatIsOff() {
    // wsm's preset turns text guidance off (scale 1).
    QVERIFY(contains_all(request_error({"--control", "wsm=w.mp4", "--guidance-interval", "0,800"}),
                         {"--guidance-interval limits text guidance, which is off",
                          "raise --guidance-scale above 1"}));
    QVERIFY(contains_all(request_error({"--control", "edge=e.mp4", "--guidance-scale", "1",
                                        "--guidance-interval", "0,800"}),
                         {"leave --guidance-interval out"}));
    QVERIFY(contains_all(request_error({"--control", "edge=e.mp4", "--control-guidance", "1",
                                        "--control-guidance-interval", "0,800"}),
                         {"--control-guidance-interval limits control guidance, which is off",
                          "give --control-guidance another value"}));
    QVERIFY(request_of({"--control", "wsm=w.mp4", "--control-guidance-interval", "0,800"})
                .guidance.control_guidance_interval.has_value());
  }

  void jobFieldsTakeIntervalArrays() {
    backend::EngineSettings group;
    group.model_dir = "/models/tiny";
    json job{{"prompt", "p"},
             {"output_dir", "/out"},
             {"control", {{"edge", "/in/e.mp4"}}},
             {"guidance_interval", {0, 800.5}},
             {"control_guidance_interval", {500, 1000}}};
    const app::GenerateOptions options = backend::job_options(job, group);
    QVERIFY(options.transfer.guidance_interval == Interval(0, 800.5));
    QVERIFY(options.transfer.control_guidance_interval == Interval(500, 1000));
    job["guidance_interval"] = {"0", 800};
    QVERIFY(contains_all(
        test::error_message_of<app::UsageError>([&] { backend::job_options(job, group); }),
        {"job field \"guidance_interval\" takes [LOW, HIGH] (two numbers)"}));
    job["guidance_interval"] = {0, 500, 800};
    QVERIFY(contains_all(
        test::error_message_of<app::UsageError>([&] { backend::job_options(job, group); }),
        {"--guidance-interval takes LOW,HIGH"}));
  }
};

QTEST_APPLESS_MAIN(TransferGuidanceIntervalsTest)
#include "tst_transfer_guidance_intervals.moc"
