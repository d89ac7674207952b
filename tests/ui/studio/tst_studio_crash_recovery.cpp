// The real cosmos3-studio, killed with SIGKILL while its first job runs and started again: the
// job that ran comes back Interrupted (never restarted on its own), the others stay Pending in
// their order with their copied inputs, and the restarted studio keeps the queue paused.

#include "ui/queue/job_store.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace cosmos3::ui;

class StudioCrashRecoveryTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void killedWhileRunningComesBackInterrupted();

 private:
  QProcessEnvironment studio_environment(bool with_jobs_file) const;
  QString queue_dir() const;
  // The state of job `id` as the studio's database holds it now; empty when not there yet.
  QString stored_state(qint64 id) const;
  // Reads the studio's stderr until `text` appears or `timeout_ms` pass.
  bool wait_for_output(QProcess& studio, const QByteArray& text, int timeout_ms);

  QTemporaryDir home_;
  QString input_image_;
  QString jobs_file_;
};

void StudioCrashRecoveryTest::initTestCase() {
  QVERIFY(home_.isValid());
  const QDir home(home_.path());
  for (const char* name : {"data", "config", "runtime"}) QVERIFY(home.mkpath(name));
  QVERIFY(QFile::setPermissions(home.filePath("runtime"),
                                QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
  input_image_ = home.filePath("input.png");
  QImage image(192, 128, QImage::Format_RGB888);
  image.fill(QColor(200, 40, 40));
  QVERIFY(image.save(input_image_));

  // Three long jobs: the first runs when the studio is killed; the others wait, two of them
  // with an input file that the queue copies into its job folder.
  jobs_file_ = home.filePath("jobs.jsonl");
  QFile jobs(jobs_file_);
  QVERIFY(jobs.open(QIODevice::WriteOnly));
  for (int index = 1; index <= 3; ++index) {
    QJsonObject job{{"prompt", QStringLiteral("long job %1").arg(index)},
                    {"height", 128},
                    {"width", 192},
                    {"num_frames", 5},
                    {"steps", 2000}};
    if (index > 1) job.insert(QStringLiteral("vision_path"), input_image_);
    jobs.write(QJsonDocument(job).toJson(QJsonDocument::Compact) + '\n');
  }
}

QProcessEnvironment StudioCrashRecoveryTest::studio_environment(bool with_jobs_file) const {
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  const QDir home(home_.path());
  environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath("data"));
  environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath("config"));
  environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.filePath("runtime"));
  environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
  environment.insert(QStringLiteral("COSMOS3_WORKER"), QStringLiteral(COSMOS3_WORKER_PROGRAM));
  environment.insert(QStringLiteral("COSMOS3_TOOL"), QStringLiteral(COSMOS3_TOOL_PROGRAM));
  environment.remove(QStringLiteral("COSMOS3_STUDIO_TEST_QUEUE_JSONL"));
  if (with_jobs_file) {
    environment.insert(QStringLiteral("COSMOS3_STUDIO_TEST_QUEUE_JSONL"), jobs_file_);
  }
  return environment;
}

QString StudioCrashRecoveryTest::queue_dir() const {
  QDirIterator found(QDir(home_.path()).filePath("data"), {JobStore::database_file_name()},
                     QDir::Files, QDirIterator::Subdirectories);
  return found.hasNext() ? QFileInfo(found.next()).absolutePath() : QString();
}

QString StudioCrashRecoveryTest::stored_state(qint64 id) const {
  const QString dir = queue_dir();
  if (dir.isEmpty()) return {};
  QString state;
  {
    // Read-only, beside the studio's own connection: a JobStore would start a session of its
    // own and hide the crash from the studio.
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
    db.setDatabaseName(QDir(dir).filePath(JobStore::database_file_name()));
    db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=2000"));
    if (db.open()) {
      QSqlQuery query(db);
      query.prepare(QStringLiteral("SELECT state FROM jobs WHERE id = ?"));
      query.addBindValue(id);
      if (query.exec() && query.next()) state = query.value(0).toString();
    }
    db.close();
  }
  QSqlDatabase::removeDatabase(QStringLiteral("peek"));
  return state;
}

bool StudioCrashRecoveryTest::wait_for_output(QProcess& studio, const QByteArray& text,
                                              int timeout_ms) {
  QByteArray seen;
  const QDeadlineTimer deadline(timeout_ms);
  while (!deadline.hasExpired() && studio.state() == QProcess::Running) {
    studio.waitForReadyRead(200);
    seen += studio.readAllStandardError();
    if (seen.contains(text)) return true;
  }
  qWarning("studio output so far:\n%s", seen.constData());
  return false;
}

void StudioCrashRecoveryTest::killedWhileRunningComesBackInterrupted() {
  QProcess studio;
  studio.setProcessEnvironment(studio_environment(true));
  studio.start(QStringLiteral(COSMOS3_STUDIO_PROGRAM), {});
  QVERIFY2(studio.waitForStarted(), qPrintable(studio.errorString()));
  // The first start makes the embedded tiny checkpoint, loads it and takes job 1.
  QTRY_COMPARE_WITH_TIMEOUT(stored_state(1), QStringLiteral("running"), 300000);
  QCOMPARE(stored_state(2), QStringLiteral("pending"));
  studio.kill();  // SIGKILL: no chance to clean up
  QVERIFY(studio.waitForFinished());
  QCOMPARE(studio.exitStatus(), QProcess::CrashExit);

  QProcess restarted;
  restarted.setProcessEnvironment(studio_environment(false));
  restarted.start(QStringLiteral(COSMOS3_STUDIO_PROGRAM), {});
  QVERIFY2(restarted.waitForStarted(), qPrintable(restarted.errorString()));
  QTRY_COMPARE_WITH_TIMEOUT(stored_state(1), QStringLiteral("interrupted"), 60000);
  // Once its group is ready it could take a job; after a crash it must not.
  QVERIFY(wait_for_output(restarted, "backend: ready", 180000));
  QTest::qWait(3000);
  QCOMPARE(stored_state(2), QStringLiteral("pending"));
  restarted.terminate();
  QVERIFY(restarted.waitForFinished());

  JobStore store(queue_dir());
  const QList<QueuedJob> jobs = store.jobs();
  QCOMPARE(jobs.size(), 3);
  QCOMPARE(jobs.at(0).id, 1);
  QCOMPARE(jobs.at(0).state, JobState::Interrupted);
  QFile original(input_image_);
  QVERIFY(original.open(QIODevice::ReadOnly));
  const QByteArray input_bytes = original.readAll();
  for (int row = 1; row < 3; ++row) {
    const QueuedJob& job = jobs.at(row);
    QCOMPARE(job.id, row + 1);
    QCOMPARE(job.state, JobState::Pending);
    QCOMPARE(job.request.value(QStringLiteral("prompt")).toString(),
             QStringLiteral("long job %1").arg(row + 1));
    const QString copy = job.request.value(QStringLiteral("vision_path")).toString();
    QVERIFY2(copy.startsWith(job.job_dir), qPrintable(copy));
    QFile copied(copy);
    QVERIFY2(copied.open(QIODevice::ReadOnly), qPrintable(copy));
    QCOMPARE(copied.readAll(), input_bytes);
  }
}

QTEST_MAIN(StudioCrashRecoveryTest)
#include "tst_studio_crash_recovery.moc"
