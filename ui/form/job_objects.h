#pragma once
// The form's values as protocol job objects (one per prompt and batch member, each with a
// concrete seed) and back. Keys are the cosmos3-generate flags without dashes ('-' as '_').
// Every parameter is written out, so a job records what it used even when that was a default;
// the sound switch, like the CLI's --sound, only when it is on.

#include "ui/form/checkpoint_capabilities.h"
#include "ui/form/form_values.h"

#include <QJsonObject>
#include <QList>

namespace cosmos3::ui {

// The jobs of one queue action, batch members of a prompt next to each other. Seeds: the seed
// field and its successors for each prompt (fixed, increment), or one drawn per job (random).
// The values must pass check_form_values.
QList<QJsonObject> make_job_objects(const FormValues& values,
                                    const CheckpointCapabilities& capabilities);

// The values that make `job` again (batch 1, fixed seed, one prompt). Keys the window owns
// (output_dir, output_latents, preview_interval) are ignored; absent parameters take the
// checkpoint's defaults. Throws RequestError naming a key that has the wrong type, is unknown,
// or asks for a mode (or sound) the checkpoint does not offer.
FormValues form_values_from_job(const QJsonObject& job, const CheckpointCapabilities& capabilities);

}  // namespace cosmos3::ui
