// cosmos3-batch end to end: a JSON-lines file of jobs (one malformed line among them) runs
// through one resident group, prints a summary table, and a rerun skips the finished jobs
// without touching their outputs.

#include "backend_jobs.h"
#include "tests/test_support.h"

#include <QTemporaryDir>

using namespace cosmos3;
using json = nlohmann::json;

class BackendBatchTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir temporary_{"/tmp/c3batch-XXXXXX"};

  static QProcess* run_batch(const std::filesystem::path& root, const QStringList& extra = {}) {
    auto* process = new QProcess;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("COSMOS3_WORKER", COSMOS3_WORKER_PROGRAM);
    environment.insert("XDG_RUNTIME_DIR", QString::fromStdString((root / "rt").string()));
    process->setProcessEnvironment(environment);
    process->start(COSMOS3_BATCH_PROGRAM,
                   QStringList{"--model", QString::fromStdString((root / "tiny").string()),
                               "--output-dir", QString::fromStdString((root / "out").string())} +
                       extra + QStringList{QString::fromStdString((root / "jobs.jsonl").string())});
    process->waitForFinished(300000);
    return process;
  }

 private Q_SLOTS:
  void rerunSkipsFinishedJobs() {
    QVERIFY(temporary_.isValid());
    const std::filesystem::path root = temporary_.path().toStdString();
    test::make_tiny_checkpoint(root / "tiny");
    json first = test::tiny_job(root / "ignored", 2);
    first.erase("output_dir");
    first.erase("output_latents");
    first["name"] = "first";
    json second = first;
    second["name"] = "second";
    second["seed"] = 9;
    test::write_bytes((root / "jobs.jsonl").string(),
                      first.dump() + "\n# a comment\n\n{not json\n" + second.dump() + "\n");

    std::unique_ptr<QProcess> run(run_batch(root));
    const QString output = run->readAllStandardOutput();
    QCOMPARE(run->exitCode(), 1);  // the malformed line is reported, not lost
    QVERIFY2(output.contains("| first | finished |"), qPrintable(output));
    QVERIFY2(output.contains("| second | finished |"), qPrintable(output));
    QVERIFY2(output.contains("| line-4 | invalid |"), qPrintable(output));
    QVERIFY2(output.contains("line 4 is not a JSON object"), qPrintable(output));
    const std::filesystem::path first_video = root / "out" / "first" / "sample.mp4";
    QVERIFY(std::filesystem::exists(first_video));
    QVERIFY(std::filesystem::exists(root / "out" / "second" / "generation.json"));
    const auto written_at = std::filesystem::last_write_time(first_video);

    std::unique_ptr<QProcess> rerun(run_batch(root));
    const QString summary = rerun->readAllStandardOutput();
    QVERIFY2(summary.contains("| first | skipped |"), qPrintable(summary));
    QVERIFY2(summary.contains("| second | skipped |"), qPrintable(summary));
    QCOMPARE(std::filesystem::last_write_time(first_video), written_at);
  }

  void unknownFlagIsNamed() {
    const std::filesystem::path root = temporary_.path().toStdString();
    std::unique_ptr<QProcess> run(run_batch(root, {"--frobnicate", "1"}));
    QCOMPARE(run->exitCode(), 2);
    QVERIFY(run->readAllStandardError().contains("--frobnicate"));
  }
};

QTEST_GUILESS_MAIN(BackendBatchTest)
#include "tst_backend_batch.moc"
