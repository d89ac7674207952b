// cosmos3-tool download / add-model / list-models: get a Cosmos3 release from the Hugging Face
// Hub into the models folder (resumably), register a folder the user already has, and list both.

#include "app/download/download_commands.h"
#include "app/download/download_progress_bar.h"
#include "core/hub/access_token.h"
#include "core/hub/hub_errors.h"
#include "core/hub/model_downloader.h"
#include "core/hub/model_store.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>

namespace cosmos3::tool {
namespace {

std::atomic<bool> g_stop_requested{false};

extern "C" void request_stop(int) { g_stop_requested = true; }

struct DownloadCommandOptions {
  std::string model;
  std::string revision = "main";
  std::filesystem::path dir;
};

int run_download(const DownloadCommandOptions& options) {
  hub::DownloadOptions download;
  download.repo = hub::resolve_model_alias(options.model);
  download.revision = options.revision;
  download.folder = options.dir.empty() ? hub::default_model_folder(download.repo) : options.dir;
  download.token = hub::find_access_token();
  hub::ModelDownloader downloader(download);

  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  try {
    const hub::DownloadPlan plan = downloader.plan(&g_stop_requested);
    std::cout << download.repo << " at " << download.revision << " (commit "
              << plan.listing.commit.substr(0, 12) << "): " << plan.files.size() << " of "
              << plan.listing.files.size() << " files, " << hub::format_bytes(plan.num_bytes)
              << "; " << hub::format_bytes(plan.num_bytes_to_fetch()) << " to download, "
              << hub::format_bytes(plan.num_bytes_free) << " free in " << download.folder.string()
              << '\n'
              << std::flush;
    DownloadProgressBar bar(std::cerr, isatty(STDERR_FILENO) == 1);
    try {
      downloader.download(
          plan, [&bar](const hub::DownloadProgress& progress) { bar.update(progress); },
          &g_stop_requested);
    } catch (...) {
      bar.finish();
      throw;
    }
    bar.finish();
  } catch (const hub::DownloadCanceled&) {
    std::cerr << "stopped; the files so far are kept: rerun the same command to resume\n";
    return 130;
  }
  std::cout << "downloaded " << download.repo << " to " << download.folder.string()
            << "\ngenerate with: cosmos3-generate --model " << download.folder.string()
            << " --prompt \"...\" --output-dir outputs\n";
  return 0;
}

}  // namespace

cli::Command download_command() {
  auto options = std::make_shared<DownloadCommandOptions>();
  cli::Command command("download",
                       "download a Cosmos3 pipeline from the Hugging Face Hub (only the files\n"
                       "the engine loads), resuming whatever an earlier run left");
  command
      .add_positional({.name = "MODEL",
                       .help = "nano (nvidia/Cosmos3-Nano), super (nvidia/Cosmos3-Super),\n"
                               "or a repository id OWNER/NAME",
                       .set = [options](std::string_view value) { options->model = value; }})
      .add_flag({.name = "--revision",
                 .value_name = "R",
                 .help = "branch, tag or commit (default main)",
                 .set = [options](auto, auto value) { options->revision = value; }})
      .add_flag({.name = "--dir",
                 .value_name = "DIR",
                 .help = "the model folder (default: $XDG_DATA_HOME/cosmos3-studio/\n"
                         "models/OWNER/NAME, ~/.local/share when XDG_DATA_HOME is unset)",
                 .set = [options](auto, auto value) { options->dir = std::string(value); }})
      .set_notes(
          "Gated repositories need a token that has accepted the licence: HF_TOKEN, or the\n"
          "Hugging Face CLI's token file (`hf auth login`). HF_ENDPOINT selects another Hub.\n"
          "Ctrl-C stops; running the same command again resumes where it stopped. The folder\n"
          "counts as complete only once .cosmos3-download.json is written, after every file\n"
          "has matched its checksum.")
      .set_action([options] { return run_download(*options); });
  return command;
}

cli::Command add_model_command() {
  auto folder = std::make_shared<std::filesystem::path>();
  cli::Command command("add-model",
                       "register a Cosmos3 pipeline folder you already have (e.g. a Hugging\n"
                       "Face cache snapshot) as it is, so the studio lists it");
  command
      .add_positional({.name = "DIR",
                       .help = "the folder holding model_index.json",
                       .set = [folder](std::string_view value) { *folder = std::string(value); }})
      .set_action([folder] {
        hub::ModelStore store;
        const hub::StoredModel model = store.add_existing_folder(*folder);
        std::cout << "registered " << model.folder.string() << " (in " << store.root().string()
                  << ")\n";
        return 0;
      });
  return command;
}

cli::Command list_models_command() {
  cli::Command command("list-models",
                       "list the downloaded and registered models, and unfinished downloads");
  command.set_action([] {
    hub::ModelStore store;
    const auto models = store.list();
    if (models.empty()) {
      std::cout << "no models in " << store.root().string()
                << "; get one with: cosmos3-tool download nano\n";
    }
    for (const hub::StoredModel& model : models) {
      const char* state = model.registered ? "registered"
                          : model.complete ? "complete"
                                           : "unfinished";
      std::cout << state << '\t' << (model.repo.empty() ? "-" : model.repo) << '\t'
                << model.folder.string() << '\n';
    }
    return 0;
  });
  return command;
}

}  // namespace cosmos3::tool
