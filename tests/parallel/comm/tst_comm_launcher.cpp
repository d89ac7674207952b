// cosmos3-launch end to end: a rank that crashes, hangs or calls the wrong collective makes the
// run fail in bounded time, naming the rank, its status and its log, and the other ranks report
// which peer failed instead of hanging.

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

namespace {

struct LaunchResult {
  int exit_code = -1;
  QString output;  // stdout and stderr together
  qint64 elapsed_ms = 0;
};

LaunchResult launch(const QStringList& launcher_arguments, const QStringList& program,
                    const QString& comm_timeout_s = "30") {
  QProcess process;
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  environment.insert("COSMOS3_COMM_TIMEOUT_S", comm_timeout_s);
  environment.insert("OMP_NUM_THREADS", "1");
  process.setProcessEnvironment(environment);
  process.setProcessChannelMode(QProcess::MergedChannels);
  QElapsedTimer timer;
  timer.start();
  process.start(COSMOS3_LAUNCH_PATH, launcher_arguments + QStringList{"--"} + program);
  process.waitForFinished(120'000);
  return {process.exitCode(), QString::fromUtf8(process.readAll()), timer.elapsed()};
}

QString read_log(const QString& path) {
  QFile file(path);
  file.open(QIODevice::ReadOnly);
  return QString::fromUtf8(file.readAll());
}

}  // namespace

class TestCommLauncher : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void successfulRunExitsZeroWithOneLogPerRank() {
    QTemporaryDir logs;
    const auto result =
        launch({"--nproc", "3", "--log-dir", logs.path()},
               {"sh", "-c", "echo hello from $COSMOS3_RANK of $COSMOS3_WORLD_SIZE"});
    QCOMPARE(result.exit_code, 0);
    QVERIFY2(result.output.contains("hello from 0 of 3"), qPrintable(result.output));
    QVERIFY(!result.output.contains("hello from 1"));  // only rank 0 reaches the terminal
    QVERIFY(read_log(logs.filePath("rank-2.log")).contains("hello from 2 of 3"));
  }

  void crashingRankFailsTheRunAndIsNamed() {
    QTemporaryDir logs;
    const auto result =
        launch({"--nproc", "3", "--log-dir", logs.path()}, {COSMOS3_FAULTY_RANK_PATH, "crash"});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.output.contains("rank 1 failed with killed by signal"),
             qPrintable(result.output));
    QVERIFY2(result.output.contains("SIGABRT"), qPrintable(result.output));
    QVERIFY2(result.output.contains(logs.filePath("rank-1.log")), qPrintable(result.output));
    // The survivors saw a dead peer themselves, within the grace period. A survivor may see the
    // other survivor exit before it notices rank 1, so only the first to notice must name rank 1.
    const QString survivor_logs =
        read_log(logs.filePath("rank-0.log")) + read_log(logs.filePath("rank-2.log"));
    QCOMPARE(survivor_logs.count("caught: "), 2);
    QVERIFY2(survivor_logs.contains(QRegularExpression(
                 "rank 1 (closed its connection|broke the connection).*\\[peer 1\\]")),
             qPrintable(survivor_logs));
    QVERIFY2(result.elapsed_ms < 30'000, qPrintable(QString::number(result.elapsed_ms)));
  }

  void hangingRankTimesOutTheOthers() {
    QTemporaryDir logs;
    const auto result = launch({"--nproc", "2", "--log-dir", logs.path(), "--grace", "1"},
                               {COSMOS3_FAULTY_RANK_PATH, "hang"}, "2");
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.output.contains("rank 0 failed with exit status 3"), qPrintable(result.output));
    QVERIFY2(result.output.contains("rank 1 was stopped by the launcher"),
             qPrintable(result.output));
    const QString log = read_log(logs.filePath("rank-0.log"));
    QVERIFY2(
        log.contains("timed out after 2 s in all_reduce_sum of group 'world' waiting for rank 1"),
        qPrintable(log));
    QVERIFY2(result.elapsed_ms < 30'000, qPrintable(QString::number(result.elapsed_ms)));
  }

  void mismatchedCollectivesFailOnBothSides() {
    QTemporaryDir logs;
    const auto result = launch({"--nproc", "2", "--log-dir", logs.path()},
                               {COSMOS3_FAULTY_RANK_PATH, "mismatch"}, "5");
    QCOMPARE(result.exit_code, 1);
    // Both ranks read the other's header; a rank that throws first may leave the other only
    // its closed connection to report, so at least one log names the mismatch.
    const QString logs_text =
        read_log(logs.filePath("rank-0.log")) + read_log(logs.filePath("rank-1.log"));
    QVERIFY2(logs_text.contains("different orders or with different shapes"),
             qPrintable(logs_text));
  }

  void timeoutStopsEveryRank() {
    QTemporaryDir logs;
    const auto result =
        launch({"--nproc", "2", "--log-dir", logs.path(), "--timeout", "1"}, {"sleep", "60"});
    QCOMPARE(result.exit_code, 124);
    QVERIFY2(result.output.contains("timed out after 1 s"), qPrintable(result.output));
    QVERIFY(result.elapsed_ms < 20'000);
  }

  void missingProgramIsReported() {
    QTemporaryDir logs;
    const auto result =
        launch({"--nproc", "2", "--log-dir", logs.path()}, {"/nonexistent/cosmos3-program"});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.output.contains("exit status 127"), qPrintable(result.output));
    QVERIFY2(result.output.contains("cannot execute the program"), qPrintable(result.output));
  }

  void badArgumentsPrintUsage() {
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(COSMOS3_LAUNCH_PATH, {"--nproc", "zero", "--", "true"});
    process.waitForFinished(10'000);
    QCOMPARE(process.exitCode(), 2);
    const QString output = QString::fromUtf8(process.readAll());
    QVERIFY2(output.contains("--nproc needs an integer >= 1, got 'zero'"), qPrintable(output));
    QVERIFY(output.contains("usage: cosmos3-launch"));
  }
};

QTEST_GUILESS_MAIN(TestCommLauncher)
#include "tst_comm_launcher.moc"
