#include "ui/studio/preset_menu.h"

#include "core/errors.h"
#include "ui/form/generation_form.h"

#include <QFileDialog>
#include <QInputDialog>

#include <exception>

namespace cosmos3::ui {

PresetMenu::PresetMenu(std::function<GenerationForm*()> form, QWidget* parent)
    : QMenu(tr("&Presets"), parent), form_(std::move(form)) {
  setObjectName(QStringLiteral("presets_menu"));
  connect(this, &QMenu::aboutToShow, this, &PresetMenu::rebuild);
}

void PresetMenu::attempt(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& error) {
    Q_EMIT actionFailed(QString::fromUtf8(error.what()));
  }
}

bool PresetMenu::loadIntoForm(const QString& name) {
  GenerationForm* form = form_();
  if (!form) return false;
  bool loaded = false;
  attempt([&] {
    const QJsonObject parameters = store_.load(form->mode(), name);
    // The editor's own prompt, seed and inputs stay; the preset sets how to generate.
    const QJsonObject job = form->jobRequests().value(0);
    if (job.isEmpty()) {
      throw UserError(tr("fix the editor's fields first: a preset is applied to a valid request")
                          .toStdString());
    }
    form->setRequest(PresetStore::applied_to(parameters, job));
    loaded = true;
    Q_EMIT actionDone(tr("Preset \"%1\" loaded.").arg(name));
  });
  return loaded;
}

void PresetMenu::rebuild() {
  clear();
  GenerationForm* form = form_();
  if (!form) {
    addAction(tr("The editor is not ready yet"))->setEnabled(false);
    return;
  }
  const GenerationMode mode = form->mode();
  const QStringList names = store_.names(mode);
  addAction(tr("Save current parameters as…"), this, [this, mode] {
    GenerationForm* current = form_();
    const QString name = QInputDialog::getText(
        this, tr("Save preset"), tr("Name of the %1 preset:").arg(display_name(mode)));
    if (!current || name.isEmpty()) return;
    attempt([&] {
      const QJsonObject job = current->jobRequests().value(0);
      if (job.isEmpty()) {
        throw UserError(
            tr("fix the editor's fields first: only a valid request is saved").toStdString());
      }
      store_.save(mode, name, job);
      Q_EMIT actionDone(tr("Preset \"%1\" saved.").arg(name));
    });
  });
  QMenu* load = addMenu(tr("Load"));
  QMenu* rename = addMenu(tr("Rename"));
  QMenu* remove = addMenu(tr("Delete"));
  QMenu* export_menu = addMenu(tr("Export"));
  for (QMenu* menu : {load, rename, remove, export_menu}) menu->setEnabled(!names.isEmpty());
  for (const QString& name : names) {
    load->addAction(name, this, [this, name] { loadIntoForm(name); });
    rename->addAction(name, this, [this, mode, name] {
      const QString to = QInputDialog::getText(this, tr("Rename preset"), tr("New name:"),
                                               QLineEdit::Normal, name);
      if (!to.isEmpty()) attempt([&] { store_.rename(mode, name, to); });
    });
    remove->addAction(name, this,
                      [this, mode, name] { attempt([&] { store_.remove(mode, name); }); });
    export_menu->addAction(name, this, [this, mode, name] {
      const QString file = QFileDialog::getSaveFileName(
          this, tr("Export preset"), name + QStringLiteral(".json"), tr("Presets (*.json)"));
      if (!file.isEmpty()) attempt([&] { store_.exportTo(mode, name, file); });
    });
  }
  addAction(tr("Import…"), this, [this, mode] {
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Import preset"), QString(), tr("Presets (*.json)"));
    if (file.isEmpty()) return;
    attempt([&] {
      const QString name = store_.importFrom(mode, file);
      Q_EMIT actionDone(tr("Preset \"%1\" imported.").arg(name));
    });
  });
}

}  // namespace cosmos3::ui
