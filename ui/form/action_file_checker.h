#pragma once
// Reads a forward-dynamics actions file with the engine's own reader (read_action_file) on a
// worker thread, against the chosen domain's width, so the form says what the worker would say
// about it (not JSON, empty, wrong rank or width, NaN) before anything is queued. Only the
// latest request's answer is reported: choosing another file or domain supersedes a running one.

#include <QObject>
#include <QString>

namespace cosmos3::ui {

class ActionFileChecker : public QObject {
  Q_OBJECT

 public:
  explicit ActionFileChecker(QObject* parent = nullptr);

  // Starts checking `path` as actions of `domain` (`width` numbers per step).
  void check(const QString& path, const QString& domain, int width);
  bool isChecking() const { return num_running_ > 0; }

 Q_SIGNALS:
  // The problem with the file last asked about, empty when it can be used; `num_steps` is its
  // number of action steps then.
  void checked(const QString& path, const QString& problem, int num_steps);

 private:
  int num_running_ = 0;
  quint64 latest_request_ = 0;
};

}  // namespace cosmos3::ui
