// A group spread over two "hosts" by an external launcher: two cosmos3-worker processes started
// separately with torchrun's variables, sharing only MASTER_ADDR/PORT and each local rank 0 of
// its host, form a CP 2 group; a protocol client on rank 0's socket runs a job whose latents
// equal cosmos3-generate --cp 2.

#include "backend_jobs.h"
#include "parallel/backend/line_socket.h"
#include "parallel/backend/protocol.h"
#include "parallel/comm/rank_process.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>

using namespace cosmos3;
using json = nlohmann::json;

class BackendHostsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir temporary_{"/tmp/c3hosts-XXXXXX"};

  static void start_host(QProcess& process, int rank, std::uint16_t port,
                         const std::filesystem::path& socket, const std::filesystem::path& model) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char* name :
         {"COSMOS3_RANK", "COSMOS3_WORLD_SIZE", "COSMOS3_LOCAL_RANK", "COSMOS3_LOCAL_WORLD_SIZE",
          "COSMOS3_MASTER_ADDR", "COSMOS3_MASTER_PORT"}) {
      environment.remove(name);
    }
    environment.insert("RANK", QString::number(rank));
    environment.insert("WORLD_SIZE", "2");
    environment.insert("LOCAL_RANK", "0");
    environment.insert("LOCAL_WORLD_SIZE", "1");
    environment.insert("MASTER_ADDR", "127.0.0.1");
    environment.insert("MASTER_PORT", QString::number(port));
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    test::die_with_parent(process);
    process.start(COSMOS3_WORKER_PROGRAM,
                  {"--socket", QString::fromStdString(socket.string()), "--model",
                   QString::fromStdString(model.string()), "--cp", "2"});
  }

 private Q_SLOTS:
  void twoHostsFormOneGroup() {
    QVERIFY(temporary_.isValid());
    const std::filesystem::path root = temporary_.path().toStdString();
    const std::filesystem::path model = root / "tiny";
    test::make_tiny_checkpoint(model);
    const std::filesystem::path socket = root / "h.sock";
    const std::uint16_t port = parallel::find_free_port();
    QProcess host_a;
    QProcess host_b;
    start_host(host_a, 0, port, socket, model);
    start_host(host_b, 1, port, socket, model);
    QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(socket), 60000);

    backend::LineSocket client(backend::connect_unix_socket(socket), backend::kMaxMessageBytes);
    const auto next_of = [&](const std::string& type) {
      std::string line;
      while (client.read_line(line, 120000) == backend::LineSocket::Read::kLine) {
        const json message = json::parse(line);
        if (message.value("type", "") == type) return message;
      }
      return json();
    };
    client.write_all(backend::to_line({{"type", "hello"}, {"version", 1}}));
    const json hello = next_of("hello");
    QCOMPARE(hello["group"]["num_ranks"].get<int>(), 2);
    if (hello.value("state", "") != "ready") QVERIFY(!next_of("ready").is_null());
    client.write_all(backend::to_line(
        {{"type", "submit"}, {"job_id", "spread"}, {"job", test::tiny_job(root / "spread")}}));
    const json finished = next_of("finished");
    QVERIFY2(!finished.is_null(), "no finished event");
    QCOMPARE(finished["peak_memory_bytes"].size(), size_t{2});
    client.write_all(backend::to_line({{"type", "shutdown"}}));
    QVERIFY(host_a.waitForFinished(60000));
    QVERIFY(host_b.waitForFinished(60000));
    QCOMPARE(host_a.exitCode(), 0);
    QCOMPARE(host_b.exitCode(), 0);

    const std::filesystem::path cli = test::generate_with_cli(model, root / "cli", {"--cp", "2"});
    QVERIFY(at::equal(test::read_latents(root / "spread" / "latents.safetensors"),
                      test::read_latents(cli)));
  }
};

QTEST_GUILESS_MAIN(BackendHostsTest)
#include "tst_backend_hosts.moc"
