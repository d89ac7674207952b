// Downloaded, then generated on: `cosmos3-tool download` (run in-process) fetches the embedded
// tiny checkpoint from the local Hub stand-in, and cosmos3-generate (COSMOS3_GENERATE) must
// give on the downloaded folder exactly the latent tensors it gives on the folder the server serves
// (COSMOS3_HUB_TINY_REPOS/test/Cosmos3-Tiny, written by cosmos3-tool make-tiny-checkpoint).

#include "tests/hub/hub_test_server.h"
#include "tests/hub/tool_runner.h"
#include "tests/test_support.h"

#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using cosmos3::test::HubTestServer;
using cosmos3::test::read_bytes;

namespace {

// Runs cosmos3-generate on `model`; its latents go to `latents`.
void generate(const QString& model, const QString& output_dir, const QString& latents) {
  QProcess process;
  process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  process.start(qEnvironmentVariable("COSMOS3_GENERATE"),
                {"--model", model, "--output-dir", output_dir, "--output-latents", latents,
                 "--prompt", "A red ball rolls across a wooden table", "--num-frames", "1",
                 "--height", "64", "--width", "64", "--steps", "2", "--seed", "7"});
  QVERIFY(process.waitForFinished(300'000));
  QCOMPARE(process.exitStatus(), QProcess::NormalExit);
  QCOMPARE(process.exitCode(), 0);
}

// The tensor bytes of a .safetensors file: what follows its JSON header, whose metadata names
// the model folder and so differs between the two runs.
std::string tensor_bytes(const QString& path) {
  const std::string file = read_bytes(path.toStdString());
  if (file.size() < 8) {
    return {};
  }
  uint64_t num_header_bytes = 0;
  for (int index = 7; index >= 0; --index) {
    num_header_bytes = (num_header_bytes << 8) | static_cast<unsigned char>(file[index]);
  }
  return 8 + num_header_bytes < file.size() ? file.substr(8 + num_header_bytes) : std::string();
}

}  // namespace

class HubGenerateTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void downloaded_tiny_checkpoint_generates_like_the_served_one() {
    QVERIFY2(qEnvironmentVariableIsSet("COSMOS3_GENERATE") &&
                 qEnvironmentVariableIsSet("COSMOS3_HUB_TINY_REPOS"),
             "CTest sets COSMOS3_GENERATE and COSMOS3_HUB_TINY_REPOS");
    const QString repos = qEnvironmentVariable("COSMOS3_HUB_TINY_REPOS");
    HubTestServer server(repos);
    QTemporaryDir work;
    qputenv("HF_ENDPOINT", QByteArray::fromStdString(server.endpoint()));
    qunsetenv("HF_TOKEN");

    const QString model = work.filePath("Cosmos3-Tiny");
    const auto download = cosmos3::test::run_model_tool(
        {"download", "test/Cosmos3-Tiny", "--dir", model.toStdString()});
    QVERIFY2(download.exit_code == 0, download.err.c_str());
    QVERIFY(QFile::exists(model + "/.cosmos3-download.json"));

    generate(model, work.filePath("out-downloaded"), work.filePath("downloaded.safetensors"));
    QVERIFY(QFile::exists(work.filePath("out-downloaded/generation.json")));
    generate(repos + "/test/Cosmos3-Tiny", work.filePath("out-served"),
             work.filePath("served.safetensors"));
    const std::string downloaded = tensor_bytes(work.filePath("downloaded.safetensors"));
    QVERIFY(!downloaded.empty());
    QVERIFY(downloaded == tensor_bytes(work.filePath("served.safetensors")));
  }
};

QTEST_GUILESS_MAIN(HubGenerateTest)
#include "tst_hub_generate.moc"
