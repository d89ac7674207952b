// cosmos3-studio: the desktop window. Flags override the saved settings for this run only.

#include "ui/queue/job_queue_model.h"
#include "ui/studio/main_window.h"
#include "ui/studio/screenshot_tour.h"
#include "ui/studio/startup_jobs_file.h"
#include "ui/studio/studio_settings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QStringList>

#include <cstdio>
#include <exception>

using cosmos3::ui::StudioSettings;

namespace {

// Returns false after printing what is wrong with `name`'s value.
bool parse_layout_degree(const QCommandLineParser& parser, const QString& name, int& degree) {
  if (!parser.isSet(name)) return true;
  bool ok = false;
  const int value = parser.value(name).toInt(&ok);
  if (!ok || value < 1) {
    std::fprintf(stderr, "cosmos3-studio: --%s %s: expected a whole number >= 1\n",
                 qPrintable(name), qPrintable(parser.value(name)));
    return false;
  }
  degree = value;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("cosmos3-studio"));
  QApplication::setApplicationDisplayName(QStringLiteral("Cosmos3 Studio"));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Cosmos3 Studio: queue and watch Cosmos3 video generations.\n"
                     "Without a model folder the embedded tiny checkpoint runs on the CPU."));
  parser.addHelpOption();
  parser.addOptions({
      {QStringLiteral("model"), QStringLiteral("Cosmos3 pipeline folder to load."),
       QStringLiteral("DIR")},
      {QStringLiteral("cfg-parallel"), QStringLiteral("CFG-parallel degree (1 or 2)."),
       QStringLiteral("N")},
      {QStringLiteral("tp"), QStringLiteral("Tensor-parallel degree."), QStringLiteral("N")},
      {QStringLiteral("cp"), QStringLiteral("Context-parallel degree."), QStringLiteral("N")},
      {QStringLiteral("device"), QStringLiteral("cpu or cuda."), QStringLiteral("DEVICE")},
      {QStringLiteral("dtype"), QStringLiteral("float32, bfloat16 or float16."),
       QStringLiteral("DTYPE")},
  });
  if (!parser.parse(QApplication::arguments())) {
    std::fprintf(stderr, "cosmos3-studio: %s\nRun cosmos3-studio --help for the flags.\n",
                 qPrintable(parser.errorText()));
    return 2;
  }
  if (parser.isSet(QStringLiteral("help"))) {
    std::fputs(qPrintable(parser.helpText()), stdout);
    return 0;
  }
  if (!parser.positionalArguments().isEmpty()) {
    std::fprintf(stderr, "cosmos3-studio: unexpected argument '%s'; it takes flags only\n",
                 qPrintable(parser.positionalArguments().first()));
    return 2;
  }

  StudioSettings settings = StudioSettings::load();
  if (parser.isSet(QStringLiteral("model")))
    settings.model_dir = parser.value(QStringLiteral("model"));
  if (!parse_layout_degree(parser, QStringLiteral("cfg-parallel"), settings.cfg) ||
      !parse_layout_degree(parser, QStringLiteral("tp"), settings.tp) ||
      !parse_layout_degree(parser, QStringLiteral("cp"), settings.cp)) {
    return 2;
  }
  if (parser.isSet(QStringLiteral("device"))) {
    settings.device = parser.value(QStringLiteral("device"));
    if (settings.device != QLatin1String("cpu") && settings.device != QLatin1String("cuda")) {
      std::fprintf(stderr, "cosmos3-studio: --device %s: expected cpu or cuda\n",
                   qPrintable(settings.device));
      return 2;
    }
  }
  if (parser.isSet(QStringLiteral("dtype"))) settings.dtype = parser.value(QStringLiteral("dtype"));

  try {
    cosmos3::ui::MainWindow window(settings);
    const QString jobs_file = qEnvironmentVariable("COSMOS3_STUDIO_TEST_QUEUE_JSONL");
    if (!jobs_file.isEmpty()) cosmos3::ui::enqueue_jobs_from_file(window.queueModel(), jobs_file);
    const QString screenshots = qEnvironmentVariable("COSMOS3_STUDIO_SCREENSHOTS");
    if (!screenshots.isEmpty()) new cosmos3::ui::ScreenshotTour(window, screenshots);
    window.show();
    return QApplication::exec();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "cosmos3-studio: %s\n", error.what());
    return 1;
  }
}
