#pragma once
// What the model will actually read for the prompt and the negative prompt: the conversation
// the pipeline builds (system prompt, duration and resolution sentences) rendered with the
// checkpoint's chat template, with its token count. The tokenizer is loaded and run off the UI
// thread; builds without the tokenizer show the conversation without the count.

#include "core/pipeline/prompt_template.h"

#include <QWidget>

#include <filesystem>
#include <memory>
#include <optional>

class QLabel;
class QPlainTextEdit;

namespace cosmos3::ui {

struct PromptRendering;
class LoadedPromptTokenizer;

class EffectivePromptView : public QWidget {
  Q_OBJECT

 public:
  explicit EffectivePromptView(QWidget* parent = nullptr);
  ~EffectivePromptView() override;

  // The checkpoint's text_tokenizer folder; loading starts at once, in the background.
  void setTokenizerDir(const std::filesystem::path& tokenizer_dir);
  void setConversations(const pipeline::Conversation& conditional,
                        const pipeline::Conversation& unconditional);

  QString renderedText() const;
  // None until the tokenizer has counted the current conversations.
  std::optional<int> promptTokenCount() const { return prompt_token_count_; }

 Q_SIGNALS:
  // The text and counts shown are those of the latest conversations.
  void updated();

 private:
  void render();
  void display(const PromptRendering& rendering);

  QPlainTextEdit* text_;
  QLabel* counts_;
  std::shared_ptr<const LoadedPromptTokenizer> tokenizer_;
  QString tokenizer_problem_;
  pipeline::Conversation conditional_;
  pipeline::Conversation unconditional_;
  std::optional<int> prompt_token_count_;
  bool rendering_in_flight_ = false;
  bool render_again_ = false;
};

}  // namespace cosmos3::ui
