#pragma once
// Reading the form's typed text (numbers, seeds, index lists, prompt lists) the same way for the
// checks and for the job objects, so what is checked is what is queued.

#include "core/pipeline/generation_request.h"
#include "ui/form/checkpoint_capabilities.h"
#include "ui/form/form_values.h"

#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace cosmos3::ui {

std::optional<double> parse_decimal(const QString& text);
// 0 .. 2^63 - 1: JSON carries it exactly as an integer.
std::optional<int64_t> parse_seed(const QString& text);
// "0, 1" -> {0, 1}; none unless every item is a whole number.
std::optional<std::vector<int64_t>> parse_index_list(const QString& text);

// The shortest text that reads back as the same double ("6", "0.125").
QString decimal_text(double value);
QString index_list_text(const std::vector<int64_t>& indexes);

// The prompts the form queues: the text as one prompt, or each non-blank line of it.
QStringList prompts_of(const FormValues& values);

// The engine's request for `prompt` with the form's values; text that does not parse leaves the
// checkpoint's default in place (the checks report it).
pipeline::GenerationRequest engine_request_of(const FormValues& values, const QString& prompt,
                                              const CheckpointCapabilities& capabilities);

}  // namespace cosmos3::ui
