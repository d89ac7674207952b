#include "ui/form/effective_prompt_view.h"

#include "core/errors.h"

#include <QFutureWatcher>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#ifdef COSMOS3_HAVE_PROMPT_TOKENS
#include "core/pipeline/prompt_tokens.h"
#endif

namespace cosmos3::ui {

#ifdef COSMOS3_HAVE_PROMPT_TOKENS
class LoadedPromptTokenizer {
 public:
  explicit LoadedPromptTokenizer(pipeline::PromptTokenizer loaded) : tokenizer(std::move(loaded)) {}
  pipeline::PromptTokenizer tokenizer;
};
#else
class LoadedPromptTokenizer {};
#endif

struct PromptRendering {
  QString text;
  std::optional<int> prompt_token_count;
  std::optional<int> negative_token_count;
};

namespace {

struct TokenizerLoad {
  std::shared_ptr<const LoadedPromptTokenizer> tokenizer;
  QString problem;
};

// Without the chat template the roles are only labelled; the template's own markers need it.
QString plain_rendering(const pipeline::Conversation& conversation) {
  QString text;
  if (conversation.system) {
    text += QStringLiteral("[system] %1\n").arg(QString::fromStdString(*conversation.system));
  }
  return text + QStringLiteral("[user] %1").arg(QString::fromStdString(conversation.user));
}

PromptRendering render_conversations(std::shared_ptr<const LoadedPromptTokenizer> loaded,
                                     const pipeline::Conversation& conditional,
                                     const pipeline::Conversation& unconditional) {
  PromptRendering rendering;
  const QString heading_negative = QStringLiteral("\n\n── negative prompt ──\n");
#ifdef COSMOS3_HAVE_PROMPT_TOKENS
  if (loaded) {
    const pipeline::PromptTokenizer& tokenizer = loaded->tokenizer;
    rendering.text = QString::fromStdString(tokenizer.render(conditional)) + heading_negative +
                     QString::fromStdString(tokenizer.render(unconditional));
    rendering.prompt_token_count = static_cast<int>(tokenizer.tokenize(conditional).size());
    rendering.negative_token_count = static_cast<int>(tokenizer.tokenize(unconditional).size());
    return rendering;
  }
#endif
  (void)loaded;
  rendering.text = plain_rendering(conditional) + heading_negative + plain_rendering(unconditional);
  return rendering;
}

TokenizerLoad load_tokenizer(const std::filesystem::path& tokenizer_dir) {
#ifdef COSMOS3_HAVE_PROMPT_TOKENS
  try {
    return {std::make_shared<const LoadedPromptTokenizer>(
                pipeline::PromptTokenizer::load(tokenizer_dir)),
            {}};
  } catch (const UserError& error) {
    return {nullptr, QString::fromUtf8(error.what())};
  }
#else
  (void)tokenizer_dir;
  return {nullptr, QStringLiteral("token counts need the tokenizer, which this build left out")};
#endif
}

}  // namespace

EffectivePromptView::EffectivePromptView(QWidget* parent)
    : QWidget(parent), text_(new QPlainTextEdit(this)), counts_(new QLabel(this)) {
  text_->setObjectName(QStringLiteral("effective_prompt"));
  text_->setReadOnly(true);
  counts_->setObjectName(QStringLiteral("token_counts"));
  counts_->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(text_);
  layout->addWidget(counts_);
}

EffectivePromptView::~EffectivePromptView() = default;

void EffectivePromptView::setTokenizerDir(const std::filesystem::path& tokenizer_dir) {
  counts_->setText(tr("Loading the tokenizer…"));
  auto* watcher = new QFutureWatcher<TokenizerLoad>(this);
  connect(watcher, &QFutureWatcher<TokenizerLoad>::finished, this, [this, watcher] {
    const TokenizerLoad load = watcher->result();
    watcher->deleteLater();
    tokenizer_ = load.tokenizer;
    tokenizer_problem_ = load.problem;
    render();
  });
  watcher->setFuture(QtConcurrent::run(load_tokenizer, tokenizer_dir));
}

void EffectivePromptView::setConversations(const pipeline::Conversation& conditional,
                                           const pipeline::Conversation& unconditional) {
  if (conditional == conditional_ && unconditional == unconditional_) {
    return;
  }
  conditional_ = conditional;
  unconditional_ = unconditional;
  prompt_token_count_.reset();
  render();
}

QString EffectivePromptView::renderedText() const { return text_->toPlainText(); }

// One rendering at a time; edits made meanwhile are rendered once it is done, so a long JSON
// prompt typed quickly costs one tokenization per finished one, not one per key.
void EffectivePromptView::render() {
  if (rendering_in_flight_) {
    render_again_ = true;
    return;
  }
  rendering_in_flight_ = true;
  auto* watcher = new QFutureWatcher<PromptRendering>(this);
  connect(watcher, &QFutureWatcher<PromptRendering>::finished, this, [this, watcher] {
    const PromptRendering rendering = watcher->result();
    watcher->deleteLater();
    rendering_in_flight_ = false;
    if (render_again_) {
      render_again_ = false;
      render();
      return;
    }
    display(rendering);
  });
  watcher->setFuture(
      QtConcurrent::run(render_conversations, tokenizer_, conditional_, unconditional_));
}

void EffectivePromptView::display(const PromptRendering& rendering) {
  text_->setPlainText(rendering.text);
  prompt_token_count_ = rendering.prompt_token_count;
  if (rendering.prompt_token_count && rendering.negative_token_count) {
    counts_->setText(tr("%1 tokens (prompt), %2 tokens (negative prompt)")
                         .arg(*rendering.prompt_token_count)
                         .arg(*rendering.negative_token_count));
  } else {
    counts_->setText(tokenizer_problem_.isEmpty() ? tr("Loading the tokenizer…")
                                                  : tokenizer_problem_);
  }
  Q_EMIT updated();
}

}  // namespace cosmos3::ui
