#pragma once
// tst_tokenizer: our tokenizer against the reference's golden ids (tst_tokenizer.cpp) and its
// refusal of files it cannot tokenize faithfully (tst_tokenizer_errors.cpp).

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

class TokenizerTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();

  void encodes_like_reference_data();
  void encodes_like_reference();
  void decodes_like_reference_data();
  void decodes_like_reference();

  void tiny_tokenizer_encodes_and_decodes();
  void refuses_unsupported_components_data();
  void refuses_unsupported_components();
  void refuses_corrupt_or_missing_files();
  void refuses_text_that_is_not_utf8();

 private:
  void add_tokenizer_rows();

  nlohmann::json golden_;
};
