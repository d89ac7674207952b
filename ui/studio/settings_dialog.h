#pragma once
// The studio's settings: the model folder (checked on selection: family, parameters,
// capabilities), the device and the GPUs from the worker's device probe, the dtype, every
// parallel layout the engine accepts for them with its predicted memory per GPU and seconds per
// step (the recommended one preselected, those that do not fit disabled with the reason), the
// output folder, the preview interval, the jobs' precision (FP8 disabled with the reason where
// it cannot run) and the queue shortcuts. The folder check, the probe and
// the planning run off the UI thread. Apply hands the edited settings to the window, which
// restarts the backend when they need it.

#include "ui/settings/gpu_device.h"
#include "ui/settings/layout_choice_inputs.h"
#include "ui/settings/model_folder_summary.h"
#include "ui/studio/studio_settings.h"

#include <QDialog>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

class QComboBox;
class QDialogButtonBox;
class QKeySequenceEdit;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStandardItemModel;
class QTableView;

namespace cosmos3::ui {

class DeviceProbeRunner;
class LayoutListModel;
class PrecisionChoice;

class SettingsDialog : public QDialog {
  Q_OBJECT

 public:
  // `model_dir` is the folder in use (the embedded tiny checkpoint's when settings name none);
  // the layouts are planned for `job`, the editor's; `measurements_file` holds the step times
  // and peaks measured on this machine.
  SettingsDialog(StudioSettings settings, QString model_dir, PlannedJob job,
                 QString measurements_file, QWidget* parent = nullptr);
  ~SettingsDialog() override;

  // The settings as edited.
  StudioSettings settings() const;
  LayoutListModel& layoutModel() { return *layouts_; }
  const QList<GpuDevice>& devices() const { return devices_; }
  // Selects the layout's row; false when the list has no enabled row for it.
  bool selectLayout(int cfg, int tp, int cp);

 Q_SIGNALS:
  void applied(const cosmos3::ui::StudioSettings& settings);
  // The layout list was planned anew (tests and screenshots wait for it).
  void layoutsPlanned();
  void devicesProbed();

 private:
  QWidget* build_model_group();
#ifdef COSMOS3_HAVE_HUB
  QWidget* build_downloaded_models(QWidget* parent);
#endif
  QWidget* build_device_group();
  QWidget* build_layout_group();
  QWidget* build_output_group();
  void read_model(const QString& dir);
  void show_devices(const QList<GpuDevice>& devices);
  QList<GpuDevice> chosen_gpus() const;
  void update_device_widgets();
  QString fp8_blocker() const;
  void replan();
  void show_plan(const QString& error);
  void apply();

  StudioSettings settings_;
  QString model_dir_;
  QString initial_model_dir_;
  PlannedJob job_;
  QString measurements_file_;
  std::optional<ModelFolderSummary> summary_;
  QList<GpuDevice> devices_;
  int num_plans_ = 0;  // answers of older plans are dropped

  DeviceProbeRunner* probe_ = nullptr;
  LayoutListModel* layouts_ = nullptr;
  QStandardItemModel* gpu_model_ = nullptr;
  QLineEdit* model_edit_ = nullptr;
  QLabel* model_summary_ = nullptr;
  QComboBox* device_ = nullptr;
  QLabel* device_message_ = nullptr;
  QSpinBox* cpu_ranks_ = nullptr;
  QComboBox* dtype_ = nullptr;
  PrecisionChoice* precision_ = nullptr;
  QTableView* layout_view_ = nullptr;
  QLabel* layout_message_ = nullptr;
  QLineEdit* output_edit_ = nullptr;
  QSpinBox* preview_interval_ = nullptr;
  QKeySequenceEdit* queue_shortcut_ = nullptr;
  QKeySequenceEdit* queue_front_shortcut_ = nullptr;
  QKeySequenceEdit* cancel_shortcut_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace cosmos3::ui
