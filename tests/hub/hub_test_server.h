#pragma once
// Starts tools/hub_test_server.py (a local stand-in for the Hugging Face Hub) for one test, and
// reads what it saw: every request it answered, from its requests.jsonl.

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <string>
#include <vector>

namespace cosmos3::test {

struct ServedRequest {
  QString kind;  // "api", "resolve", "cdn"
  QString path;  // "owner/name/file"
  qint64 range_start = 0;
  int status = 0;
};

class HubTestServer {
 public:
  // `repos`: a folder of OWNER/NAME repository folders. `gated_repo` answers only `token`.
  explicit HubTestServer(const QString& repos, const QString& gated_repo = {},
                         const QString& token = {})
      : state_dir_(QDir(state_root_.path()).filePath("state")) {
    QStringList arguments = {QStringLiteral(COSMOS3_HUB_TEST_SERVER), "--repos", repos, "--state",
                             state_dir_};
    if (!gated_repo.isEmpty()) {
      arguments << "--gated" << gated_repo << "--token" << token;
    }
    process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process_.start(QStringLiteral(COSMOS3_TEST_PYTHON), arguments);
    if (!process_.waitForStarted(10000) || !process_.waitForReadyRead(20000)) {
      qFatal("the test Hub server did not start: %s", qPrintable(process_.errorString()));
    }
    const QString line = QString::fromUtf8(process_.readLine()).trimmed();
    endpoint_ = "http://127.0.0.1:" + line.section(' ', 2, 2);
  }

  ~HubTestServer() {
    process_.terminate();
    if (!process_.waitForFinished(5000)) {
      process_.kill();
      process_.waitForFinished(5000);
    }
  }

  HubTestServer(const HubTestServer&) = delete;
  HubTestServer& operator=(const HubTestServer&) = delete;

  std::string endpoint() const { return endpoint_.toStdString(); }

  // Replaces the faults the server injects (see tools/hub_test_server.py).
  void set_faults(const QJsonArray& faults) const {
    QFile file(QDir(state_dir_).filePath("faults.json"));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(faults).toJson());
  }

  std::vector<ServedRequest> requests() const {
    std::vector<ServedRequest> requests;
    QFile file(QDir(state_dir_).filePath("requests.jsonl"));
    if (!file.open(QIODevice::ReadOnly)) {
      return requests;
    }
    while (!file.atEnd()) {
      const QJsonObject entry = QJsonDocument::fromJson(file.readLine()).object();
      requests.push_back({entry["kind"].toString(), entry["path"].toString(),
                          entry["range_start"].toInteger(), entry["status"].toInt()});
    }
    return requests;
  }

  // Requests for the bytes of `path` ("owner/name/file"): resolves of git files, CDN fetches of
  // LFS files (their resolve is only the redirect).
  std::vector<ServedRequest> byte_requests_for(const QString& path) const {
    std::vector<ServedRequest> matching;
    for (const ServedRequest& request : requests()) {
      if (request.path == path && request.status != 302 && request.kind != "api") {
        matching.push_back(request);
      }
    }
    return matching;
  }

 private:
  QTemporaryDir state_root_;
  QString state_dir_;
  QProcess process_;
  QString endpoint_;
};

}  // namespace cosmos3::test
