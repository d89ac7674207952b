// Single-process checks of what is validated before any rank talks: layout degrees, the rank
// environment and the launcher's arguments. Each error must name what is wrong and what to do.

#include "core/cli/usage_error.h"
#include "parallel/comm/device_mesh.h"
#include "parallel/comm/local_launcher.h"
#include "parallel/comm/parallel_error.h"
#include "parallel/comm/rank_environment.h"

#include <QtTest/QtTest>

#include <map>

using namespace cosmos3::parallel;

namespace {

template <typename Error, typename Function>
QString message_of(Function&& function) {
  try {
    function();
  } catch (const Error& error) {
    return QString::fromStdString(error.what());
  }
  return "<no error thrown>";
}

RankEnvironment parse(const std::map<std::string, std::string>& variables) {
  return RankEnvironment::from_environment(
      [&](const std::string& name) -> std::optional<std::string> {
        const auto found = variables.find(name);
        if (found == variables.end()) return std::nullopt;
        return found->second;
      });
}

const std::vector<MeshAxis> kCfgCpTp = {{"cfg", 2}, {"cp", 3}, {"tp", 2}};

}  // namespace

class TestCommLayout : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void wrongProductNamesEveryFactorAndSuggests() {
    const QString message =
        message_of<LayoutError>([] { validate_mesh(kCfgCpTp, 8, Backend::cpu, 8, -1); });
    QVERIFY2(message.startsWith("cfg 2 x cp 3 x tp 2 = 12 ranks, but the world has 8: choose "
                                "degrees whose product is 8, e.g. "),
             qPrintable(message));
    QVERIFY2(message.contains("cfg 2 x cp 2 x tp 2"), qPrintable(message));
  }

  void cfgAboveThreeIsRejected() {
    const QString message = message_of<LayoutError>([] {
      validate_mesh({{"cfg", 4}, {"cp", 2}, {"tp", 1}}, 8, Backend::cpu, 8, -1);
    });
    QVERIFY2(message.contains("cfg degree 4 in cfg 4 x cp 2 x tp 1: cfg must be 1, 2 or 3"),
             qPrintable(message));
    QVERIFY2(message.contains("3 only pays for transfer jobs"), qPrintable(message));
    // Three groups, one per transfer pass, are a valid axis.
    validate_mesh({{"cfg", 3}, {"cp", 2}, {"tp", 1}}, 6, Backend::cpu, 6, -1);
  }

  void degreeBelowOneIsRejected() {
    const QString message = message_of<LayoutError>([] {
      validate_mesh({{"cfg", 1}, {"cp", 0}, {"tp", 2}}, 2, Backend::cpu, 2, -1);
    });
    QVERIFY2(message.contains("cp degree 0 in cfg 1 x cp 0 x tp 2 must be at least 1"),
             qPrintable(message));
  }

  void moreRanksThanDevicesIsRejectedOnNccl() {
    const QString message = message_of<LayoutError>([] {
      validate_mesh({{"cfg", 2}, {"cp", 4}, {"tp", 1}}, 8, Backend::nccl, 8, 4);
    });
    QVERIFY2(message.contains("8 ranks on this host for cfg 2 x cp 4 x tp 1 but only 4 CUDA "
                              "devices are visible"),
             qPrintable(message));
    // The CPU backend does not need devices.
    validate_mesh({{"cfg", 2}, {"cp", 4}, {"tp", 1}}, 8, Backend::cpu, 8, 0);
  }

  void coordinatesAreRowMajorWithTheLastAxisInnermost() {
    QCOMPARE(mesh_coordinates(kCfgCpTp, 0), (std::vector<int>{0, 0, 0}));
    QCOMPARE(mesh_coordinates(kCfgCpTp, 1), (std::vector<int>{0, 0, 1}));
    QCOMPARE(mesh_coordinates(kCfgCpTp, 2), (std::vector<int>{0, 1, 0}));
    QCOMPARE(mesh_coordinates(kCfgCpTp, 7), (std::vector<int>{1, 0, 1}));
    for (int rank = 0; rank < 12; ++rank) {
      QCOMPARE(mesh_rank(kCfgCpTp, mesh_coordinates(kCfgCpTp, rank)), rank);
    }
  }

  void environmentFromCosmos3Variables() {
    const auto environment = parse({{"COSMOS3_RANK", "2"},
                                    {"COSMOS3_WORLD_SIZE", "4"},
                                    {"COSMOS3_LOCAL_RANK", "0"},
                                    {"COSMOS3_MASTER_ADDR", "node7"},
                                    {"COSMOS3_MASTER_PORT", "29400"},
                                    {"COSMOS3_COMM_TIMEOUT_S", "5"}});
    QCOMPARE(environment.rank, 2);
    QCOMPARE(environment.world_size, 4);
    QCOMPARE(environment.local_rank, 0);
    QCOMPARE(environment.master_addr, std::string("node7"));
    QCOMPARE(environment.master_port, std::uint16_t{29400});
    QCOMPARE(environment.timeout.count(), 5000);
  }

  void environmentFromTorchrunVariables() {
    const auto environment = parse({{"RANK", "1"},
                                    {"WORLD_SIZE", "2"},
                                    {"LOCAL_RANK", "1"},
                                    {"MASTER_ADDR", "127.0.0.1"},
                                    {"MASTER_PORT", "29500"}});
    QCOMPARE(environment.rank, 1);
    QCOMPARE(environment.local_rank, 1);
    QCOMPARE(environment.master_port, std::uint16_t{29500});
  }

  void environmentErrorsNameTheVariable() {
    QVERIFY(message_of<RankEnvironmentError>([] {
              parse({});
            }).contains("COSMOS3_WORLD_SIZE (or torchrun's WORLD_SIZE) is not set"));
    QVERIFY(message_of<RankEnvironmentError>([] {
              parse({{"COSMOS3_RANK", "x"}, {"COSMOS3_WORLD_SIZE", "2"}});
            }).contains("COSMOS3_RANK='x' is not an integer"));
    QVERIFY(message_of<RankEnvironmentError>([] {
              parse({{"COSMOS3_RANK", "4"}, {"COSMOS3_WORLD_SIZE", "4"}});
            }).contains("COSMOS3_RANK=4 but the world has only 4 ranks (0..3)"));
    QVERIFY(message_of<RankEnvironmentError>([] {
              parse({{"COSMOS3_RANK", "0"},
                     {"COSMOS3_WORLD_SIZE", "2"},
                     {"COSMOS3_MASTER_ADDR", "h"},
                     {"COSMOS3_MASTER_PORT", "70000"}});
            }).contains("COSMOS3_MASTER_PORT='70000' is not an integer in [1, 65535]"));
    // A world of one needs no master.
    QCOMPARE(parse({{"COSMOS3_RANK", "0"}, {"COSMOS3_WORLD_SIZE", "1"}}).world_size, 1);
  }

  void launcherArguments() {
    const auto options = parse_launch_arguments(
        {"--nproc", "4", "--log-dir", "/tmp/x", "--timeout", "9", "--", "prog", "--flag"});
    QCOMPARE(options.num_processes, 4);
    QCOMPARE(options.log_dir.string(), std::string("/tmp/x"));
    QCOMPARE(options.timeout.count(), 9);
    QCOMPARE(options.command, (std::vector<std::string>{"prog", "--flag"}));
    // Launcher flags follow the shared command-line convention: a UsageError (exit 2).
    QVERIFY(message_of<cosmos3::cli::UsageError>([] {
              parse_launch_arguments({"--", "prog"});
            }).contains("--nproc is required"));
    QVERIFY(message_of<cosmos3::cli::UsageError>([] {
              parse_launch_arguments({"--nproc", "2", "--"});
            }).contains("no program given after --"));
    QVERIFY(message_of<cosmos3::cli::UsageError>([] {
              parse_launch_arguments({"--nproc", "2", "prog"});
            }).contains("unexpected argument 'prog'"));
    QVERIFY(parse_launch_arguments({"--help"}).help);
    QVERIFY(QString::fromStdString(launch_usage()).contains("--grace SECONDS"));
  }
};

QTEST_GUILESS_MAIN(TestCommLayout)
#include "tst_comm_layout.moc"
