#pragma once
// Test and scripting hook: jobs listed in a JSON-lines file (one protocol job object per line,
// without output_dir) are put in the queue at startup, since nothing can type into a studio
// started by another process. Set COSMOS3_STUDIO_TEST_QUEUE_JSONL=FILE.

#include <QString>

namespace cosmos3::ui {

class JobQueueModel;

// Enqueues every job of `path` at the back, in file order; returns how many. Throws
// std::runtime_error naming the file and line when one cannot be read as a JSON object.
int enqueue_jobs_from_file(JobQueueModel& model, const QString& path);

}  // namespace cosmos3::ui
