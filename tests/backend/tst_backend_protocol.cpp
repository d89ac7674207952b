// The protocol as a raw client sees it, against one cosmos3-worker started alone: malformed,
// oversized, unknown-version and out-of-order messages are refused and the connection
// survives; a second client and a second group cannot take the socket; a client that
// disconnects mid-job gets the job's terminal event, once, when it reconnects.

#include "backend_jobs.h"
#include "parallel/backend/line_socket.h"
#include "parallel/backend/protocol.h"

#include <QTemporaryDir>

#include <sys/stat.h>

using namespace cosmos3;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

struct RawClient {
  std::unique_ptr<backend::LineSocket> socket;

  explicit RawClient(const std::filesystem::path& path)
      : socket(std::make_unique<backend::LineSocket>(backend::connect_unix_socket(path),
                                                     backend::kMaxMessageBytes * 2)) {}

  void send(const std::string& line) { QVERIFY(socket->write_all(line + "\n")); }

  // The next message, or a null json after `timeout_ms`.
  json next(int timeout_ms = 30000) {
    std::string line;
    if (socket->read_line(line, timeout_ms) != backend::LineSocket::Read::kLine) return {};
    return json::parse(line);
  }

  // Skips messages until one of `type` (job events may interleave).
  json next_of(const std::string& type, int timeout_ms = 60000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      const json message = next(timeout_ms);
      if (message.is_null()) return {};
      if (message.value("type", "") == type) return message;
    }
    return {};
  }
};

}  // namespace

class BackendProtocolTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir temporary_{"/tmp/c3proto-XXXXXX"};
  std::filesystem::path root_;
  std::filesystem::path socket_;
  QProcess worker_;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(temporary_.isValid());
    root_ = temporary_.path().toStdString();
    test::make_tiny_checkpoint(root_ / "tiny");
    socket_ = root_ / "w.sock";
    worker_.setProcessChannelMode(QProcess::ForwardedChannels);
    test::die_with_parent(worker_);
    worker_.start(COSMOS3_WORKER_PROGRAM,
                  {"--socket", QString::fromStdString(socket_.string()), "--model",
                   QString::fromStdString((root_ / "tiny").string())});
    QVERIFY(worker_.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(socket_), 60000);
  }

  void cleanupTestCase() {
    worker_.kill();
    worker_.waitForFinished();
  }

  void socketIsPrivateToItsOwner() {
    struct stat info {};
    QCOMPARE(::stat(socket_.c_str(), &info), 0);
    QCOMPARE(info.st_mode & 0777, 0600u);
    QCOMPARE(::stat(socket_.parent_path().c_str(), &info), 0);
  }

  void badMessagesAreRefusedAndTheConnectionSurvives() {
    RawClient client(socket_);
    client.send(R"({"type":"submit","job_id":"early","job":{}})");
    json reply = client.next();
    QCOMPARE(reply["type"].get<std::string>(), std::string("protocol_error"));
    QVERIFY(reply["message"].get<std::string>().find("hello first") != std::string::npos);

    client.send(R"({"type":"hello","version":99})");
    reply = client.next();
    QCOMPARE(reply["type"].get<std::string>(), std::string("protocol_error"));
    QVERIFY(reply["message"].get<std::string>().find("version 99") != std::string::npos);

    client.send("this is not json");
    QCOMPARE(client.next()["type"].get<std::string>(), std::string("protocol_error"));
    client.send("[1, 2, 3]");
    QCOMPARE(client.next()["type"].get<std::string>(), std::string("protocol_error"));
    client.send(R"({"type":"teleport"})");
    reply = client.next();
    QVERIFY(reply["message"].get<std::string>().find("unknown message type") != std::string::npos);
    client.send(R"({"type":"submit","job_id":"../escape","job":{}})");
    QCOMPARE(client.next()["type"].get<std::string>(), std::string("protocol_error"));
    client.send(R"({"type":"hello","version":)" + std::string(backend::kMaxMessageBytes + 10, ' ') +
                "1}");
    reply = client.next();
    QVERIFY(reply["message"].get<std::string>().find("limit") != std::string::npos);

    // Still the same connection, and now in order.
    client.send(R"({"type":"hello","version":1,"id":5})");
    reply = client.next_of("hello");
    QCOMPARE(reply["version"].get<int>(), backend::kProtocolVersion);
    QCOMPARE(reply["reply_to"].get<int>(), 5);
    client.send(R"({"type":"status"})");
    QVERIFY(!client.next_of("status").is_null());
  }

  void aSecondClientIsTurnedAway() {
    RawClient owner(socket_);
    owner.send(R"({"type":"hello","version":1})");
    QVERIFY(!owner.next_of("hello").is_null());
    RawClient intruder(socket_);
    const json refused = intruder.next();
    QCOMPARE(refused["type"].get<std::string>(), std::string("refused_connection"));
    owner.send(R"({"type":"status"})");
    QVERIFY(!owner.next_of("status").is_null());
  }

  void aSecondGroupCannotTakeTheSocket() {
    QProcess second;
    second.setProcessChannelMode(QProcess::MergedChannels);
    test::die_with_parent(second);
    second.start(COSMOS3_WORKER_PROGRAM,
                 {"--socket", QString::fromStdString(socket_.string()), "--model",
                  QString::fromStdString((root_ / "tiny").string())});
    QVERIFY(second.waitForFinished(60000));
    QVERIFY(second.exitCode() != 0);
    const QByteArray output = second.readAll();
    QVERIFY2(output.contains("already serves"), output.constData());
    // The first group still answers.
    RawClient client(socket_);
    client.send(R"({"type":"hello","version":1})");
    QVERIFY(!client.next_of("hello").is_null());
  }

  void terminalEventReachesAReconnectingClientOnce() {
    {
      RawClient client(socket_);
      client.send(R"({"type":"hello","version":1})");
      const json hello = client.next_of("hello");
      QCOMPARE(hello["state"].get<std::string>(), std::string("ready"));
      json submit = {{"type", "submit"},
                     {"job_id", "detached"},
                     {"job", test::tiny_job(root_ / "detached", 3)}};
      client.send(submit.dump());
      QVERIFY(!client.next_of("accepted").is_null());
    }  // disconnects while the job runs
    QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(root_ / "detached" / "generation.json"),
                             120000);
    RawClient again(socket_);
    again.send(R"({"type":"hello","version":1})");
    QVERIFY(!again.next_of("hello").is_null());
    const json finished = again.next_of("finished", 10000);
    QCOMPARE(finished["job_id"].get<std::string>(), std::string("detached"));
    again.send(R"({"type":"ack","job_id":"detached"})");
    // Acknowledged: a later hello replays nothing.
    again.send(R"({"type":"hello","version":1})");
    QVERIFY(!again.next_of("hello").is_null());
    QVERIFY(again.next(1500).is_null());
  }
};

QTEST_GUILESS_MAIN(BackendProtocolTest)
#include "tst_backend_protocol.moc"
