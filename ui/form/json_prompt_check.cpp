#include "ui/form/json_prompt_check.h"

#include <nlohmann/json.hpp>

namespace cosmos3::ui {
namespace {

using OrderedJson = nlohmann::ordered_json;

// nlohmann's message repeats the position ("[json.exception.parse_error.101] parse error at
// line 2, column 5: syntax error ..."); the form states the position itself.
QString reason_of(const nlohmann::json::parse_error& error) {
  const std::string message = error.what();
  const size_t column = message.find("column ");
  const size_t colon = column == std::string::npos ? column : message.find(": ", column);
  return QString::fromStdString(colon == std::string::npos ? message : message.substr(colon + 2));
}

// `byte` is nlohmann's 1-based offset of the byte where parsing stopped.
JsonPromptError error_at(const QByteArray& utf8, size_t byte, QString reason) {
  const qsizetype end = std::min<qsizetype>(static_cast<qsizetype>(byte), utf8.size());
  const qsizetype stop = std::max<qsizetype>(end - 1, 0);
  // lastIndexOf(.., -1) would search from the end, so the first byte is a case of its own.
  const qsizetype line_start = stop == 0 ? 0 : utf8.lastIndexOf('\n', stop - 1) + 1;
  JsonPromptError error;
  error.line = static_cast<int>(utf8.left(line_start).count('\n')) + 1;
  error.column =
      static_cast<int>(QString::fromUtf8(utf8.mid(line_start, stop - line_start)).size()) + 1;
  error.reason = std::move(reason);
  return error;
}

}  // namespace

QString JsonPromptError::describe() const {
  return QStringLiteral("line %1, column %2: %3").arg(line).arg(column).arg(reason);
}

bool looks_like_json_prompt(const QString& text) {
  for (const QChar character : text) {
    if (!character.isSpace()) {
      return character == QLatin1Char('{');
    }
  }
  return false;
}

std::optional<JsonPromptError> check_json_prompt(const QString& text) {
  if (!looks_like_json_prompt(text)) {
    return std::nullopt;
  }
  const QByteArray utf8 = text.toUtf8();
  try {
    const OrderedJson parsed = OrderedJson::parse(utf8.begin(), utf8.end());
    static_cast<void>(parsed);
    return std::nullopt;
  } catch (const nlohmann::json::parse_error& error) {
    return error_at(utf8, error.byte, reason_of(error));
  }
}

std::optional<QString> pretty_printed_json_prompt(const QString& text) {
  if (!looks_like_json_prompt(text)) {
    return std::nullopt;
  }
  const QByteArray utf8 = text.toUtf8();
  try {
    const OrderedJson json = OrderedJson::parse(utf8.begin(), utf8.end());
    return QString::fromStdString(json.dump(2, ' ', /*ensure_ascii=*/false));
  } catch (const nlohmann::json::parse_error&) {
    return std::nullopt;
  }
}

}  // namespace cosmos3::ui
