// A studio session cut short, for tst_job_store_crash: it works on a store and never closes it,
// waiting to be killed with SIGKILL.
//   queue_crash_helper running QUEUE_DIR INPUT_FILE
//     adds three jobs using INPUT_FILE, marks the first Running, prints "ready ID ID ID", sleeps.
//   queue_crash_helper churn QUEUE_DIR INPUT_FILE
//     adds jobs at alternating ends and reorders them until killed, printing "committed ID"
//     after each add returns.

#include "ui/queue/job_store.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QThread>

#include <cstdio>

using cosmos3::ui::JobState;
using cosmos3::ui::JobStore;
using cosmos3::ui::QueueEnd;

namespace {

QJsonObject request(const QString& prompt, const QString& input) {
  return {{QStringLiteral("prompt"), prompt},
          {QStringLiteral("output_dir"), QStringLiteral("/tmp/cosmos3-outputs")},
          {QStringLiteral("vision_path"), input}};
}

void say(const QByteArray& line) {
  std::fputs(line.constData(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

[[noreturn]] void wait_to_be_killed() {
  QThread::sleep(120);
  std::fputs("queue_crash_helper was not killed in time\n", stderr);
  std::_Exit(3);
}

void hold_a_running_job(JobStore& store, const QString& input) {
  const qint64 first = store.add(request(QStringLiteral("first"), input)).id;
  const qint64 second = store.add(request(QStringLiteral("second"), input)).id;
  const qint64 third = store.add(request(QStringLiteral("third"), input)).id;
  store.set_state(first, JobState::Running);
  say(QStringLiteral("ready %1 %2 %3").arg(first).arg(second).arg(third).toUtf8());
  wait_to_be_killed();
}

[[noreturn]] void churn(JobStore& store, const QString& input) {
  for (int num_added = 0;; ++num_added) {
    const QueueEnd end = num_added % 2 == 0 ? QueueEnd::Back : QueueEnd::Front;
    const qint64 id = store.add(request(QStringLiteral("job %1").arg(num_added), input), end).id;
    say(QStringLiteral("committed %1").arg(id).toUtf8());
    if (num_added % 3 == 0) {
      store.move_to_back({id});
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const QStringList args = app.arguments();
  if (args.size() != 4 ||
      (args[1] != QLatin1String("running") && args[1] != QLatin1String("churn"))) {
    std::fputs("usage: queue_crash_helper running|churn QUEUE_DIR INPUT_FILE\n", stderr);
    return 2;
  }
  JobStore store(args[2]);
  if (args[1] == QLatin1String("running")) {
    hold_a_running_job(store, args[3]);
  }
  churn(store, args[3]);
}
