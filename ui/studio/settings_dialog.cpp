#include "ui/studio/settings_dialog.h"

#include "parallel/backend/worker_program.h"
#include "ui/settings/device_probe_runner.h"
#include "ui/settings/layout_choice_inputs.h"
#include "ui/settings/layout_list_model.h"
#include "ui/studio/precision_choice.h"
#ifdef COSMOS3_HAVE_HUB
#include "ui/models/model_list_model.h"
#endif

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace cosmos3::ui {
namespace {

constexpr int kGpuIndexRole = Qt::UserRole + 1;

QString gib(qint64 bytes) {
  return QStringLiteral("%1 GiB").arg(static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0), 0,
                                      'f', 1);
}

}  // namespace

SettingsDialog::SettingsDialog(StudioSettings settings, QString model_dir, PlannedJob job,
                               QString measurements_file, QWidget* parent)
    : QDialog(parent),
      settings_(std::move(settings)),
      model_dir_(std::move(model_dir)),
      initial_model_dir_(model_dir_),
      job_(job),
      measurements_file_(std::move(measurements_file)) {
  setWindowTitle(tr("Settings"));
  setObjectName(QStringLiteral("settings_dialog"));
  layouts_ = new LayoutListModel(this);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(build_model_group());
  layout->addWidget(build_device_group());
  layout->addWidget(build_layout_group(), 1);
  layout->addWidget(build_output_group());
  buttons_ = new QDialogButtonBox(
      QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this);
  layout->addWidget(buttons_);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(buttons_, &QDialogButtonBox::accepted, this, [this] {
    apply();
    accept();
  });
  connect(buttons_->button(QDialogButtonBox::Apply), &QPushButton::clicked, this,
          &SettingsDialog::apply);
  resize(900, 760);

  probe_ = new DeviceProbeRunner(this);
  connect(probe_, &DeviceProbeRunner::devicesFound, this, &SettingsDialog::show_devices);
  connect(probe_, &DeviceProbeRunner::probeFailed, this, [this](const QString& message) {
    device_message_->setText(message);
    show_devices({});
  });
  device_message_->setText(tr("Looking for GPUs…"));
  try {
    // A simulated device list (COSMOS3_STUDIO_DEVICES_JSON) needs no worker program.
    probe_->start(qEnvironmentVariableIsSet("COSMOS3_STUDIO_DEVICES_JSON")
                      ? QString()
                      : QString::fromStdString(backend::find_worker_program().string()));
  } catch (const std::exception& error) {
    device_message_->setText(QString::fromUtf8(error.what()));
    show_devices({});
  }
  read_model(model_dir_);
}

SettingsDialog::~SettingsDialog() = default;

QWidget* SettingsDialog::build_model_group() {
  auto* group = new QGroupBox(tr("Model"), this);
  auto* form = new QFormLayout(group);
  auto* row = new QHBoxLayout;
  model_edit_ = new QLineEdit(model_dir_, group);
  model_edit_->setObjectName(QStringLiteral("model_dir"));
  model_edit_->setReadOnly(true);
  auto* choose = new QPushButton(tr("Choose…"), group);
  choose->setObjectName(QStringLiteral("choose_model"));
  connect(choose, &QPushButton::clicked, this, [this] {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Cosmos3 pipeline folder"), model_dir_);
    if (!dir.isEmpty()) read_model(dir);
  });
  row->addWidget(model_edit_, 1);
  row->addWidget(choose);
  form->addRow(tr("Folder"), row);
#ifdef COSMOS3_HAVE_HUB
  form->addRow(tr("Downloaded"), build_downloaded_models(group));
#endif
  model_summary_ = new QLabel(group);
  model_summary_->setObjectName(QStringLiteral("model_summary"));
  model_summary_->setWordWrap(true);
  form->addRow(tr("Checkpoint"), model_summary_);
  return group;
}

