// cosmos3-tool's model subcommands, run in-process against the local Hub stand-in: download
// with its summary and progress lines, the folder under the XDG data dir, a rerun that fetches
// nothing, the gated-repo message and exit status, list-models and add-model, and the command
// line convention (--help exits 0, an unknown flag exits 2 naming it).

#include "core/hub/download_manifest.h"
#include "tests/hub/hub_test_repo.h"
#include "tests/hub/hub_test_server.h"
#include "tests/hub/tool_runner.h"
#include "tests/test_support.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using cosmos3::test::contains_all;
using cosmos3::test::HubTestServer;
using cosmos3::test::run_model_tool;
using cosmos3::test::ToolRun;

class HubCliTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir repos_;
  QTemporaryDir data_home_;

 private Q_SLOTS:
  void initTestCase() {
    const std::filesystem::path repos = repos_.path().toStdString();
    cosmos3::test::write_pipeline_repo(repos / "test/Small", 50'000);
    cosmos3::test::write_pipeline_repo(repos / "test/Gated", 1000);
    qputenv("XDG_DATA_HOME", data_home_.path().toUtf8());
    qunsetenv("HF_TOKEN");
    qputenv("HF_HOME", data_home_.filePath("no-hf-home").toUtf8());
  }

  void download_goes_under_the_xdg_data_dir_and_reports_progress() {
    HubTestServer server(repos_.path());
    qputenv("HF_ENDPOINT", QByteArray::fromStdString(server.endpoint()));
    const ToolRun run = run_model_tool({"download", "test/Small"});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    const std::string folder =
        data_home_.filePath("cosmos3-studio/models/test/Small").toStdString();
    QVERIFY(contains_all(
        run.out, {"test/Small at main (commit ", "8 of 12 files",
                  "downloaded test/Small to " + folder, "cosmos3-generate --model " + folder}));
    // Not a terminal: one line per finished file, the last at 100%.
    QVERIFY(contains_all(run.err, {"] 100%", "8/8 done vae/diffusion_pytorch_model.safetensors"}));
    QVERIFY(cosmos3::hub::read_download_manifest(folder).has_value());

    const size_t num_requests = server.requests().size();
    QCOMPARE(run_model_tool({"download", "test/Small"}).exit_code, 0);
    QCOMPARE(server.requests().size(), num_requests + 1);  // the listing only

    const ToolRun listed = run_model_tool({"list-models"});
    QVERIFY(contains_all(listed.out, {"complete\ttest/Small\t" + folder}));
  }

  void download_into_a_chosen_dir_at_a_revision() {
    HubTestServer server(repos_.path());
    qputenv("HF_ENDPOINT", QByteArray::fromStdString(server.endpoint()));
    QTemporaryDir target;
    const ToolRun bad_revision = run_model_tool(
        {"download", "test/Small", "--revision", "v2", "--dir", target.path().toStdString()});
    QCOMPARE(bad_revision.exit_code, 1);
    QVERIFY(contains_all(bad_revision.err, {"cosmos3-tool: ", "v2", "not found"}));
    const ToolRun run =
        run_model_tool({"download", "test/Small", "--dir", target.path().toStdString()});
    QCOMPARE(run.exit_code, 0);
    QVERIFY(cosmos3::hub::read_download_manifest(target.path().toStdString()).has_value());
  }

  void gated_repo_without_token_exits_1_with_the_licence_url() {
    HubTestServer server(repos_.path(), "test/Gated", "secret");
    qputenv("HF_ENDPOINT", QByteArray::fromStdString(server.endpoint()));
    const ToolRun run = run_model_tool({"download", "test/Gated"});
    QCOMPARE(run.exit_code, 1);
    QVERIFY(contains_all(run.err, {"https://huggingface.co/test/Gated", "HF_TOKEN"}));
    qputenv("HF_TOKEN", "secret");
    const ToolRun with_token = run_model_tool({"download", "test/Gated"});
    qunsetenv("HF_TOKEN");
    QVERIFY2(with_token.exit_code == 0, with_token.err.c_str());
  }

  void add_model_registers_an_existing_folder() {
    QTemporaryDir snapshot;
    cosmos3::test::write_pipeline_repo(snapshot.path().toStdString(), 10);
    const ToolRun added = run_model_tool({"add-model", snapshot.path().toStdString()});
    QVERIFY2(added.exit_code == 0, added.err.c_str());
    QVERIFY(contains_all(run_model_tool({"list-models"}).out,
                         {"registered\t-\t" + snapshot.path().toStdString()}));
    QTemporaryDir empty;
    const ToolRun refused = run_model_tool({"add-model", empty.path().toStdString()});
    QCOMPARE(refused.exit_code, 1);
    QVERIFY(contains_all(refused.err, {empty.path().toStdString(), "lacks model_index.json"}));
  }

  void subcommands_follow_the_command_line_convention() {
    for (const char* subcommand : {"download", "add-model", "list-models"}) {
      const ToolRun help = run_model_tool({subcommand, "--help"});
      QCOMPARE(help.exit_code, 0);
      QVERIFY(contains_all(help.out, {std::string("usage: cosmos3-tool ") + subcommand}));
      const ToolRun unknown = run_model_tool({subcommand, "--no-such-flag"});
      QCOMPARE(unknown.exit_code, 2);
      QVERIFY(contains_all(unknown.err, {"--no-such-flag", "usage: cosmos3-tool"}));
    }
    QCOMPARE(run_model_tool({"download"}).exit_code, 2);  // MODEL is required
    const ToolRun no_owner = run_model_tool({"download", "Cosmos3-Nano"});
    QCOMPARE(no_owner.exit_code, 1);
    QVERIFY(contains_all(no_owner.err, {"'Cosmos3-Nano'", "OWNER/NAME", "nano or super"}));
  }
};

QTEST_GUILESS_MAIN(HubCliTest)
#include "tst_hub_cli.moc"
