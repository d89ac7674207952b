// The shared command-line parser: what each declaration accepts, every kind of mistake with the
// message that names it, --help on commands and subcommands, and usage rendered from the
// declarations (so it lists every flag that is parsed).

#include "core/cli/command_line.h"
#include "core/cli/typed_values.h"
#include "tests/test_support.h"

#include <QtTest/QtTest>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

using cosmos3::cli::Command;
using cosmos3::cli::ParseResult;
using cosmos3::cli::UsageError;
using cosmos3::test::contains_all;

namespace {

enum class Precision { kFloat32, kBFloat16 };

// What the sample command's setters write.
struct Parsed {
  std::string model;
  int64_t steps = 35;
  double scale = 6;
  bool use_system_prompt = true;
  bool verbose = false;
  Precision precision = Precision::kFloat32;
  std::vector<std::string> tags;
  std::vector<std::string> inputs;
};

Command sample_command(Parsed& parsed) {
  Command command("sample-program", "Does a sample thing.");
  command.add_flag({.name = "--model",
                    .value_name = "DIR",
                    .help = "the model folder",
                    .set = [&](auto, auto value) { parsed.model = value; },
                    .required = true});
  command.add_flag({.name = "--steps",
                    .value_name = "N",
                    .help = "denoising steps",
                    .set = [&](auto flag, auto value) {
                      parsed.steps = cosmos3::cli::to_integer<int64_t>(flag, value);
                    }});
  command.add_flag(
      {.name = "--scale",
       .value_name = "G",
       .help = "guidance scale\nsecond line of help",
       .set = [&](auto flag, auto value) { parsed.scale = cosmos3::cli::to_number(flag, value); }});
  command.add_flag({.name = "--use-system-prompt",
                    .value_name = "B",
                    .help = "true|false",
                    .set = [&](auto flag, auto value) {
                      parsed.use_system_prompt = cosmos3::cli::to_bool(flag, value);
                    }});
  command.add_flag({.name = "--dtype",
                    .value_name = "T",
                    .help = "float32 or bfloat16",
                    .set = [&](auto flag, auto value) {
                      parsed.precision = cosmos3::cli::to_enum<Precision>(
                          flag, value,
                          {{"float32", Precision::kFloat32}, {"bfloat16", Precision::kBFloat16}});
                    }});
  command.add_flag(
      {.name = "--verbose", .help = "say more", .set = [&](auto, auto) { parsed.verbose = true; }});
  command.add_flag({.name = "--tag",
                    .value_name = "TEXT",
                    .help = "a label",
                    .set = [&](auto, auto value) { parsed.tags.emplace_back(value); },
                    .repeatable = true});
  command.add_positional({.name = "INPUT",
                          .help = "input files",
                          .set = [&](auto value) { parsed.inputs.emplace_back(value); },
                          .required = false,
                          .repeatable = true});
  return command;
}

ParseResult parse(const Command& command, const std::vector<std::string>& arguments) {
  return command.parse(arguments);
}

std::string usage_error_of(const Command& command, const std::vector<std::string>& arguments) {
  return cosmos3::test::error_message_of<UsageError>([&] { parse(command, arguments); });
}

}  // namespace

class CommandLineTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void valuesSpaceAndEqualsSyntax() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    const ParseResult result =
        parse(command, {"--model", "m", "--steps=12", "--scale", "1.5", "--dtype=bfloat16",
                        "--use-system-prompt", "false", "--tag", "a", "--tag=b=c"});
    QCOMPARE(result.command, &command);
    QVERIFY(!result.help_requested);
    QCOMPARE(parsed.model, std::string("m"));
    QCOMPARE(parsed.steps, int64_t{12});
    QCOMPARE(parsed.scale, 1.5);
    QVERIFY(parsed.precision == Precision::kBFloat16);
    QVERIFY(!parsed.use_system_prompt);
    QVERIFY(!parsed.verbose);
    // Only the first '=' separates: the value may hold more.
    QCOMPARE(parsed.tags, (std::vector<std::string>{"a", "b=c"}));
  }

  void negativeNumbersAreValues() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    parse(command, {"--model", "m", "--scale", "-1", "--steps", "-3"});
    QCOMPARE(parsed.scale, -1.0);
    QCOMPARE(parsed.steps, int64_t{-3});
  }

  void switchTakesNoValue() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    parse(command, {"--verbose", "--model", "m"});
    QVERIFY(parsed.verbose);
    QVERIFY(contains_all(usage_error_of(command, {"--model", "m", "--verbose=yes"}),
                         {"--verbose is a switch and takes no value, got 'yes'"}));
  }

  void positionalsAndDoubleDash() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    parse(command, {"a.txt", "--model", "m", "b.txt", "--", "--c.txt"});
    QCOMPARE(parsed.inputs, (std::vector<std::string>{"a.txt", "b.txt", "--c.txt"}));
  }

  void requiredPositionalAndExtraArgument() {
    std::string path;
    Command command("inspect", "");
    command.add_positional({.name = "PATH", .help = "a file", .set = [&](auto v) { path = v; }});
    QVERIFY(contains_all(usage_error_of(command, {}), {"PATH is required"}));
    QVERIFY(contains_all(usage_error_of(command, {"a", "b"}), {"unexpected argument 'b'"}));
    parse(command, {"a"});
    QCOMPARE(path, std::string("a"));
  }

  void passthroughKeepsEverythingAfterDoubleDash() {
    int num_processes = 0;
    std::vector<std::string> program;
    Command command("launch", "starts ranks");
    command.add_flag(
        {.name = "--nproc",
         .value_name = "N",
         .help = "ranks",
         .set = [&](auto f, auto v) { num_processes = cosmos3::cli::to_integer<int>(f, v); },
         .required = true});
    command.set_passthrough({.name = "PROGRAM [ARGS...]",
                             .help = "the program",
                             .set = [&](auto arguments) { program = std::move(arguments); }});
    const ParseResult result =
        parse(command, {"--nproc", "2", "--", "prog", "--help", "--nproc", "--"});
    QVERIFY(!result.help_requested);
    QCOMPARE(num_processes, 2);
    QCOMPARE(program, (std::vector<std::string>{"prog", "--help", "--nproc", "--"}));
    QVERIFY(contains_all(usage_error_of(command, {"--nproc", "2", "prog"}),
                         {"unexpected argument 'prog'", "put PROGRAM [ARGS...] after --"}));
    QVERIFY(contains_all(command.usage(), {"usage: launch --nproc N -- PROGRAM [ARGS...]",
                                           "-- PROGRAM [ARGS...]", "the program"}));
  }

  void unknownFlagListsTheKnownOnes() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    QVERIFY(contains_all(usage_error_of(command, {"--model", "m", "--frames=9"}),
                         {"unknown flag '--frames'", "--model", "--steps", "--scale",
                          "--use-system-prompt", "--dtype", "--verbose", "--tag", "--help"}));
    QVERIFY(contains_all(usage_error_of(command, {"-x"}), {"unknown flag '-x'"}));
  }

  void missingValue() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    QVERIFY(contains_all(usage_error_of(command, {"--model", "m", "--steps"}),
                         {"--steps needs a value (N)"}));
    // A declared flag is not taken for the value of the one before it.
    QVERIFY(contains_all(usage_error_of(command, {"--model", "--steps", "3"}),
                         {"--model needs a value (DIR)"}));
  }

  void flagGivenTwice() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    QVERIFY(contains_all(usage_error_of(command, {"--model", "a", "--model=b"}),
                         {"--model is given twice"}));
  }

  void missingRequiredFlag() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    QVERIFY(contains_all(usage_error_of(command, {"--steps", "3"}), {"--model is required"}));
  }

  void valuesOfTheWrongKind() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    QVERIFY(contains_all(usage_error_of(command, {"--model", "m", "--steps", "3.5"}),
                         {"--steps takes a number (an integer), got '3.5'"}));
    QVERIFY(contains_all(usage_error_of(command, {"--model", "m", "--steps", ""}),
                         {"--steps takes a number (an integer), got ''"}));
    QVERIFY(contains_all(usage_error_of(command, {"--model", "m", "--scale", "big"}),
                         {"--scale takes a number, got 'big'"}));
    QVERIFY(contains_all(usage_error_of(command, {"--model", "m", "--scale", "nan"}),
                         {"--scale takes a number, got 'nan'"}));
    QVERIFY(contains_all(usage_error_of(command, {"--model", "m", "--use-system-prompt=maybe"}),
                         {"--use-system-prompt takes true or false, got 'maybe'"}));
    QVERIFY(contains_all(usage_error_of(command, {"--model", "m", "--dtype", "fp8"}),
                         {"--dtype takes float32 or bfloat16, got 'fp8'"}));
    // Out of the type's range, and negative for an unsigned type.
    QVERIFY(contains_all(cosmos3::test::error_message_of<UsageError>(
                             [] { cosmos3::cli::to_integer<int8_t>("--small", "300"); }),
                         {"--small takes a number (an integer), got '300'"}));
    QVERIFY(contains_all(cosmos3::test::error_message_of<UsageError>(
                             [] { cosmos3::cli::to_integer<uint64_t>("--seed", "-1"); }),
                         {"--seed takes a number (an integer >= 0), got '-1'"}));
    QCOMPARE(cosmos3::cli::to_enum<int>("--k", "c", {{"a", 1}, {"b", 2}, {"c", 3}}), 3);
    QVERIFY(contains_all(cosmos3::test::error_message_of<UsageError>([] {
                           cosmos3::cli::to_enum<int>("--k", "d", {{"a", 1}, {"b", 2}, {"c", 3}});
                         }),
                         {"--k takes a, b or c, got 'd'"}));
  }

  void usageErrorIsAUserErrorCarryingTheUsage() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    try {
      parse(command, {"--bogus"});
      QFAIL("no UsageError");
    } catch (const cosmos3::UserError& error) {
      const auto* usage_error = dynamic_cast<const UsageError*>(&error);
      QVERIFY(usage_error != nullptr);
      QCOMPARE(usage_error->usage(), command.usage());
    }
    QCOMPARE(cosmos3::cli::kUsageExitCode, 2);
  }

  void helpStopsParsing() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    for (const std::string help : {"--help", "-h"}) {
      // Required flags are not demanded when help is asked for.
      const ParseResult result = parse(command, {"--steps", "3", help, "--bogus"});
      QVERIFY(result.help_requested);
      QCOMPARE(result.command, &command);
    }
  }

  void usageListsEveryDeclaration() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    const std::string usage = command.usage();
    QVERIFY2(contains_all(usage,
                          {"usage: sample-program --model DIR [options] [INPUT...]",
                           "Does a sample thing.", "--model DIR", "the model folder", "(required)",
                           "--steps N", "--scale G", "--use-system-prompt B", "--dtype T",
                           "--verbose", "--tag TEXT", "(may be repeated)", "INPUT", "-h, --help"}),
             usage.c_str());
    // A multi-line help keeps its second line under the first.
    const size_t first = usage.find("guidance scale\n");
    const size_t second = usage.find("second line of help");
    QVERIFY(first != std::string::npos && second != std::string::npos);
    const size_t first_column = first - usage.rfind('\n', first) - 1;
    const size_t second_column = second - usage.rfind('\n', second) - 1;
    QCOMPARE(second_column, first_column);
  }

  void subcommands() {
    std::string forward_model;
    std::string inspected;
    Command tool("tool", "tensor utilities");
    Command forward("forward", "runs one forward");
    forward.add_flag({.name = "--model",
                      .value_name = "DIR",
                      .help = "the model",
                      .set = [&](auto, auto v) { forward_model = v; },
                      .required = true});
    forward.set_action([] { return 7; });
    Command inspect("inspect", "lists tensors");
    inspect.add_positional(
        {.name = "PATH", .help = "a file", .set = [&](auto v) { inspected = v; }});
    tool.add_subcommand(std::move(forward)).add_subcommand(std::move(inspect));

    const ParseResult result = parse(tool, {"forward", "--model=m"});
    QCOMPARE(result.command->full_name(), std::string("tool forward"));
    QCOMPARE(result.command->run_action(), 7);
    QCOMPARE(forward_model, std::string("m"));
    QCOMPARE(parse(tool, {"inspect", "x.safetensors"}).command->full_name(),
             std::string("tool inspect"));
    QCOMPARE(inspected, std::string("x.safetensors"));

    const ParseResult help = parse(tool, {"forward", "--help"});
    QVERIFY(help.help_requested);
    QVERIFY(
        contains_all(help.command->usage(), {"usage: tool forward --model DIR", "--model DIR"}));
    QVERIFY(parse(tool, {"-h"}).help_requested);
    QVERIFY(contains_all(tool.usage(), {"usage: tool COMMAND", "commands:", "forward",
                                        "runs one forward", "inspect", "lists tensors"}));

    QVERIFY(contains_all(usage_error_of(tool, {"frobnicate"}),
                         {"unknown command 'frobnicate'", "forward, inspect"}));
    QVERIFY(contains_all(usage_error_of(tool, {}), {"a command is required"}));
    QVERIFY(contains_all(usage_error_of(tool, {"forward", "--no-such-flag"}),
                         {"unknown flag '--no-such-flag'", "--model"}));
    // The error carries the subcommand's usage, not the tool's.
    try {
      parse(tool, {"forward"});
      QFAIL("no UsageError");
    } catch (const UsageError& error) {
      QVERIFY(contains_all(error.what(), {"--model is required"}));
      QVERIFY(contains_all(error.usage(), {"usage: tool forward"}));
    }
  }

  void runMainExitCodesAndStreams() {
    Parsed parsed;
    const Command command = sample_command(parsed);
    const auto run = [&](std::vector<std::string> arguments, std::string& out, std::string& err) {
      arguments.insert(arguments.begin(), "sample-program");
      std::vector<char*> argv;
      for (std::string& argument : arguments) {
        argv.push_back(argument.data());
      }
      std::ostringstream out_stream;
      std::ostringstream err_stream;
      const int exit_code = cosmos3::cli::run_main(command, static_cast<int>(argv.size()),
                                                   argv.data(), out_stream, err_stream);
      out = out_stream.str();
      err = err_stream.str();
      return exit_code;
    };
    std::string out;
    std::string err;
    QCOMPARE(run({"--help"}, out, err), 0);
    QCOMPARE(out, command.usage());
    QVERIFY(err.empty());
    QCOMPARE(run({"--no-such-flag"}, out, err), 2);
    QVERIFY(out.empty());
    QVERIFY(contains_all(err, {"sample-program: unknown flag '--no-such-flag'", "usage:"}));
    QCOMPARE(run({"--model", "m"}, out, err), 0);
  }

  void runMainNamesTheSubcommandAtFault() {
    int num_runs = 0;
    Command tool("tool", "");
    Command forward("forward", "");
    forward.set_action([&num_runs] { return ++num_runs; });
    tool.add_subcommand(std::move(forward));
    std::vector<std::string> arguments{"tool", "forward", "--no-such-flag"};
    std::vector<char*> argv;
    for (std::string& argument : arguments) {
      argv.push_back(argument.data());
    }
    std::ostringstream out;
    std::ostringstream err;
    QCOMPARE(cosmos3::cli::run_main(tool, 3, argv.data(), out, err), 2);
    QVERIFY(contains_all(err.str(),
                         {"tool forward: unknown flag '--no-such-flag'", "usage: tool forward"}));
    QCOMPARE(num_runs, 0);
    QCOMPARE(cosmos3::cli::run_main(tool, 2, argv.data(), out, err), 1);
    QCOMPARE(num_runs, 1);
  }
};

QTEST_GUILESS_MAIN(CommandLineTest)
#include "tst_command_line.moc"