QWidget* SettingsDialog::build_device_group() {
  auto* group = new QGroupBox(tr("Devices"), this);
  auto* form = new QFormLayout(group);
  device_ = new QComboBox(group);
  device_->setObjectName(QStringLiteral("device"));
  device_->addItem(tr("GPUs (CUDA)"), QStringLiteral("cuda"));
  device_->addItem(tr("CPU processes"), QStringLiteral("cpu"));
  device_->setCurrentIndex(device_->findData(settings_.device));
  form->addRow(tr("Run on"), device_);
  gpu_model_ = new QStandardItemModel(this);
  auto* gpu_view = new QListView(group);
  gpu_view->setObjectName(QStringLiteral("gpu_list"));
  gpu_view->setModel(gpu_model_);
  gpu_view->setMaximumHeight(120);
  form->addRow(tr("GPUs"), gpu_view);
  device_message_ = new QLabel(group);
  device_message_->setObjectName(QStringLiteral("device_message"));
  device_message_->setWordWrap(true);
  form->addRow(QString(), device_message_);
  cpu_ranks_ = new QSpinBox(group);
  cpu_ranks_->setObjectName(QStringLiteral("cpu_ranks"));
  cpu_ranks_->setRange(1, 16);
  cpu_ranks_->setValue(settings_.cfg * settings_.tp * settings_.cp);
  form->addRow(tr("CPU ranks"), cpu_ranks_);
  dtype_ = new QComboBox(group);
  dtype_->setObjectName(QStringLiteral("dtype"));
  dtype_->addItems({QStringLiteral("bfloat16"), QStringLiteral("float32")});
  dtype_->setCurrentText(settings_.dtype);
  form->addRow(tr("Data type"), dtype_);
  precision_ = new PrecisionChoice(settings_.precision, group);
  form->addRow(tr("Precision"), precision_);
  connect(device_, &QComboBox::currentIndexChanged, this, [this] {
    update_device_widgets();
    replan();
  });
  connect(gpu_model_, &QStandardItemModel::itemChanged, this, &SettingsDialog::replan);
  connect(cpu_ranks_, &QSpinBox::valueChanged, this, &SettingsDialog::replan);
  connect(dtype_, &QComboBox::currentTextChanged, this, &SettingsDialog::replan);
  connect(dtype_, &QComboBox::currentTextChanged, this, &SettingsDialog::update_device_widgets);
  connect(precision_, &PrecisionChoice::precisionChanged, this, &SettingsDialog::replan);
  return group;
}

QWidget* SettingsDialog::build_layout_group() {
  auto* group =
      new QGroupBox(tr("Parallel layout (for the editor's job: %1)").arg(job_.describe()), this);
  group->setObjectName(QStringLiteral("layout_group"));
  auto* box = new QVBoxLayout(group);
  layout_view_ = new QTableView(group);
  layout_view_->setObjectName(QStringLiteral("layouts"));
  layout_view_->setModel(layouts_);
  layout_view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  layout_view_->setSelectionMode(QAbstractItemView::SingleSelection);
  layout_view_->verticalHeader()->hide();
  layout_view_->horizontalHeader()->setStretchLastSection(true);
  box->addWidget(layout_view_, 1);
  layout_message_ = new QLabel(group);
  layout_message_->setObjectName(QStringLiteral("layout_message"));
  layout_message_->setWordWrap(true);
  box->addWidget(layout_message_);
  return group;
}

QWidget* SettingsDialog::build_output_group() {
  auto* group = new QGroupBox(tr("Output, preview and shortcuts"), this);
  auto* form = new QFormLayout(group);
  auto* row = new QHBoxLayout;
  output_edit_ = new QLineEdit(settings_.output_dir, group);
  output_edit_->setObjectName(QStringLiteral("output_dir"));
  output_edit_->setPlaceholderText(tr("each job's own folder"));
  auto* browse = new QPushButton(tr("Choose…"), group);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Output folder"));
    if (!dir.isEmpty()) output_edit_->setText(dir);
  });
  row->addWidget(output_edit_, 1);
  row->addWidget(browse);
  form->addRow(tr("Output folder"), row);
  preview_interval_ = new QSpinBox(group);
  preview_interval_->setObjectName(QStringLiteral("preview_interval"));
  preview_interval_->setRange(0, 1000);
  preview_interval_->setSpecialValueText(tr("no live preview"));
  preview_interval_->setSuffix(tr(" steps"));
  preview_interval_->setValue(settings_.preview_interval);
  form->addRow(tr("Live preview every"), preview_interval_);
  const auto shortcut_edit = [&](const char* name, const QString& text, const QString& label) {
    auto* edit = new QKeySequenceEdit(QKeySequence(text, QKeySequence::PortableText), group);
    edit->setObjectName(QLatin1String(name));
    form->addRow(label, edit);
    return edit;
  };
  queue_shortcut_ = shortcut_edit("queue_shortcut", settings_.queue_shortcut, tr("Queue"));
  queue_front_shortcut_ =
      shortcut_edit("queue_front_shortcut", settings_.queue_front_shortcut, tr("Queue at front"));
  cancel_shortcut_ =
      shortcut_edit("cancel_shortcut", settings_.cancel_shortcut, tr("Cancel running job"));
  return group;
}

