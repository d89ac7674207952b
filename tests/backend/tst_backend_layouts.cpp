// Resident groups of several ranks (real processes, our CPU transport): context parallelism 2
// and CFG 2 x tensor parallelism 2 give latents bitwise equal to cosmos3-generate's run of the
// same request on the same layout, CFG 3 (a guided video job: one group without a pass) equal
// to one rank's, and every rank reports its peak memory.

#include "backend_jobs.h"

#include <QTemporaryDir>

#include <fstream>

using namespace cosmos3;
using namespace std::chrono_literals;
using json = nlohmann::json;

class BackendLayoutsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir temporary_{"/tmp/c3layouts-XXXXXX"};
  std::filesystem::path root_;
  std::filesystem::path model_dir_;

  void check_layout(const std::string& name, int cfg, int tp, int cp, const QStringList& flags) {
    test::EventLog log;
    const std::filesystem::path run = root_ / ("run-" + name);
    {
      backend::BackendGroup group(test::tiny_group(model_dir_, run, cfg, tp, cp), log.handler());
      group.start();
      QVERIFY(log.wait_for_type("ready", "", 180s));
      QCOMPARE(group.rank_pids().size(), static_cast<size_t>(cfg * tp * cp));
      for (const char* job_id : {"first", "second"}) {
        group.submit(job_id, test::tiny_job(root_ / name / job_id));
        const auto end = log.wait_for_end(job_id, 180s);
        QVERIFY(end);
        QCOMPARE((*end)["type"].get<std::string>(), std::string("finished"));
        QCOMPARE((*end)["peak_memory_bytes"].size(), static_cast<size_t>(cfg * tp * cp));
      }
      QCOMPARE(log.count([](const json& e) { return e.value("type", "") == "ready"; }), size_t{1});
    }
    const std::filesystem::path cli =
        test::generate_with_cli(model_dir_, root_ / (name + "-cli"), flags);
    QVERIFY(at::equal(test::read_latents(root_ / name / "first" / "latents.safetensors"),
                      test::read_latents(cli)));
    QVERIFY(at::equal(test::read_latents(root_ / name / "second" / "latents.safetensors"),
                      test::read_latents(cli)));
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(temporary_.isValid());
    root_ = temporary_.path().toStdString();
    model_dir_ = root_ / "tiny";
    test::make_tiny_checkpoint(model_dir_);
  }

  void contextParallel2() { check_layout("cp2", 1, 1, 2, {"--cp", "2"}); }

  void cfg2TimesTensorParallel2() {
    check_layout("cfg2tp2", 2, 2, 1, {"--cfg-parallel", "2", "--tp", "2"});
  }

  // One rank group per transfer pass running a guided text-to-video job (two passes): the
  // third group has no pass of its own on any step, and the seed, cancel and command
  // agreements still hold all three in step. Compared with one rank's run.
  void cfg3GuidedVideoEqualsOneRank() {
    check_layout("cfg3", 3, 1, 1, {});
    const nlohmann::json generation = nlohmann::json::parse(
        std::ifstream(root_ / "cfg3" / "first" / "generation.json"), nullptr, false);
    QVERIFY(generation.is_object());
    QVERIFY(generation.at("guidance_scale").get<double>() != 1.0);
    QCOMPARE(generation.at("parallel").at("cfg").get<int>(), 3);
  }
};

QTEST_GUILESS_MAIN(BackendLayoutsTest)
#include "tst_backend_layouts.moc"
