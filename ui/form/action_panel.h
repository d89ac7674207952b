#pragma once
// The form's action controls, shown only for checkpoints with action heads: the action mode
// (none, policy, forward dynamics, inverse dynamics), the embodiment domain (the engine's domain
// table through ActionDomainListModel), the chunk size, the resolution tier, the view point and,
// for forward dynamics, the actions file, read off the UI thread with the engine's reader.

#include "ui/form/action_values.h"
#include "ui/form/checkpoint_capabilities.h"
#include "ui/form/form_field.h"
#include "ui/form/form_values.h"

#include <QMap>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace cosmos3::ui {

class ActionDomainListModel;
class ActionFileChecker;

class ActionPanel : public QWidget {
  Q_OBJECT

 public:
  // `capabilities` must outlive the panel.
  explicit ActionPanel(const CheckpointCapabilities& capabilities, QWidget* parent = nullptr);

  void readInto(FormValues& values) const;
  // Sets every control; an actions file is read again (its problem comes with changed()).
  void writeFrom(const ActionValues& values);
  void showMessages(const QMap<FormField, QString>& messages);

  // Uses `path` as forward dynamics' actions file, as the picker does.
  void setActionsFile(const QString& path);
  bool isCheckingActionsFile() const;

 Q_SIGNALS:
  void changed();
  // The user picked a mode in the list (not a restore): the form applies its preset defaults.
  void modeChosen(cosmos3::ui::ActionModeChoice mode);

 private:
  QWidget* build_actions_row();
  void show_mode(ActionModeChoice mode);
  void check_actions_file();
  void chooseActionsFile();

  const CheckpointCapabilities& capabilities_;
  ActionDomainListModel* domains_;
  ActionFileChecker* checker_;
  QFormLayout* layout_;
  QComboBox* mode_;
  QComboBox* domain_;
  QSpinBox* chunk_size_;
  QComboBox* resolution_tier_;
  QComboBox* view_point_;
  QWidget* actions_row_;
  QLineEdit* actions_path_;
  QPushButton* choose_actions_;
  QLabel* actions_message_;
  QLabel* action_message_;
  QString actions_problem_;
  bool syncing_ = false;
};

}  // namespace cosmos3::ui
