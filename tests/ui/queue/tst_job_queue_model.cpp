// The queue model under QAbstractItemModelTester: its rows follow the store through inserts,
// moves (API and drag and drop), removals and state changes; roles describe each job; ETAs come
// only from measured seconds per step.

#include "tests/ui/queue/queue_test_support.h"
#include "ui/queue/job_queue_model.h"
#include "ui/queue/job_store.h"
#include "ui/queue/job_store_error.h"

#include <QAbstractItemModelTester>
#include <QMimeData>
#include <QtTest/QtTest>

#include <memory>

using cosmos3::test::job_request;
using cosmos3::test::write_file;
using cosmos3::ui::FailedJobs;
using cosmos3::ui::JobQueueModel;
using cosmos3::ui::JobState;
using cosmos3::ui::JobStore;
using cosmos3::ui::JobStoreError;
using cosmos3::ui::QueuedJob;
using cosmos3::ui::QueueEnd;

class JobQueueModelTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<QTemporaryDir> folder_;
  std::unique_ptr<JobStore> store_;
  std::unique_ptr<JobQueueModel> model_;
  std::unique_ptr<QAbstractItemModelTester> tester_;

  QList<qint64> model_ids() const {
    QList<qint64> ids;
    for (int row = 0; row < model_->rowCount(); ++row) {
      ids.append(model_->data(model_->index(row), JobQueueModel::IdRole).toLongLong());
    }
    return ids;
  }

  QList<qint64> store_ids() const {
    QList<qint64> ids;
    for (const QueuedJob& job : store_->jobs()) {
      ids.append(job.id);
    }
    return ids;
  }

  QVariant role_of(qint64 id, int role) const {
    return model_->data(model_->index(model_->row_of(id)), role);
  }

  QList<qint64> enqueue_prompts(const QStringList& prompts) {
    QList<qint64> ids;
    for (const QString& prompt : prompts) {
      ids.append(model_->enqueue(job_request(prompt)).id);
    }
    return ids;
  }

 private Q_SLOTS:
  void init() {
    folder_ = std::make_unique<QTemporaryDir>();
    store_ = std::make_unique<JobStore>(folder_->filePath(QStringLiteral("queue")));
    model_ = std::make_unique<JobQueueModel>(*store_);
    tester_ = std::make_unique<QAbstractItemModelTester>(
        model_.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  }

  void cleanup() {
    tester_.reset();
    model_.reset();
    store_.reset();
  }

  void insertsAtBothEnds() {
    QSignalSpy inserted(model_.get(), &JobQueueModel::rowsInserted);
    const qint64 first = model_->enqueue(job_request(QStringLiteral("first"))).id;
    const qint64 second = model_->enqueue(job_request(QStringLiteral("second"))).id;
    const qint64 urgent =
        model_->enqueue(job_request(QStringLiteral("urgent")), QueueEnd::Front).id;
    QCOMPARE(inserted.size(), 3);
    QCOMPARE(inserted[1][1].toInt(), 1);
    QCOMPARE(inserted[2][1].toInt(), 0);
    QCOMPARE(model_ids(), QList<qint64>({urgent, first, second}));
    QCOMPARE(model_ids(), store_ids());
  }

  void enqueuesInTheBackgroundInCallOrder() {
    // The first job's copy takes longest; it must still come first.
    const QString video = write_file(folder_->filePath(QStringLiteral("sources")),
                                     QStringLiteral("big.mp4"), QByteArray(32 << 20, 'v'));
    const QString missing = folder_->filePath(QStringLiteral("sources/missing.png"));
    QSignalSpy enqueued(model_.get(), &JobQueueModel::enqueued);
    QSignalSpy failed(model_.get(), &JobQueueModel::enqueue_failed);
    model_->enqueue_in_background(
        job_request(QStringLiteral("big"), {{QStringLiteral("video_path"), video}}));
    model_->enqueue_in_background(
        job_request(QStringLiteral("bad"), {{QStringLiteral("vision_path"), missing}}));
    model_->enqueue_in_background(job_request(QStringLiteral("text")));
    QTRY_COMPARE_WITH_TIMEOUT(enqueued.size() + failed.size(), 3, 20000);
    QCOMPARE(model_->num_enqueues_in_flight(), 0);
    QCOMPARE(failed.size(), 1);
    QVERIFY(failed[0][0].toString().contains(missing));
    QCOMPARE(model_ids(),
             QList<qint64>({enqueued[0][0].toLongLong(), enqueued[1][0].toLongLong()}));
    QCOMPARE(model_ids(), store_ids());
    QCOMPARE(role_of(enqueued[0][0].toLongLong(), JobQueueModel::PromptSummaryRole).toString(),
             QStringLiteral("big"));
    const QString copy =
        store_->jobs().first().request.value(QStringLiteral("video_path")).toString();
    QVERIFY(copy.startsWith(store_->jobs().first().job_dir));
    QCOMPARE(QFileInfo(copy).size(), qint64(32 << 20));
    // Nothing is left in the staging folder once every copy has found its job.
    QVERIFY(QDir(store_->staging_root()).isEmpty());
  }

  void loadsTheStoredQueue() {
    const QList<qint64> ids = enqueue_prompts({"a", "b", "c"});
    JobQueueModel reloaded(*store_);
    QAbstractItemModelTester reloaded_tester(
        &reloaded, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(reloaded.rowCount(), 3);
    QCOMPARE(reloaded.data(reloaded.index(2), JobQueueModel::IdRole).toLongLong(), ids[2]);
  }

  void refusedInputAddsNoRow() {
    QSignalSpy inserted(model_.get(), &JobQueueModel::rowsInserted);
    QVERIFY_THROWS_EXCEPTION(
        JobStoreError, model_->enqueue(job_request(QStringLiteral("i2v"),
                                                   {{QStringLiteral("vision_path"),
                                                     QStringLiteral("/nonexistent/a.png")}})));
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(model_->rowCount(), 0);
  }

  void rolesDescribeTheJob() {
    const QString image =
        write_file(folder_->filePath(QStringLiteral("sources")), QStringLiteral("a.png"), "png");
    const QString video =
        write_file(folder_->filePath(QStringLiteral("sources")), QStringLiteral("a.mp4"), "mp4");
    const qint64 t2v =
        model_->enqueue(job_request(QStringLiteral("\n  A red ball   rolls\nacross a table"))).id;
    const qint64 t2i =
        model_->enqueue(job_request(QStringLiteral("still"), {{QStringLiteral("num_frames"), 1}}))
            .id;
    const qint64 i2v = model_
                           ->enqueue(job_request(QString(200, QLatin1Char('w')),
                                                 {{QStringLiteral("vision_path"), image}}))
                           .id;
    const qint64 v2v =
        model_->enqueue(job_request(QStringLiteral("v"), {{QStringLiteral("video_path"), video}}))
            .id;
    // A transfer job's video_path only seeds its first chunk: not a video-to-video job.
    const qint64 seeded_transfer =
        model_
            ->enqueue(job_request(QStringLiteral("t"),
                                  {{QStringLiteral("video_path"), video},
                                   {QStringLiteral("control"), QJsonObject{{"depth", video}}}}))
            .id;

    QCOMPARE(role_of(t2v, JobQueueModel::IdRole).toLongLong(), t2v);
    QCOMPARE(role_of(t2v, JobQueueModel::StateRole).toString(), QStringLiteral("pending"));
    QCOMPARE(role_of(t2v, JobQueueModel::PromptSummaryRole).toString(),
             QStringLiteral("A red ball rolls"));
    QCOMPARE(role_of(t2v, Qt::DisplayRole).toString(), QStringLiteral("A red ball rolls"));
    const QString elided = role_of(i2v, JobQueueModel::PromptSummaryRole).toString();
    QCOMPARE(elided.size(), 80);
    QVERIFY(elided.endsWith(QChar(0x2026)));
    QCOMPARE(role_of(t2v, JobQueueModel::ModeRole).toString(), QStringLiteral("text-to-video"));
    QCOMPARE(role_of(t2i, JobQueueModel::ModeRole).toString(), QStringLiteral("text-to-image"));
    QCOMPARE(role_of(i2v, JobQueueModel::ModeRole).toString(), QStringLiteral("image-to-video"));
    QCOMPARE(role_of(v2v, JobQueueModel::ModeRole).toString(), QStringLiteral("video-to-video"));
    QCOMPARE(role_of(seeded_transfer, JobQueueModel::ModeRole).toString(),
             QStringLiteral("text-to-video"));
    QVERIFY(!role_of(t2v, JobQueueModel::ProgressRole).isValid());
    QCOMPARE(role_of(t2v, JobQueueModel::ProgressTextRole).toString(), QString());
    QCOMPARE(role_of(t2v, JobQueueModel::FailureTextRole).toString(), QString());
    QCOMPARE(model_->roleNames().value(JobQueueModel::EtaTextRole), QByteArray("etaText"));
  }

  void movesThroughTheApi() {
    const QList<qint64> ids = enqueue_prompts({"a", "b", "c", "d", "e"});
    QSignalSpy moved(model_.get(), &JobQueueModel::rowsMoved);
    model_->move_to_back({ids[0]});
    QCOMPARE(model_ids(), QList<qint64>({ids[1], ids[2], ids[3], ids[4], ids[0]}));
    model_->move_to_front({ids[3], ids[1]});
    QCOMPARE(model_ids(), QList<qint64>({ids[1], ids[3], ids[2], ids[4], ids[0]}));
    model_->move_to({ids[0]}, 2);
    QCOMPARE(model_ids(), QList<qint64>({ids[1], ids[3], ids[0], ids[2], ids[4]}));
    QCOMPARE(model_ids(), store_ids());
    QVERIFY(moved.size() >= 3);
    const int num_moves = static_cast<int>(moved.size());
    model_->move_to({ids[3]}, 1);
    QCOMPARE(moved.size(), num_moves);  // already there: no signal
  }

  void movesThroughDragAndDrop() {
    const QList<qint64> ids = enqueue_prompts({"a", "b", "c", "d"});
    QCOMPARE(model_->supportedDropActions(), Qt::DropActions(Qt::MoveAction));
    QVERIFY(model_->flags(QModelIndex()).testFlag(Qt::ItemIsDropEnabled));
    QVERIFY(!model_->flags(model_->index(0)).testFlag(Qt::ItemIsDropEnabled));
    QVERIFY(model_->flags(model_->index(0)).testFlag(Qt::ItemIsDragEnabled));

    // Rows a and c dragged below d.
    std::unique_ptr<QMimeData> dragged(model_->mimeData({model_->index(2), model_->index(0)}));
    QVERIFY(dragged->hasFormat(JobQueueModel::mime_type()));
    QVERIFY(!model_->canDropMimeData(dragged.get(), Qt::CopyAction, 4, 0, QModelIndex()));
    QVERIFY(model_->canDropMimeData(dragged.get(), Qt::MoveAction, 4, 0, QModelIndex()));
    QVERIFY(model_->dropMimeData(dragged.get(), Qt::MoveAction, 4, 0, QModelIndex()));
    QCOMPARE(model_ids(), QList<qint64>({ids[1], ids[3], ids[0], ids[2]}));
    QCOMPARE(model_ids(), store_ids());

    // A drop with no row (on the empty area below the rows) goes to the back.
    std::unique_ptr<QMimeData> first_row(model_->mimeData({model_->index(0)}));
    QVERIFY(model_->dropMimeData(first_row.get(), Qt::MoveAction, -1, -1, QModelIndex()));
    QCOMPARE(model_ids(), QList<qint64>({ids[3], ids[0], ids[2], ids[1]}));

    // Ids dragged from another queue are refused.
    QTemporaryDir other_folder;
    JobStore other_store(other_folder.path());
    JobQueueModel other(other_store);
    other.enqueue(job_request(QStringLiteral("elsewhere")));
    std::unique_ptr<QMimeData> foreign(other.mimeData({other.index(0)}));
    QVERIFY(!model_->canDropMimeData(foreign.get(), Qt::MoveAction, 0, 0, QModelIndex()));
    QVERIFY(!model_->dropMimeData(foreign.get(), Qt::MoveAction, 0, 0, QModelIndex()));
    QCOMPARE(model_ids(), store_ids());
  }

  void removesRowsButNotRunningJobs() {
    const QList<qint64> ids = enqueue_prompts({"a", "b", "c", "d"});
    QSignalSpy removed(model_.get(), &JobQueueModel::rowsRemoved);
    model_->remove({ids[3], ids[1]});
    QCOMPARE(removed.size(), 2);
    QCOMPARE(model_ids(), QList<qint64>({ids[0], ids[2]}));
    model_->set_state(ids[0], JobState::Running);
    QVERIFY_THROWS_EXCEPTION(JobStoreError, model_->remove({ids[0], ids[2]}));
    QCOMPARE(model_ids(), QList<qint64>({ids[0], ids[2]}));
    model_->set_state(ids[0], JobState::Done);
    QCOMPARE(model_->clear_finished(FailedJobs::Keep), QList<qint64>({ids[0]}));
    QCOMPARE(model_ids(), QList<qint64>({ids[2]}));
    QCOMPARE(model_ids(), store_ids());
  }

  void stateChangesSignalOnlyTheChangedRoles() {
    const QList<qint64> ids = enqueue_prompts({"a", "b"});
    QSignalSpy changed(model_.get(), &JobQueueModel::dataChanged);
    model_->set_state(ids[1], JobState::Running);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 1);
    const auto roles = changed[0][2].value<QList<int>>();
    QVERIFY(roles.contains(JobQueueModel::StateRole));
    QVERIFY(!roles.contains(JobQueueModel::IdRole));
    QVERIFY(!roles.contains(JobQueueModel::ModeRole));
    QVERIFY(!roles.contains(JobQueueModel::PromptSummaryRole));
    QCOMPARE(role_of(ids[1], JobQueueModel::StateRole).toString(), QStringLiteral("running"));

    // A new result changes no role: nothing to repaint.
    changed.clear();
    model_->set_result(ids[1], {{QStringLiteral("video"), QStringLiteral("/out/sample.mp4")}});
    QCOMPARE(changed.size(), 0);
    QCOMPARE(store_->job(ids[1])->result.value(QStringLiteral("video")).toString(),
             QStringLiteral("/out/sample.mp4"));

    model_->set_failure(ids[1], QStringLiteral("out_of_memory"),
                        QStringLiteral("CUDA ran out of memory during decode."),
                        QStringLiteral("Try 480x832."));
    QCOMPARE(role_of(ids[1], JobQueueModel::StateRole).toString(), QStringLiteral("failed"));
    QCOMPARE(role_of(ids[1], JobQueueModel::FailureTextRole).toString(),
             QStringLiteral("CUDA ran out of memory during decode. Try 480x832."));
    // Worker messages often lack the full stop; the suggestion must still read as a sentence.
    model_->set_failure(ids[1], QStringLiteral("invalid_request"),
                        QStringLiteral("height 700 is not a multiple of 16"),
                        QStringLiteral("Edit the job."));
    QCOMPARE(role_of(ids[1], JobQueueModel::FailureTextRole).toString(),
             QStringLiteral("height 700 is not a multiple of 16. Edit the job."));
  }

  void progressUpdatesChangeOnlyTheirRow() {
    const QList<qint64> ids = enqueue_prompts({"a", "b"});
    model_->set_state(ids[0], JobState::Running);
    model_->set_progress(ids[0], 1, 10, 2.0);
    QSignalSpy changed(model_.get(), &JobQueueModel::dataChanged);
    model_->set_progress(ids[0], 2, 10, 2.5);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 0);
    QCOMPARE(changed[0][1].toModelIndex().row(), 0);
    const auto roles = changed[0][2].value<QList<int>>();
    QVERIFY(roles.contains(JobQueueModel::ProgressRole));
    QVERIFY(roles.contains(JobQueueModel::EtaTextRole));
    QVERIFY(!roles.contains(JobQueueModel::StateRole));
    QCOMPARE(role_of(ids[0], JobQueueModel::ProgressRole).toDouble(), 0.2);
    QCOMPARE(role_of(ids[0], JobQueueModel::ProgressTextRole).toString(),
             QStringLiteral("2/10 steps, 2.5 s/step"));
    // Progress is not persisted: the stored job knows nothing of it.
    JobQueueModel reloaded(*store_);
    QVERIFY(!reloaded.data(reloaded.index(0), JobQueueModel::ProgressRole).isValid());
    // A report for a job no longer queued is ignored.
    model_->set_progress(9999, 1, 10, 1.0);
    QCOMPARE(changed.size(), 1);
  }

  void etaIsUnknownUntilMeasured() {
    const qint64 running = model_->enqueue(job_request(QStringLiteral("a"))).id;
    const qint64 same_size = model_->enqueue(job_request(QStringLiteral("b"))).id;
    const qint64 other_size =
        model_->enqueue(job_request(QStringLiteral("c"), {{QStringLiteral("height"), 256}})).id;
    QSignalSpy queue_eta(model_.get(), &JobQueueModel::queue_eta_changed);
    model_->set_state(running, JobState::Running);
    QCOMPARE(role_of(running, JobQueueModel::EtaTextRole).toString(), QStringLiteral("unknown"));
    QCOMPARE(role_of(same_size, JobQueueModel::EtaTextRole).toString(), QStringLiteral("unknown"));
    QCOMPARE(model_->queue_eta_text(), QStringLiteral("unknown"));

    // 3 of 10 steps done at 2 s each: 14 s left; the waiting job of the same size takes 10 x 2 s.
    model_->set_progress(running, 3, 10, 2.0);
    QCOMPARE(role_of(running, JobQueueModel::EtaTextRole).toString(), QStringLiteral("14 s left"));
    QCOMPARE(role_of(same_size, JobQueueModel::EtaTextRole).toString(),
             QStringLiteral("about 20 s"));
    QCOMPARE(role_of(other_size, JobQueueModel::EtaTextRole).toString(), QStringLiteral("unknown"));
    QCOMPARE(model_->queue_eta_text(), QStringLiteral("at least 34 s (1 job not measured yet)"));
    QVERIFY(!queue_eta.isEmpty());
    QCOMPARE(queue_eta.last()[0].toString(), model_->queue_eta_text());

    // Its last measurement (9 s per step) is what the next job of its size goes by.
    model_->set_progress(running, 10, 10, 9.0);
    model_->set_state(running, JobState::Done);
    QCOMPARE(role_of(running, JobQueueModel::EtaTextRole).toString(), QString());
    QCOMPARE(role_of(running, JobQueueModel::ProgressRole).toDouble(), 1.0);
    QCOMPARE(role_of(same_size, JobQueueModel::EtaTextRole).toString(),
             QStringLiteral("about 1 min 30 s"));
    model_->remove({other_size});
    QCOMPARE(model_->queue_eta_text(), QStringLiteral("about 1 min 30 s"));
  }

  void recoversInterruptedJobsIntoTheRows() {
    const QList<qint64> ids = enqueue_prompts({"a", "b"});
    store_->set_state(ids[0], JobState::Running);  // as the crashed session left it
    JobQueueModel after_crash(*store_);
    QAbstractItemModelTester tester(&after_crash,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&after_crash, &JobQueueModel::dataChanged);
    QCOMPARE(after_crash.recover_after_crash(), QList<qint64>({ids[0]}));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(after_crash.data(after_crash.index(0), JobQueueModel::StateRole).toString(),
             QStringLiteral("interrupted"));
    QVERIFY(!after_crash.data(after_crash.index(0), JobQueueModel::FailureTextRole)
                 .toString()
                 .isEmpty());
    QCOMPARE(after_crash.data(after_crash.index(1), JobQueueModel::StateRole).toString(),
             QStringLiteral("pending"));
  }
};

QTEST_GUILESS_MAIN(JobQueueModelTest)
#include "tst_job_queue_model.moc"
