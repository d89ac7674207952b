// The studio's model page against the local Hub stand-in, offscreen: Download fills the file
// table and the model list from the worker thread, "Use this model" emits the folder, Verify and
// Delete act on the selected model, a gated repository shows the licence link; and both item
// models pass QAbstractItemModelTester.

#include "tests/hub/hub_test_repo.h"
#include "tests/hub/hub_test_server.h"
#include "ui/models/model_file_table_model.h"
#include "ui/models/model_list_model.h"
#include "ui/models/model_page.h"

#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QtTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListView>
#include <QtWidgets/QPushButton>

using cosmos3::test::HubTestServer;
using cosmos3::ui::ModelListModel;
using cosmos3::ui::ModelPage;

namespace {

QPushButton* button(const ModelPage& page, const QString& text) {
  for (QPushButton* candidate : page.findChildren<QPushButton*>()) {
    if (candidate->text() == text) {
      return candidate;
    }
  }
  qFatal("no button '%s' on the model page", qPrintable(text));
}

QString status_text(const ModelPage& page) {
  QString text;
  for (const QLabel* label : page.findChildren<QLabel*>()) {
    text += label->text() + '\n';
  }
  return text;
}

}  // namespace

class ModelPageTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir repos_;

 private Q_SLOTS:
  void initTestCase() {
    const std::filesystem::path repos = repos_.path().toStdString();
    cosmos3::test::write_pipeline_repo(repos / "test/Small", 200'000);
    cosmos3::test::write_pipeline_repo(repos / "test/Gated", 1000);
    qunsetenv("HF_TOKEN");
    qputenv("HF_HOME", repos_.filePath("no-hf-home").toUtf8());
  }

  void download_use_verify_and_delete() {
    HubTestServer server(repos_.path());
    QTemporaryDir models_root;
    ModelPage page(models_root.path());
    page.setEndpoint(QString::fromStdString(server.endpoint()));
    QAbstractItemModelTester list_tester(page.modelList());
    QAbstractItemModelTester table_tester(page.fileTable());
    page.findChild<QComboBox*>()->setCurrentText("test/Small");

    QTest::mouseClick(button(page, "Download"), Qt::LeftButton);
    QVERIFY(!button(page, "Download")->isEnabled());  // the work runs on the worker thread
    const QString folder = models_root.filePath("test/Small");
    QTRY_COMPARE_WITH_TIMEOUT(page.modelList()->rowOfFolder(folder), 0, 30000);
    QVERIFY(page.modelList()->index(0).data(ModelListModel::kCompleteRole).toBool());
    QCOMPARE(page.fileTable()->rowCount(),
             static_cast<int>(cosmos3::test::pipeline_repo_selected_files().size()));
    for (int row = 0; row < page.fileTable()->rowCount(); ++row) {
      QCOMPARE(page.fileTable()
                   ->index(row, cosmos3::ui::ModelFileTableModel::kProgressColumn)
                   .data(Qt::UserRole)
                   .toInt(),
               100);
    }
    QVERIFY(status_text(page).contains("Downloaded to " + folder));

    QSignalSpy chosen(&page, &ModelPage::modelChosen);
    QTRY_VERIFY(button(page, "Use this model")->isEnabled());
    QTest::mouseClick(button(page, "Use this model"), Qt::LeftButton);
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(chosen.at(0).at(0).toString(), folder);

    QTRY_VERIFY(button(page, "Verify")->isEnabled());
    QTest::mouseClick(button(page, "Verify"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status_text(page).contains("every file matches its checksum"), 20000);

    QStringList asked;
    page.setDeleteConfirmation([&asked](const QString& asked_folder) {
      asked << asked_folder;
      return true;
    });
    QTRY_VERIFY(button(page, "Delete")->isEnabled());
    QTest::mouseClick(button(page, "Delete"), Qt::LeftButton);
    QCOMPARE(asked, QStringList{folder});
    QVERIFY(!QFileInfo::exists(folder));
    QCOMPARE(page.modelList()->rowCount(), 0);
  }

  void pause_keeps_the_partial_and_resume_continues_from_it() {
    HubTestServer server(repos_.path());
    // The VAE's weights stall half way, so Pause lands mid-file.
    const QString vae = "test/Small/vae/diffusion_pytorch_model.safetensors";
    server.set_faults({QJsonObject{
        {"id", "stall"}, {"path", vae}, {"kind", "stall"}, {"offset", 100'000}, {"seconds", 30}}});
    QTemporaryDir models_root;
    ModelPage page(models_root.path());
    page.setEndpoint(QString::fromStdString(server.endpoint()));
    page.findChild<QComboBox*>()->setCurrentText("test/Small");
    QTest::mouseClick(button(page, "Download"), Qt::LeftButton);
    const QString partial =
        models_root.filePath("test/Small/vae/diffusion_pytorch_model.safetensors.partial");
    QTRY_COMPARE_WITH_TIMEOUT(QFileInfo(partial).size(), qint64{100'000}, 20000);
    QTest::mouseClick(button(page, "Pause"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status_text(page).contains("Paused."), 10000);  // not after the stall
    QVERIFY(QFileInfo::exists(partial));
    QCOMPARE(page.modelList()->index(0).data(ModelListModel::kCompleteRole).toBool(), false);

    QTest::mouseClick(button(page, "Resume"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status_text(page).contains("Downloaded to"), 20000);
    const auto requests = server.byte_requests_for(vae);
    QCOMPARE(requests.back().range_start, qint64{100'000});
  }

  void gated_repository_shows_the_licence_link() {
    HubTestServer server(repos_.path(), "test/Gated", "secret");
    QTemporaryDir models_root;
    ModelPage page(models_root.path());
    page.setEndpoint(QString::fromStdString(server.endpoint()));
    page.findChild<QComboBox*>()->setCurrentText("test/Gated");
    QTest::mouseClick(button(page, "Check size"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        status_text(page).contains("<a href=\"https://huggingface.co/test/Gated\">"), 20000);

    page.setAccessToken("secret");  // as the studio's settings give it
    QTRY_VERIFY(button(page, "Check size")->isEnabled());
    QTest::mouseClick(button(page, "Check size"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status_text(page).contains("in 8 files into"), 20000);
  }
};

QTEST_MAIN(ModelPageTest)
#include "tst_model_page.moc"
