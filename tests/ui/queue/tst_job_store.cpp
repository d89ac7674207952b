// The queue database: order, input copies, updates, reopening, crash recovery and the files a
// store must refuse. Every store lives in a fresh temporary folder.

#include "tests/test_support.h"
#include "tests/ui/queue/queue_test_support.h"
#include "ui/queue/job_store.h"
#include "ui/queue/job_store_error.h"

#include <QtTest/QtTest>

#include <memory>

using cosmos3::test::contains_all;
using cosmos3::test::job_request;
using cosmos3::test::positions_are_dense;
using cosmos3::test::query_file;
using cosmos3::test::read_file;
using cosmos3::test::write_file;
using cosmos3::ui::FailedJobs;
using cosmos3::ui::JobState;
using cosmos3::ui::JobStore;
using cosmos3::ui::JobStoreError;
using cosmos3::ui::QueuedJob;
using cosmos3::ui::QueueEnd;

namespace {

QStringList prompts_of(const QList<QueuedJob>& jobs) {
  QStringList prompts;
  for (const QueuedJob& job : jobs) {
    prompts.append(job.request.value(QStringLiteral("prompt")).toString());
  }
  return prompts;
}

QList<qint64> ids_of(const QList<QueuedJob>& jobs) {
  QList<qint64> ids;
  for (const QueuedJob& job : jobs) {
    ids.append(job.id);
  }
  return ids;
}

std::string store_error_of(const QString& dir) {
  return cosmos3::test::error_message_of<JobStoreError>([&] { JobStore store(dir); });
}

}  // namespace

class JobStoreTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<QTemporaryDir> folder_;
  QString queue_dir() const { return folder_->filePath(QStringLiteral("queue")); }
  QString sources_dir() const { return folder_->filePath(QStringLiteral("sources")); }

  // Five pending jobs "a" to "e", in that order.
  QList<qint64> add_five(JobStore& store) {
    QList<qint64> ids;
    for (const char* prompt : {"a", "b", "c", "d", "e"}) {
      ids.append(store.add(job_request(QString::fromLatin1(prompt))).id);
    }
    return ids;
  }

 private Q_SLOTS:
  void init() { folder_ = std::make_unique<QTemporaryDir>(); }

  void addsAtBackAndFront() {
    JobStore store(queue_dir());
    const QueuedJob first = store.add(job_request(QStringLiteral("first")));
    const QueuedJob second = store.add(job_request(QStringLiteral("second")), QueueEnd::Back);
    const QueuedJob urgent = store.add(job_request(QStringLiteral("urgent")), QueueEnd::Front);
    QCOMPARE(prompts_of(store.jobs()), QStringList({"urgent", "first", "second"}));
    QVERIFY(first.id != second.id && second.id != urgent.id && first.id != urgent.id);
    QCOMPARE(urgent.state, JobState::Pending);
    QVERIFY(urgent.created.isValid());
    QVERIFY(!urgent.started.isValid() && !urgent.finished.isValid());
    QCOMPARE(urgent.job_dir, QDir(queue_dir()).filePath(QStringLiteral("jobs/%1").arg(urgent.id)));
    QVERIFY(QFileInfo(urgent.job_dir).isDir());
    QVERIFY(positions_are_dense(store.database_path()));
  }

  void copiesInputsAndPointsTheRequestAtThem() {
    const QString image = write_file(sources_dir(), QStringLiteral("frame.png"), "image bytes");
    const QString video = write_file(sources_dir() + QStringLiteral("/other"),
                                     QStringLiteral("frame.png"), "video bytes");
    JobStore store(queue_dir());
    const QueuedJob job =
        store.add(job_request(QStringLiteral("i2v"), {{QStringLiteral("vision_path"), image},
                                                      {QStringLiteral("video_path"), video}}));

    const QString image_copy = job.request.value(QStringLiteral("vision_path")).toString();
    const QString video_copy = job.request.value(QStringLiteral("video_path")).toString();
    QCOMPARE(QFileInfo(image_copy).absolutePath(),
             QDir(job.job_dir).filePath(QStringLiteral("inputs")));
    QCOMPARE(QFileInfo(video_copy).absolutePath(),
             QDir(job.job_dir).filePath(QStringLiteral("inputs")));
    QVERIFY(image_copy != video_copy);
    QCOMPARE(job.request.value(QStringLiteral("output_dir")).toString(),
             QStringLiteral("/tmp/cosmos3-outputs"));

    // The originals go away; the job keeps its own copies, and so does the stored request.
    QVERIFY(QDir(sources_dir()).removeRecursively());
    QCOMPARE(read_file(image_copy), QByteArray("image bytes"));
    QCOMPARE(read_file(video_copy), QByteArray("video bytes"));
    QCOMPARE(store.job(job.id)->request, job.request);
  }

  void refusesMissingInputAndStoresNothing() {
    JobStore store(queue_dir());
    const QString missing = sources_dir() + QStringLiteral("/gone.mp4");
    const std::string message = cosmos3::test::error_message_of<JobStoreError>([&] {
      store.add(job_request(QStringLiteral("v2v"), {{QStringLiteral("video_path"), missing}}));
    });
    QVERIFY(contains_all(message, {missing.toStdString(), "video_path", "does not exist"}));

    QDir().mkpath(sources_dir());
    const std::string folder_message = cosmos3::test::error_message_of<JobStoreError>([&] {
      store.add(
          job_request(QStringLiteral("i2v"), {{QStringLiteral("vision_path"), sources_dir()}}));
    });
    QVERIFY(contains_all(folder_message, {sources_dir().toStdString(), "not a file"}));

    QVERIFY(store.jobs().isEmpty());
    QVERIFY(QDir(queue_dir() + QStringLiteral("/jobs")).isEmpty());
  }

  void movesKeepPositionsDenseAndUnique() {
    JobStore store(queue_dir());
    const QList<qint64> ids = add_five(store);
    // b and e go in front of the first job from row 1 on that stays put: c.
    QCOMPARE(store.move_to({ids[4], ids[1]}, 1),
             QList<qint64>({ids[0], ids[1], ids[4], ids[2], ids[3]}));
    QCOMPARE(prompts_of(store.jobs()), QStringList({"a", "b", "e", "c", "d"}));
    store.move_to_front({ids[3]});
    QCOMPARE(prompts_of(store.jobs()), QStringList({"d", "a", "b", "e", "c"}));
    store.move_to_back({ids[0], ids[3]});
    QCOMPARE(prompts_of(store.jobs()), QStringList({"b", "e", "c", "d", "a"}));
    store.move_to({ids[2]}, 100);
    QCOMPARE(prompts_of(store.jobs()), QStringList({"b", "e", "d", "a", "c"}));
    QVERIFY(positions_are_dense(store.database_path()));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, store.move_to({ids[0], 9999}, 0));
    QCOMPARE(prompts_of(store.jobs()), QStringList({"b", "e", "d", "a", "c"}));
  }

  void removesJobsAndTheirFoldersButNotRunningOnes() {
    JobStore store(queue_dir());
    const QList<qint64> ids = add_five(store);
    const QString removed_dir = store.job(ids[1])->job_dir;
    store.remove({ids[1], ids[3]});
    QCOMPARE(prompts_of(store.jobs()), QStringList({"a", "c", "e"}));
    QVERIFY(!QFileInfo::exists(removed_dir));
    QVERIFY(positions_are_dense(store.database_path()));

    store.set_state(ids[2], JobState::Running);
    const std::string message = cosmos3::test::error_message_of<JobStoreError>([&] {
      store.remove({ids[0], ids[2]});
    });
    QVERIFY(contains_all(message, {"is running", "cancel it first"}));
    QCOMPARE(prompts_of(store.jobs()), QStringList({"a", "c", "e"}));
  }

  void clearsFinishedKeepingFailuresUnlessAsked() {
    JobStore store(queue_dir());
    const QList<qint64> ids = add_five(store);
    store.set_state(ids[0], JobState::Done);
    store.set_state(ids[1], JobState::Canceled);
    store.set_failure(ids[2], QStringLiteral("out_of_memory"), QStringLiteral("m"),
                      QStringLiteral("s"));
    store.set_state(ids[3], JobState::Interrupted);
    QCOMPARE(store.clear_finished(), QList<qint64>({ids[0], ids[1]}));
    QCOMPARE(prompts_of(store.jobs()), QStringList({"c", "d", "e"}));
    QCOMPARE(store.clear_finished(FailedJobs::Remove), QList<qint64>({ids[2], ids[3]}));
    QCOMPARE(prompts_of(store.jobs()), QStringList({"e"}));
    QVERIFY(positions_are_dense(store.database_path()));
  }

  void stateChangesStampTimesAndRequeueClearsThem() {
    JobStore store(queue_dir());
    const qint64 id = store.add(job_request(QStringLiteral("a"))).id;
    const QueuedJob running = store.set_state(id, JobState::Running);
    QCOMPARE(running.state, JobState::Running);
    QVERIFY(running.started.isValid() && !running.finished.isValid());
    QVERIFY(running.started >= running.created);

    const QJsonObject result{{QStringLiteral("video"), QStringLiteral("/out/sample.mp4")},
                             {QStringLiteral("denoise_seconds"), 12.5}};
    QCOMPARE(store.set_result(id, result).result, result);
    const QueuedJob failed = store.set_failure(id, QStringLiteral("out_of_memory"),
                                               QStringLiteral("CUDA ran out of memory in decode"),
                                               QStringLiteral("Try 480x832."));
    QCOMPARE(failed.state, JobState::Failed);
    QCOMPARE(failed.failure_class, QStringLiteral("out_of_memory"));
    QCOMPARE(failed.failure_suggestion, QStringLiteral("Try 480x832."));
    QVERIFY(failed.finished.isValid() && failed.finished >= failed.started);
    QCOMPARE(failed.result, result);

    const QueuedJob requeued = store.set_state(id, JobState::Pending);
    QVERIFY(!requeued.started.isValid() && !requeued.finished.isValid());
    QVERIFY(requeued.failure_message.isEmpty() && requeued.result.isEmpty());
    QCOMPARE(requeued.created, failed.created);
  }

  void nextPendingFollowsQueueOrder() {
    JobStore store(queue_dir());
    const QList<qint64> ids = add_five(store);
    store.set_state(ids[0], JobState::Done);
    store.set_state(ids[1], JobState::Running);
    QCOMPARE(store.next_pending()->id, ids[2]);
    store.move_to_front({ids[4]});
    QCOMPARE(store.next_pending()->id, ids[4]);
    store.remove({ids[0], ids[2], ids[3], ids[4]});
    QVERIFY(!store.next_pending().has_value());
  }

  void reopeningKeepsOrderAndEveryField() {
    const QString image = write_file(sources_dir(), QStringLiteral("frame.png"), "image");
    QList<QueuedJob> before;
    {
      JobStore store(queue_dir());
      const QList<qint64> ids = add_five(store);
      store.add(job_request(QStringLiteral("image"), {{QStringLiteral("vision_path"), image}}),
                QueueEnd::Front);
      store.move_to_back({ids[0]});
      store.set_state(ids[1], JobState::Running);
      store.set_result(ids[1], {{QStringLiteral("video"), QStringLiteral("/out/b.mp4")}});
      store.set_state(ids[1], JobState::Done);
      store.set_failure(ids[2], QStringLiteral("bad_input"), QStringLiteral("m"),
                        QStringLiteral("s"));
      before = store.jobs();
    }
    JobStore reopened(queue_dir());
    QVERIFY(!reopened.last_session_crashed());
    const QList<QueuedJob> after = reopened.jobs();
    QCOMPARE(ids_of(after), ids_of(before));
    for (qsizetype i = 0; i < before.size(); ++i) {
      QCOMPARE(after[i].state, before[i].state);
      QCOMPARE(after[i].request, before[i].request);
      QCOMPARE(after[i].job_dir, before[i].job_dir);
      QCOMPARE(after[i].result, before[i].result);
      QCOMPARE(after[i].failure_class, before[i].failure_class);
      QCOMPARE(after[i].failure_message, before[i].failure_message);
      QCOMPARE(after[i].failure_suggestion, before[i].failure_suggestion);
      QCOMPARE(after[i].created, before[i].created);
      QCOMPARE(after[i].started, before[i].started);
      QCOMPARE(after[i].finished, before[i].finished);
    }
    QCOMPARE(read_file(after[0].request.value(QStringLiteral("vision_path")).toString()),
             QByteArray("image"));
  }

  void runningJobsComeBackInterruptedAfterAnUncleanEnd() {
    auto crashed_session = std::make_unique<JobStore>(queue_dir());
    const QList<qint64> ids = add_five(*crashed_session);
    crashed_session->set_state(ids[0], JobState::Done);
    crashed_session->set_state(ids[2], JobState::Running);

    // The first store is never closed: a second one on the same folder finds its marker.
    JobStore next_session(queue_dir());
    QVERIFY(next_session.last_session_crashed());
    QCOMPARE(next_session.recover_after_crash(), QList<qint64>({ids[2]}));
    const QList<QueuedJob> jobs = next_session.jobs();
    QCOMPARE(ids_of(jobs), ids);
    QCOMPARE(jobs[0].state, JobState::Done);
    QCOMPARE(jobs[1].state, JobState::Pending);
    QCOMPARE(jobs[2].state, JobState::Interrupted);
    QVERIFY(jobs[2].finished.isValid());
    QVERIFY(!jobs[2].failure_message.isEmpty());
    QCOMPARE(jobs[3].state, JobState::Pending);
    QCOMPARE(jobs[4].state, JobState::Pending);
    QCOMPARE(next_session.next_pending()->id, ids[1]);
    QVERIFY(next_session.recover_after_crash().isEmpty());
  }

  void cleanCloseRemovesTheMarker() {
    const QString marker = QDir(queue_dir()).filePath(JobStore::marker_file_name());
    {
      JobStore store(queue_dir());
      QVERIFY(!store.last_session_crashed());
      QVERIFY(QFileInfo::exists(marker));
    }
    QVERIFY(!QFileInfo::exists(marker));
    JobStore reopened(queue_dir());
    QVERIFY(!reopened.last_session_crashed());
  }

  void sweepsFoldersOfAddsThatNeverCommitted() {
    {
      JobStore store(queue_dir());
      store.add(job_request(QStringLiteral("kept")));
    }
    const QString orphan = queue_dir() + QStringLiteral("/jobs/9999");
    write_file(orphan + QStringLiteral("/inputs"), QStringLiteral("half.png"), "half a copy");
    const QString staged = queue_dir() + QStringLiteral("/staging/unclaimed/inputs");
    write_file(staged, QStringLiteral("whole.png"), "a copy no add took");
    JobStore reopened(queue_dir());
    QVERIFY(!QFileInfo::exists(orphan));
    QVERIFY(!QFileInfo::exists(staged));
    QVERIFY(QFileInfo(reopened.jobs().first().job_dir).isDir());
  }

  void refusesADatabaseFromANewerStudio() {
    const QString file = QDir(queue_dir()).filePath(JobStore::database_file_name());
    { JobStore store(queue_dir()); }
    query_file(file, QStringLiteral("UPDATE meta SET value = 99 WHERE key = 'schema_version'"));
    const std::string message = store_error_of(queue_dir());
    QVERIFY(contains_all(message, {file.toStdString(), "newer", "99", "move the file away"}));
    // A refused open starts no session: no marker is left to report a crash later.
    QVERIFY(!QFileInfo::exists(QDir(queue_dir()).filePath(JobStore::marker_file_name())));
  }

  void refusesACorruptFile() {
    const QString file = write_file(queue_dir(), JobStore::database_file_name(),
                                    QByteArray("not a database, just text. ").repeated(200));
    const std::string message = store_error_of(queue_dir());
    QVERIFY(contains_all(message, {file.toStdString(), "cannot be read", "move it away"}));
  }
};

QTEST_GUILESS_MAIN(JobStoreTest)
#include "tst_job_store.moc"