#ifdef COSMOS3_HAVE_HUB
// The models File > Models… downloaded or registered, complete ones only: choosing one reads it
// as the folder picker does.
QWidget* SettingsDialog::build_downloaded_models(QWidget* parent) {
  auto* models = new ModelListModel(hub::default_models_root(), this);
  auto* choice = new QComboBox(parent);
  choice->setObjectName(QStringLiteral("downloaded_models"));
  choice->addItem(tr("(choose a downloaded model)"));
  for (int row = 0; row < models->rowCount(); ++row) {
    const QModelIndex index = models->index(row);
    if (!index.data(ModelListModel::kCompleteRole).toBool()) continue;
    choice->addItem(index.data(Qt::DisplayRole).toString(),
                    index.data(ModelListModel::kFolderRole));
  }
  choice->setEnabled(choice->count() > 1);
  connect(choice, &QComboBox::activated, this, [this, choice](int item) {
    const QString folder = choice->itemData(item).toString();
    if (!folder.isEmpty()) read_model(folder);
  });
  return choice;
}
#endif

void SettingsDialog::read_model(const QString& dir) {
  model_summary_->setText(tr("Reading %1…").arg(dir));
  auto* watcher = new QFutureWatcher<ModelFolderSummary>(this);
  connect(watcher, &QFutureWatcher<ModelFolderSummary>::finished, this, [this, watcher, dir] {
    watcher->deleteLater();
    try {
      summary_ = watcher->result();
      model_dir_ = dir;
      model_edit_->setText(dir);
      model_summary_->setText(summary_->describe());
      replan();
    } catch (const std::exception& error) {
      // The folder in use stays; only the message tells what is wrong with the chosen one.
      model_summary_->setText(
          tr("%1 cannot be used: %2").arg(dir, QString::fromUtf8(error.what())));
    }
  });
  watcher->setFuture(
      QtConcurrent::run([path = dir.toStdString()] { return ModelFolderSummary::read(path); }));
}

void SettingsDialog::show_devices(const QList<GpuDevice>& devices) {
  devices_ = devices;
  gpu_model_->clear();
  // Preselected: the GPUs the settings name, else as many as the current layout has ranks.
  const int num_wanted = settings_.cfg * settings_.tp * settings_.cp;
  for (const GpuDevice& device : devices) {
    auto* item = new QStandardItem(
        tr("GPU %1: %2 · %3 free of %4")
            .arg(device.index)
            .arg(device.name, gib(device.free_memory_bytes), gib(device.total_memory_bytes)));
    item->setData(device.index, kGpuIndexRole);
    item->setCheckable(true);
    item->setEditable(false);
    const bool wanted = settings_.gpu_indexes.isEmpty()
                            ? gpu_model_->rowCount() < num_wanted
                            : settings_.gpu_indexes.contains(device.index);
    item->setCheckState(wanted ? Qt::Checked : Qt::Unchecked);
    gpu_model_->appendRow(item);
  }
  if (devices.isEmpty()) {
    if (device_message_->text().startsWith(tr("Looking"))) {
      device_message_->setText(tr("No CUDA GPU found: the group runs as CPU processes."));
    }
    device_->setCurrentIndex(device_->findData(QStringLiteral("cpu")));
  } else {
    device_message_->setText(tr("%n GPU(s) found.", nullptr, static_cast<int>(devices.size())));
  }
  update_device_widgets();
  replan();
  Q_EMIT devicesProbed();
}

QList<GpuDevice> SettingsDialog::chosen_gpus() const {
  QList<GpuDevice> chosen;
  for (int row = 0; row < gpu_model_->rowCount(); ++row) {
    if (gpu_model_->item(row)->checkState() == Qt::Checked) chosen.append(devices_.at(row));
  }
  return chosen;
}

void SettingsDialog::update_device_widgets() {
  const bool on_gpus = device_->currentData().toString() == QLatin1String("cuda");
  cpu_ranks_->setEnabled(!on_gpus);
  if (auto* item = qobject_cast<QStandardItemModel*>(device_->model())->item(0)) {
    item->setEnabled(!devices_.isEmpty());
  }
  precision_->setFp8Blocker(fp8_blocker());
}

QString SettingsDialog::fp8_blocker() const {
  if (devices_.isEmpty()) return tr("FP8 needs a CUDA GPU, and none was found.");
  if (device_->currentData().toString() != QLatin1String("cuda")) {
    return tr("FP8 runs on GPUs: choose GPUs (CUDA) above.");
  }
  if (dtype_->currentText() != QLatin1String("bfloat16")) {
    return tr("FP8 needs bfloat16 weights: choose bfloat16 above.");
  }
  return {};
}

