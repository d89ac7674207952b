#include "ui/queue/job_store_error.h"

namespace cosmos3::ui {

JobStoreError::JobStoreError(const QString& file, const QString& message)
    : UserError(message.toStdString()), file_(file) {}

}  // namespace cosmos3::ui
