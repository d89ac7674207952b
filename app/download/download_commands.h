#pragma once
// The model subcommands of cosmos3-tool: download, add-model, list-models. Kept apart from the
// tensor tools (and free of libtorch) so the tests can run them in-process, quickly.

#include "core/cli/command_line.h"

namespace cosmos3::tool {

// `download nano|super|REPO_ID [--revision R] [--dir DIR]`, with a progress bar on stderr.
cli::Command download_command();
// `add-model DIR`: registers a pipeline folder the user already has, as it is.
cli::Command add_model_command();
// `list-models`: the downloads (complete or not) and the registered folders.
cli::Command list_models_command();

}  // namespace cosmos3::tool
