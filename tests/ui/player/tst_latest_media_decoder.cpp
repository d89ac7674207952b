// LatestMediaDecoder on real files: only the newest request is reported, a request made while
// another decodes waits (one decode in flight), and cancel_all() silences everything before it.
// Colours: the stills are JPEGs of solid colours; a JPEG keeps a flat colour within a few levels,
// and red and blue differ by 255 in two channels, so a 40-level check cannot confuse them.

#include "media/image_writer.h"
#include "ui/player/latest_media_decoder.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cstdlib>
#include <filesystem>

using cosmos3::ui::DecodedMedia;
using cosmos3::ui::LatestMediaDecoder;
using cosmos3::ui::MediaDecodeLimits;

class TestLatestMediaDecoder : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void onlyTheNewestRequestIsReported();
  void aFailureNamesTheFile();
  void cancelAllSilencesEarlierRequests();

 private:
  QString write_still(const QString& name, QColor colour) const;

  QTemporaryDir dir_;
  QString red_;
  QString green_;
  QString blue_;
};

QString TestLatestMediaDecoder::write_still(const QString& name, QColor colour) const {
  constexpr int kSide = 32;
  std::vector<std::uint8_t> rgb(kSide * kSide * 3);
  for (std::size_t i = 0; i < rgb.size(); i += 3) {
    rgb[i] = static_cast<std::uint8_t>(colour.red());
    rgb[i + 1] = static_cast<std::uint8_t>(colour.green());
    rgb[i + 2] = static_cast<std::uint8_t>(colour.blue());
  }
  const QString path = dir_.filePath(name);
  cosmos3::media::write_image(std::filesystem::path(path.toStdString()), rgb, kSide, kSide);
  return path;
}

void TestLatestMediaDecoder::initTestCase() {
  QVERIFY(dir_.isValid());
  red_ = write_still(QStringLiteral("red.jpg"), Qt::red);
  green_ = write_still(QStringLiteral("green.jpg"), Qt::green);
  blue_ = write_still(QStringLiteral("blue.jpg"), Qt::blue);
}

void TestLatestMediaDecoder::onlyTheNewestRequestIsReported() {
  LatestMediaDecoder decoder;
  QSignalSpy decoded(&decoder, &LatestMediaDecoder::decoded);
  QSignalSpy failed(&decoder, &LatestMediaDecoder::failed);
  // The first decode's result can only come back through this thread's event loop, so the
  // second and third requests are made while it is in flight: the second waits, the third
  // replaces it, and the first is decoded but dropped.
  decoder.request(red_, {});
  QVERIFY(decoder.is_busy());
  decoder.request(green_, {});
  const quint64 newest = decoder.request(blue_, {});
  QTRY_VERIFY(!decoder.is_busy());
  QCOMPARE(failed.count(), 0);
  QCOMPARE(decoded.count(), 1);
  QCOMPARE(decoded.first().at(0).value<quint64>(), newest);
  const auto media = decoded.first().at(1).value<DecodedMedia>();
  QCOMPARE(media.path, blue_);
  QCOMPARE(media.num_frames(), 1);
  const QColor centre = media.frames.first().pixelColor(16, 16);
  QVERIFY2(centre.red() <= 40 && std::abs(centre.blue() - 255) <= 40, qPrintable(centre.name()));
}

void TestLatestMediaDecoder::aFailureNamesTheFile() {
  const QString path = dir_.filePath(QStringLiteral("not_a_picture.jpg"));
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write("this is text, not a JPEG");
  file.close();
  LatestMediaDecoder decoder;
  QSignalSpy failed(&decoder, &LatestMediaDecoder::failed);
  decoder.request(path, {});
  QTRY_COMPARE(failed.count(), 1);
  QCOMPARE(failed.first().at(1).toString(), path);
  QVERIFY2(failed.first().at(2).toString().contains(QStringLiteral("not_a_picture.jpg")),
           qPrintable(failed.first().at(2).toString()));
}

void TestLatestMediaDecoder::cancelAllSilencesEarlierRequests() {
  LatestMediaDecoder decoder;
  QSignalSpy decoded(&decoder, &LatestMediaDecoder::decoded);
  decoder.request(red_, {});
  decoder.request(green_, {});
  decoder.cancel_all();
  QTRY_VERIFY(!decoder.is_busy());
  QCOMPARE(decoded.count(), 0);
  // The decoder still works afterwards.
  decoder.request(blue_, {});
  QTRY_COMPARE(decoded.count(), 1);
}

QTEST_MAIN(TestLatestMediaDecoder)
#include "tst_latest_media_decoder.moc"
