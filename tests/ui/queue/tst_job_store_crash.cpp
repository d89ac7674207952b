// Real kills: a helper process works on a store and is killed with SIGKILL; the next session
// must find every committed job, in order, with its inputs, and know that the last one crashed.

#include "tests/ui/queue/queue_test_support.h"
#include "ui/queue/job_store.h"

#include <QtTest/QtTest>

#include <csignal>
#include <memory>

#include <signal.h>

using cosmos3::test::positions_are_dense;
using cosmos3::test::read_file;
using cosmos3::test::write_file;
using cosmos3::ui::JobState;
using cosmos3::ui::JobStore;
using cosmos3::ui::QueuedJob;

class JobStoreCrashTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<QTemporaryDir> folder_;
  QString queue_dir() const { return folder_->filePath(QStringLiteral("queue")); }

  // Starts the helper and returns its stdout lines up to and including the first that
  // `is_enough` accepts.
  template <typename Predicate>
  QStringList start_helper(QProcess& helper, const QString& mode, const QString& input,
                           Predicate is_enough) {
    helper.start(QString::fromUtf8(QUEUE_CRASH_HELPER), {mode, queue_dir(), input});
    if (!helper.waitForStarted(10000)) {
      qFatal("cannot start %s", QUEUE_CRASH_HELPER);
    }
    QStringList lines;
    while (lines.isEmpty() || !is_enough(lines)) {
      if (!helper.canReadLine() && !helper.waitForReadyRead(20000)) {
        qWarning("helper said: %s", helper.readAllStandardError().constData());
        return {};
      }
      while (helper.canReadLine() && (lines.isEmpty() || !is_enough(lines))) {
        lines.append(QString::fromUtf8(helper.readLine()).trimmed());
      }
    }
    return lines;
  }

  static bool killed(QProcess& helper) {
    ::kill(static_cast<pid_t>(helper.processId()), SIGKILL);
    return helper.waitForFinished(10000) && helper.exitStatus() == QProcess::CrashExit;
  }

 private Q_SLOTS:
  void init() { folder_ = std::make_unique<QTemporaryDir>(); }

  void runningJobComesBackInterruptedAfterSigkill() {
    const QString input = write_file(folder_->filePath(QStringLiteral("sources")),
                                     QStringLiteral("start.png"), "start frame");
    QProcess helper;
    const QStringList lines = start_helper(
        helper, QStringLiteral("running"), input,
        [](const QStringList& said) { return said.last().startsWith(QLatin1String("ready")); });
    QVERIFY2(!lines.isEmpty(), "the helper never said ready");
    QVERIFY(killed(helper));
    const QStringList said_ids = lines.last().split(QLatin1Char(' ')).mid(1);
    QCOMPARE(said_ids.size(), 3);
    QVERIFY(QFile::remove(input));

    JobStore store(queue_dir());
    QVERIFY(store.last_session_crashed());
    QCOMPARE(store.recover_after_crash(), QList<qint64>({said_ids[0].toLongLong()}));
    const QList<QueuedJob> jobs = store.jobs();
    QCOMPARE(jobs.size(), 3);
    const QList<JobState> states{JobState::Interrupted, JobState::Pending, JobState::Pending};
    const QStringList prompts{"first", "second", "third"};
    for (qsizetype i = 0; i < jobs.size(); ++i) {
      QCOMPARE(jobs[i].id, said_ids[i].toLongLong());
      QCOMPARE(jobs[i].state, states[i]);
      QCOMPARE(jobs[i].request.value(QStringLiteral("prompt")).toString(), prompts[i]);
      QCOMPARE(read_file(jobs[i].request.value(QStringLiteral("vision_path")).toString()),
               QByteArray("start frame"));
    }
  }

  void killDuringWritesLosesNoCommittedJob() {
    const QString input = write_file(folder_->filePath(QStringLiteral("sources")),
                                     QStringLiteral("start.png"), QByteArray(256 * 1024, 'x'));
    QProcess helper;
    const QStringList lines =
        start_helper(helper, QStringLiteral("churn"), input,
                     [](const QStringList& said) { return said.size() >= 25; });
    QVERIFY2(!lines.isEmpty(), "the helper stopped committing jobs");
    QVERIFY(killed(helper));
    // What it announced after we stopped reading is still in the pipe; a line cut by the kill
    // has no newline yet and is left out.
    QStringList announced = lines;
    QList<QByteArray> rest = helper.readAllStandardOutput().split('\n');
    rest.removeLast();
    for (const QByteArray& line : rest) {
      announced.append(QString::fromUtf8(line).trimmed());
    }

    JobStore store(queue_dir());
    QVERIFY(store.last_session_crashed());
    QVERIFY(positions_are_dense(store.database_path()));
    QSet<qint64> stored;
    for (const QueuedJob& job : store.jobs()) {
      stored.insert(job.id);
      QCOMPARE(read_file(job.request.value(QStringLiteral("vision_path")).toString()).size(),
               256 * 1024);
    }
    for (const QString& line : announced) {
      QVERIFY2(stored.contains(line.section(QLatin1Char(' '), 1).toLongLong()), qPrintable(line));
    }
    // At most the add in flight at the kill committed without being announced.
    QVERIFY(stored.size() - announced.size() <= 1);
    // Folders of adds cut short are swept: one folder per stored job, no more.
    const QStringList folders =
        QDir(queue_dir() + QStringLiteral("/jobs")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(folders.size(), stored.size());
  }
};

QTEST_GUILESS_MAIN(JobStoreCrashTest)
#include "tst_job_store_crash.moc"
