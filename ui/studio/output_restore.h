#pragma once
// Restore by drop: the job object that made an output, read from the output itself. Accepted:
// a generation.json the worker wrote, or an MP4 whose comment tag carries the same metadata.
// Both must carry the worker's parameters checksum (parallel/backend/generation_seal.h) and
// match it; anything else is refused with a message naming the file and what to drop instead.

#include <QJsonObject>
#include <QString>

namespace cosmos3::ui {

// The job object (backend protocol keys) that restores the output's request in the editor.
// Throws UserError (SealError for missing or mismatched checksums) naming `path`.
QJsonObject job_from_output(const QString& path);

}  // namespace cosmos3::ui
