#pragma once
// The error a queue database or a job's input file raises when the user can do something about
// it: the message names the file and the fix.

#include "core/errors.h"

#include <QString>

namespace cosmos3::ui {

class JobStoreError : public UserError {
 public:
  JobStoreError(const QString& file, const QString& message);

  // The database or input file at fault.
  const QString& file() const noexcept { return file_; }

 private:
  QString file_;
};

}  // namespace cosmos3::ui
