// SPDX-License-Identifier: MIT
#pragma once

#include "chatmessages.h"
#include "store/tracestore.h"

#include <QWidget>

#include <memory>
#include <set>

class QLabel;
class QSplitter;
class QStackedWidget;
class QTextBrowser;
class QTreeView;
class QUrl;

namespace agentops::ui {

class ElidedTextView;
class JsonDocument;
class JsonTreeModel;

/// A span's input and output: a chat for model calls (every message convention read into one
/// model), JSON trees for tool arguments and results, plain text otherwise. Payloads over 1 MiB are
/// parsed on a worker thread; parts over 64 KiB show their beginning with a "Show all" link.
class PayloadView : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { Empty, Loading, Chat, Sections };
    static constexpr std::size_t kAsyncBytes = std::size_t { 1024 } * 1024;
    static constexpr qsizetype kElideChars = qsizetype { 64 } * 1024;

    explicit PayloadView(QWidget *parent = nullptr);
    ~PayloadView() override;

    void setSpan(const std::shared_ptr<const store::TraceDetail> &trace, int index);
    void clear();

    Mode mode() const { return m_mode; }
    /// The tab title that fits what is shown ("Conversation", "Arguments && Result", "Input && Output").
    QString title() const { return m_title; }
    QTextBrowser *chatView() const { return m_chat; }
    JsonTreeModel *inputModel() const { return m_inputModel; }
    JsonTreeModel *outputModel() const { return m_outputModel; }
    ElidedTextView *inputText() const { return m_inputText; }
    ElidedTextView *outputText() const { return m_outputText; }
    /// Parts of the chat shown cut short.
    int elidedParts() const { return m_elidedParts; }

Q_SIGNALS:
    void titleChanged(const QString &title);
    /// The payload has been read and is shown (at once for small payloads, later for big ones).
    void payloadReady();

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Analysis;
    static std::shared_ptr<Analysis> analyze(const core::Span &span);
    void apply(std::shared_ptr<Analysis> analysis);
    void renderChat();
    void onAnchor(const QUrl &url);
    void setMode(Mode mode);

    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    QTextBrowser *m_chat;
    QSplitter *m_sections;
    QLabel *m_inputTitle;
    QLabel *m_outputTitle;
    QStackedWidget *m_inputStack;
    QStackedWidget *m_outputStack;
    QTreeView *m_inputTree;
    QTreeView *m_outputTree;
    JsonTreeModel *m_inputModel;
    JsonTreeModel *m_outputModel;
    ElidedTextView *m_inputText;
    ElidedTextView *m_outputText;

    Mode m_mode = Mode::Empty;
    QString m_title;
    std::shared_ptr<const store::TraceDetail> m_trace;
    std::shared_ptr<Analysis> m_analysis;
    std::set<int> m_expanded; ///< chat parts shown in full
    int m_elidedParts = 0;
    quint64 m_generation = 0;
};

} // namespace agentops::ui
