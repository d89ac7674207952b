// The usage text of a Command, rendered from its declarations.

#include "core/cli/command_line.h"

#include <algorithm>

namespace cosmos3::cli {
namespace {

// Help texts start in this column unless the left side is wider; then they go on the next line.
constexpr size_t kMaxHelpColumn = 30;

struct UsageRow {
  std::string left;  // "--model DIR"
  std::string help;
};

void append_rows(std::string& text, const std::vector<UsageRow>& rows) {
  size_t help_column = 0;
  for (const UsageRow& row : rows) {
    help_column = std::max(help_column, row.left.size() + 4);
  }
  help_column = std::min(help_column, kMaxHelpColumn);
  const std::string indent(help_column, ' ');
  for (const UsageRow& row : rows) {
    std::string line = "  " + row.left;
    if (line.size() + 2 > help_column) {
      text += line + "\n";
      line = indent;
    } else {
      line.resize(help_column, ' ');
    }
    // Continuation lines of a multi-line help line up under its first line.
    size_t start = 0;
    while (start <= row.help.size()) {
      const size_t newline = std::min(row.help.find('\n', start), row.help.size());
      text += line + row.help.substr(start, newline - start) + "\n";
      line = indent;
      start = newline + 1;
    }
  }
}

}  // namespace

std::string Command::synopsis() const {
  std::string text = "usage: " + full_name_;
  bool has_optional_flags = false;
  for (const Flag& flag : flags_) {
    if (flag.required) {
      text += " " + flag.name + (flag.value_name.empty() ? "" : " " + flag.value_name);
    } else {
      has_optional_flags = true;
    }
  }
  text += has_optional_flags ? " [options]" : "";
  for (const Positional& positional : positionals_) {
    const std::string name = positional.name + (positional.repeatable ? "..." : "");
    text += " " + (positional.required ? name : "[" + name + "]");
  }
  if (!subcommands_.empty()) {
    text += " COMMAND [ARGS...]";
  }
  if (passthrough_) {
    text += " -- " + passthrough_->name;
  }
  return text + "\n";
}

std::string Command::usage() const {
  std::string text = synopsis();
  if (!summary_.empty()) {
    text += "\n" + summary_ + "\n";
  }
  if (!subcommands_.empty()) {
    std::vector<UsageRow> rows;
    for (const Command& subcommand : subcommands_) {
      rows.push_back({subcommand.name_, subcommand.summary_});
    }
    text += "\ncommands:\n";
    append_rows(text, rows);
  }
  std::vector<UsageRow> rows;
  for (const Positional& positional : positionals_) {
    rows.push_back({positional.name, positional.help});
  }
  for (const Flag& flag : flags_) {
    const std::string left = flag.name + (flag.value_name.empty() ? "" : " " + flag.value_name);
    std::string help = flag.help;
    help += flag.required ? " (required)" : "";
    help += flag.repeatable ? " (may be repeated)" : "";
    rows.push_back({left, help});
  }
  rows.push_back({"-h, --help", "print this help and exit"});
  if (passthrough_) {
    rows.push_back({"-- " + passthrough_->name, passthrough_->help});
  }
  text += "\n";
  append_rows(text, rows);
  if (!subcommands_.empty()) {
    text += "\n`" + full_name_ + " COMMAND --help` describes a command.\n";
  }
  if (!notes_.empty()) {
    text += "\n" + notes_ + (notes_.ends_with('\n') ? "" : "\n");
  }
  return text;
}

}  // namespace cosmos3::cli