void SettingsDialog::replan() {
  if (!summary_) return;
  LayoutChoiceInputs inputs;
  inputs.model = *summary_;
  inputs.job = job_;
  inputs.dtype = dtype_->currentText();
  inputs.fp8 =
      precision_->precision() == QLatin1String("fp8") && precision_->fp8Blocker().isEmpty();
  inputs.device = device_->currentData().toString();
  inputs.gpus = chosen_gpus();
  inputs.num_cpu_ranks = cpu_ranks_->value();
  inputs.measurements_file = measurements_file_;
  if (inputs.device == QLatin1String("cuda") && inputs.gpus.isEmpty()) {
    layouts_->setOptions({});
    layout_message_->setText(tr("Tick at least one GPU."));
    Q_EMIT layoutsPlanned();
    return;
  }
  const int generation = ++num_plans_;
  layout_message_->setText(tr("Planning layouts…"));
  auto* watcher = new QFutureWatcher<std::vector<parallel::LayoutOption>>(this);
  connect(watcher, &QFutureWatcher<std::vector<parallel::LayoutOption>>::finished, this,
          [this, watcher, generation] {
            watcher->deleteLater();
            if (generation != num_plans_) return;
            try {
              layouts_->setOptions(watcher->result(), job_.num_passes());
              show_plan({});
            } catch (const std::exception& error) {
              layouts_->setOptions({});
              show_plan(QString::fromUtf8(error.what()));
            }
          });
  watcher->setFuture(QtConcurrent::run([inputs] { return plan_layout_choices(inputs); }));
}

void SettingsDialog::show_plan(const QString& error) {
  if (!error.isEmpty()) {
    layout_message_->setText(error);
  } else if (layouts_->recommendedRow() < 0) {
    layout_message_->setText(
        tr("No layout fits the chosen GPUs at this size: tick more GPUs, or choose a smaller "
           "size or bfloat16."));
  } else {
    layout_message_->setText(
        tr("%n valid layout(s). Bold: recommended, the fastest that fits with 10 % headroom. "
           "Predicted values until a layout has run here.",
           nullptr, layouts_->rowCount()));
  }
  layout_view_->resizeColumnsToContents();
  // The current layout stays chosen while it fits; otherwise the recommended one.
  if (!selectLayout(settings_.cfg, settings_.tp, settings_.cp)) {
    const int row = layouts_->recommendedRow();
    if (row >= 0) layout_view_->selectRow(row);
  }
  Q_EMIT layoutsPlanned();
}

bool SettingsDialog::selectLayout(int cfg, int tp, int cp) {
  const int row = layouts_->rowOf({cfg, tp, cp});
  if (row < 0 || !layouts_->options()[static_cast<std::size_t>(row)].fits) return false;
  layout_view_->selectRow(row);
  return true;
}

StudioSettings SettingsDialog::settings() const {
  StudioSettings edited = settings_;
  // The embedded tiny checkpoint stays "no folder" until another one is chosen.
  if (model_dir_ != initial_model_dir_) edited.model_dir = model_dir_;
  edited.device = device_->currentData().toString();
  edited.dtype = dtype_->currentText();
  const QModelIndexList selected = layout_view_->selectionModel()->selectedRows();
  if (!selected.isEmpty()) {
    const parallel::ParallelDegrees& degrees =
        layouts_->options()[static_cast<std::size_t>(selected.first().row())].degrees;
    edited.cfg = degrees.cfg;
    edited.tp = degrees.tp;
    edited.cp = degrees.cp;
  }
  edited.gpu_indexes.clear();
  edited.gpu_name.clear();
  if (edited.device == QLatin1String("cuda")) {
    for (const GpuDevice& gpu : chosen_gpus()) edited.gpu_indexes.append(gpu.index);
    if (!chosen_gpus().isEmpty()) edited.gpu_name = chosen_gpus().first().name;
  }
  edited.output_dir = output_edit_->text().trimmed();
  edited.preview_interval = preview_interval_->value();
  edited.precision = precision_->precision();
  edited.queue_shortcut = queue_shortcut_->keySequence().toString(QKeySequence::PortableText);
  edited.queue_front_shortcut =
      queue_front_shortcut_->keySequence().toString(QKeySequence::PortableText);
  edited.cancel_shortcut = cancel_shortcut_->keySequence().toString(QKeySequence::PortableText);
  return edited;
}

void SettingsDialog::apply() {
  settings_ = settings();
  Q_EMIT applied(settings_);
}

}  // namespace cosmos3::ui
