#include "core/cli/command_line.h"

#include <cctype>
#include <ostream>
#include <set>
#include <stdexcept>

namespace cosmos3::cli {
namespace {

bool is_help(std::string_view argument) { return argument == "--help" || argument == "-h"; }

// "-5" and "-0.5" are values (a negative positional), not flags.
bool looks_like_flag(std::string_view argument) {
  return argument.size() > 1 && argument[0] == '-' &&
         !std::isdigit(static_cast<unsigned char>(argument[1])) && argument[1] != '.';
}

}  // namespace

Command::Command(std::string name, std::string summary)
    : name_(std::move(name)), full_name_(name_), summary_(std::move(summary)) {}

Command& Command::add_flag(Flag flag) {
  if (!flag.name.starts_with("--") || find_flag(flag.name) != nullptr || is_help(flag.name) ||
      !flag.set) {
    throw std::logic_error("cli: bad or duplicate flag declaration " + flag.name);
  }
  flags_.push_back(std::move(flag));
  return *this;
}

Command& Command::add_positional(Positional positional) {
  if (!subcommands_.empty() || (!positionals_.empty() && positionals_.back().repeatable) ||
      (!positionals_.empty() && !positionals_.back().required && positional.required) ||
      !positional.set) {
    throw std::logic_error("cli: positional " + positional.name + " cannot follow the others");
  }
  positionals_.push_back(std::move(positional));
  return *this;
}

Command& Command::set_passthrough(Passthrough passthrough) {
  if (!passthrough.set) {
    throw std::logic_error("cli: passthrough " + passthrough.name + " has no setter");
  }
  passthrough_ = std::move(passthrough);
  return *this;
}

Command& Command::add_subcommand(Command subcommand) {
  if (!positionals_.empty() || find_subcommand(subcommand.name_) != nullptr) {
    throw std::logic_error("cli: subcommand " + subcommand.name_ + " clashes with " + name_);
  }
  subcommand.set_parent_name(full_name_);
  subcommands_.push_back(std::move(subcommand));
  return *this;
}

Command& Command::set_notes(std::string notes) {
  notes_ = std::move(notes);
  return *this;
}

Command& Command::set_action(std::function<int()> action) {
  action_ = std::move(action);
  return *this;
}

void Command::set_parent_name(const std::string& parent_name) {
  full_name_ = parent_name + " " + name_;
  for (Command& subcommand : subcommands_) {
    subcommand.set_parent_name(full_name_);
  }
}

int Command::run_action() const { return action_ ? action_() : 0; }

const Flag* Command::find_flag(std::string_view name) const {
  for (const Flag& flag : flags_) {
    if (flag.name == name) {
      return &flag;
    }
  }
  return nullptr;
}

const Command* Command::find_subcommand(std::string_view word) const {
  for (const Command& subcommand : subcommands_) {
    if (subcommand.name_ == word) {
      return &subcommand;
    }
  }
  return nullptr;
}

bool Command::is_flag_name(std::string_view argument) const {
  if (is_help(argument)) {
    return true;
  }
  return argument.starts_with("--") && find_flag(argument.substr(0, argument.find('='))) != nullptr;
}

std::string Command::known_flags() const {
  std::string names;
  for (const Flag& flag : flags_) {
    names += flag.name + " ";
  }
  return names + "--help";
}

std::string Command::known_subcommands() const {
  std::string names;
  for (const Command& subcommand : subcommands_) {
    names += (names.empty() ? "" : ", ") + subcommand.name_;
  }
  return names;
}

ParseResult Command::parse(std::span<const std::string_view> arguments) const {
  ParseResult result;
  parse_into(arguments, result);
  return result;
}

ParseResult Command::parse(const std::vector<std::string>& arguments) const {
  const std::vector<std::string_view> views(arguments.begin(), arguments.end());
  return parse(views);
}

void Command::parse_into(std::span<const std::string_view> arguments, ParseResult& result) const {
  result.command = this;
  try {
    parse_arguments(arguments, result);
  } catch (const UsageError& error) {
    // A subcommand's error already carries the subcommand's usage.
    if (!error.usage().empty()) {
      throw;
    }
    throw UsageError(error.what(), usage());
  }
}

void Command::parse_arguments(std::span<const std::string_view> arguments,
                              ParseResult& result) const {
  std::set<std::string_view> seen_flags;
  size_t num_positionals_given = 0;
  bool only_positionals = false;
  for (size_t index = 0; index < arguments.size(); ++index) {
    const std::string_view argument = arguments[index];
    if (argument == "--" && !only_positionals) {
      if (passthrough_) {
        passthrough_->set(
            {arguments.begin() + static_cast<std::ptrdiff_t>(index) + 1, arguments.end()});
        break;
      }
      only_positionals = true;
      continue;
    }
    if (!only_positionals && looks_like_flag(argument)) {
      if (is_help(argument)) {
        result.help_requested = true;
        return;
      }
      std::string_view name = argument;
      std::optional<std::string_view> value;
      if (const size_t equals = argument.find('=');
          argument.starts_with("--") && equals != 0 && equals != std::string_view::npos) {
        name = argument.substr(0, equals);
        value = argument.substr(equals + 1);
      }
      const Flag* flag = find_flag(name);
      if (flag == nullptr) {
        throw UsageError("unknown flag '" + std::string(name) + "' (flags: " + known_flags() + ")");
      }
      const bool first_occurrence = seen_flags.insert(flag->name).second;
      if (!first_occurrence && !flag->repeatable) {
        throw UsageError(flag->name + " is given twice");
      }
      if (flag->value_name.empty()) {
        if (value) {
          throw UsageError(flag->name + " is a switch and takes no value, got '" +
                           std::string(*value) + "'");
        }
        flag->set(flag->name, "");
        continue;
      }
      if (!value) {
        if (index + 1 >= arguments.size() || is_flag_name(arguments[index + 1])) {
          throw UsageError(flag->name + " needs a value (" + flag->value_name + ")");
        }
        value = arguments[++index];
      }
      flag->set(flag->name, *value);
      continue;
    }
    if (!subcommands_.empty()) {
      const Command* subcommand = find_subcommand(argument);
      if (subcommand == nullptr) {
        throw UsageError("unknown command '" + std::string(argument) +
                         "' (commands: " + known_subcommands() + ")");
      }
      subcommand->parse_into(arguments.subspan(index + 1), result);
      return;
    }
    if (num_positionals_given >= positionals_.size() && !positionals_.empty() &&
        positionals_.back().repeatable) {
      positionals_.back().set(argument);
      continue;
    }
    if (num_positionals_given >= positionals_.size()) {
      throw UsageError("unexpected argument '" + std::string(argument) + "'" +
                       (passthrough_ ? "; put " + passthrough_->name + " after --" : ""));
    }
    positionals_[num_positionals_given++].set(argument);
  }
  for (const Flag& flag : flags_) {
    if (flag.required && !seen_flags.count(flag.name)) {
      throw UsageError(flag.name + " is required");
    }
  }
  if (num_positionals_given < positionals_.size() && positionals_[num_positionals_given].required) {
    throw UsageError(positionals_[num_positionals_given].name + " is required");
  }
  if (!subcommands_.empty() && !action_) {
    throw UsageError("a command is required (commands: " + known_subcommands() + ")");
  }
}

int run_main(const Command& command, int argc, char** argv, std::ostream& out, std::ostream& err) {
  const std::vector<std::string_view> arguments(argv + (argc > 0 ? 1 : 0), argv + argc);
  ParseResult parsed{&command, false};
  try {
    command.parse_into(arguments, parsed);
    if (parsed.help_requested) {
      out << parsed.command->usage();
      return 0;
    }
    return parsed.command->run_action();
  } catch (const UsageError& error) {
    err << parsed.command->full_name() << ": " << error.what() << "\n\n"
        << (error.usage().empty() ? parsed.command->usage() : error.usage());
    return kUsageExitCode;
  }
}

}  // namespace cosmos3::cli
