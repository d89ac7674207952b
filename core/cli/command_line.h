#pragma once
// The one command-line convention of every executable: a command declares its flags,
// positional arguments, an optional `-- PROGRAM ARGS...` passthrough and its subcommands; the
// usage text is rendered from those declarations, so it cannot drift from what is parsed.
//
// Conventions: `--flag value` or `--flag=value`; a switch takes no value; `--help` / `-h` on any
// command or subcommand prints its usage to stdout and exits 0; every mistake is a UsageError
// naming the flag (exit status 2): unknown flag (the known ones are listed), missing value, flag
// given twice, missing required flag, or a value of the wrong kind (core/cli/typed_values.h).

#include "core/cli/usage_error.h"

#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cosmos3::cli {

// Receives the flag's name as declared and its text; throws UsageError for a bad value.
using FlagSetter = std::function<void(std::string_view flag, std::string_view value)>;

struct Flag {
  std::string name{};        // "--model"
  std::string value_name{};  // "DIR" in the usage; empty: a switch, which takes no value
  std::string help{};        // may span lines
  FlagSetter set{};          // a switch's setter gets an empty value
  bool required = false;
  bool repeatable = false;  // the setter runs once per occurrence
};

struct Positional {
  std::string name{};  // "PATH" in the usage
  std::string help{};
  std::function<void(std::string_view value)> set{};
  bool required = true;
  bool repeatable = false;  // takes every remaining argument; only the last positional may
};

// Everything after `--`, untouched: the program and arguments a launcher starts.
struct Passthrough {
  std::string name{};  // "PROGRAM [ARGS...]" in the usage
  std::string help{};
  std::function<void(std::vector<std::string> arguments)> set{};
};

class Command;

struct ParseResult {
  const Command* command = nullptr;  // the command or subcommand that was parsed
  bool help_requested = false;
};

class Command {
 public:
  // `name`: the program ("cosmos3-launch") or, for a subcommand, its word ("forward").
  // `summary`: one line, shown in the usage and in the parent's list of commands.
  Command(std::string name, std::string summary);

  Command& add_flag(Flag flag);
  Command& add_positional(Positional positional);
  Command& set_passthrough(Passthrough passthrough);
  // The first positional word selects the subcommand; the rest of the line is its own.
  Command& add_subcommand(Command subcommand);
  // Paragraphs printed after the list of flags (examples, how flags combine).
  Command& set_notes(std::string notes);
  // What runs when this command is selected (see run_main).
  Command& set_action(std::function<int()> action);

  // The program and subcommand words: "cosmos3-tool forward".
  const std::string& full_name() const { return full_name_; }
  std::string usage() const;

  // Calls the setters in order. Throws UsageError, with the usage of the command at fault.
  ParseResult parse(std::span<const std::string_view> arguments) const;
  ParseResult parse(const std::vector<std::string>& arguments) const;
  // The same, filling `result` as it goes: on a UsageError, result.command is the subcommand
  // at fault.
  void parse_into(std::span<const std::string_view> arguments, ParseResult& result) const;

  int run_action() const;

 private:
  void parse_arguments(std::span<const std::string_view> arguments, ParseResult& result) const;
  const Flag* find_flag(std::string_view name) const;
  const Command* find_subcommand(std::string_view word) const;
  bool is_flag_name(std::string_view argument) const;
  std::string known_flags() const;
  std::string known_subcommands() const;
  std::string synopsis() const;
  void set_parent_name(const std::string& parent_name);

  std::string name_;
  std::string full_name_;
  std::string summary_;
  std::vector<Flag> flags_;
  std::vector<Positional> positionals_;
  std::optional<Passthrough> passthrough_;
  std::vector<Command> subcommands_;
  std::string notes_;
  std::function<int()> action_;
};

// A program's main over `command`: --help prints the selected command's usage on `out` and
// gives 0; a UsageError (from parsing or from the action) prints "PROGRAM: message", a blank
// line and the usage on `err` and gives kUsageExitCode; otherwise gives the selected command's
// action's result. Other exceptions propagate to the caller, which maps them to exit codes.
int run_main(const Command& command, int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace cosmos3::cli
