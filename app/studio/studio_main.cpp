// cosmos3-studio: the desktop window. Flags override the saved settings for this run only. The
// flags are parsed (core/cli) before the QApplication exists, so --help and a mistaken flag
// work on a machine without a display.

#include "core/cli/command_line.h"
#include "core/cli/typed_values.h"
#include "ui/queue/job_queue_model.h"
#include "ui/studio/main_window.h"
#include "ui/studio/screenshot_tour.h"
#include "ui/studio/startup_jobs_file.h"
#include "ui/studio/studio_settings.h"

#include <QApplication>

#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

using namespace cosmos3;

namespace {

// What the command line sets; unset values keep the saved settings.
struct StudioOverrides {
  std::optional<std::string> model_dir;
  std::optional<int> cfg;
  std::optional<int> tp;
  std::optional<int> cp;
  std::optional<std::string> device;
  std::optional<std::string> dtype;

  void apply_to(ui::StudioSettings& settings) const {
    if (model_dir) settings.model_dir = QString::fromStdString(*model_dir);
    if (cfg) settings.cfg = *cfg;
    if (tp) settings.tp = *tp;
    if (cp) settings.cp = *cp;
    if (device) settings.device = QString::fromStdString(*device);
    if (dtype) settings.dtype = QString::fromStdString(*dtype);
  }
};

cli::FlagSetter degree_setter(std::optional<int>& degree) {
  return [&degree](std::string_view flag, std::string_view text) {
    const int value = cli::to_integer<int>(flag, text);
    if (value < 1) cli::throw_bad_value(flag, "a degree (an integer >= 1)", text);
    degree = value;
  };
}

int run_studio(int& argc, char** argv, const StudioOverrides& overrides) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("cosmos3-studio"));
  QApplication::setApplicationDisplayName(QStringLiteral("Cosmos3 Studio"));
  ui::StudioSettings settings = ui::StudioSettings::load();
  overrides.apply_to(settings);
  try {
    ui::MainWindow window(settings);
    // Test and documentation hooks: jobs to queue at startup, screenshots to take.
    const QString jobs_file = qEnvironmentVariable("COSMOS3_STUDIO_TEST_QUEUE_JSONL");
    if (!jobs_file.isEmpty()) ui::enqueue_jobs_from_file(window.queueModel(), jobs_file);
    const QString screenshots = qEnvironmentVariable("COSMOS3_STUDIO_SCREENSHOTS");
    if (!screenshots.isEmpty()) new ui::ScreenshotTour(window, screenshots);
    window.show();
    return QApplication::exec();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "cosmos3-studio: %s\n", error.what());
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  StudioOverrides overrides;
  cli::Command command("cosmos3-studio", "the desktop studio: queue and watch Cosmos3 generations");
  command
      .add_flag({.name = "--model",
                 .value_name = "DIR",
                 .help = "Cosmos3 pipeline folder to load (saved setting otherwise; without\n"
                         "one, the embedded tiny checkpoint runs on the CPU)",
                 .set = [&](std::string_view,
                            std::string_view value) { overrides.model_dir = std::string(value); }})
      .add_flag({.name = "--cfg-parallel",
                 .value_name = "N",
                 .help = "CFG-parallel degree (1, 2, or 3 for transfer's three passes)",
                 .set = degree_setter(overrides.cfg)})
      .add_flag({.name = "--tp",
                 .value_name = "N",
                 .help = "tensor-parallel degree",
                 .set = degree_setter(overrides.tp)})
      .add_flag({.name = "--cp",
                 .value_name = "N",
                 .help = "context-parallel degree",
                 .set = degree_setter(overrides.cp)})
      .add_flag({.name = "--device",
                 .value_name = "cpu|cuda",
                 .help = "where the ranks run (one GPU per rank with cuda)",
                 .set =
                     [&](std::string_view flag, std::string_view value) {
                       overrides.device = cli::to_enum<std::string>(
                           flag, value, {{"cpu", "cpu"}, {"cuda", "cuda"}});
                     }})
      .add_flag({.name = "--dtype",
                 .value_name = "DTYPE",
                 .help = "float32 or bfloat16",
                 .set =
                     [&](std::string_view flag, std::string_view value) {
                       overrides.dtype = cli::to_enum<std::string>(
                           flag, value, {{"float32", "float32"}, {"bfloat16", "bfloat16"}});
                     }})
      .set_notes(
          "The flags apply to this run only; the saved settings stay as they are.\n"
          "Settings, the queue and job folders live where QStandardPaths puts\n"
          "cosmos3-studio's config and data (~/.config, ~/.local/share).")
      .set_action([&] { return run_studio(argc, argv, overrides); });
  return cli::run_main(command, argc, argv, std::cout, std::cerr);
}
