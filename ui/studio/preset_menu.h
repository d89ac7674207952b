#pragma once
// The "Presets" menu: save the editor's parameters under a name, load one into the editor
// (the prompt, seed and inputs stay), rename, delete, import and export, all for the editor's
// current mode, through PresetStore. Its entries are rebuilt each time it opens.

#include "ui/presets/preset_store.h"

#include <QMenu>

#include <functional>

namespace cosmos3::ui {

class GenerationForm;

class PresetMenu : public QMenu {
  Q_OBJECT

 public:
  // `form` answers the editor in use (null while the model folder is being prepared).
  PresetMenu(std::function<GenerationForm*()> form, QWidget* parent = nullptr);

  PresetStore& store() { return store_; }
  // Loads preset `name` of the editor's mode into the editor; false (and actionFailed) when it
  // cannot.
  bool loadIntoForm(const QString& name);

 Q_SIGNALS:
  void actionFailed(const QString& message);
  void actionDone(const QString& message);

 private:
  void rebuild();
  // Runs `action`, turning its UserError into actionFailed.
  void attempt(const std::function<void()>& action);

  std::function<GenerationForm*()> form_;
  PresetStore store_;
};

}  // namespace cosmos3::ui
