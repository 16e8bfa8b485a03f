// SPDX-License-Identifier: MIT
#include "payloadview.h"

#include "common/theme.h"
#include "detailsformat.h"
#include "elidedtextview.h"
#include "jsontreemodel.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace agentops::ui {

/// What a span's payloads turned out to be; built off the GUI thread for big payloads.
struct PayloadView::Analysis
{
    Mode mode = Mode::Empty;
    core::SpanKind kind = core::SpanKind::Other;
    std::vector<ChatMessage> input;
    std::vector<ChatMessage> output;
    // Sections mode: a JSON document, or else the text.
    std::shared_ptr<const JsonDocument> inputJson;
    std::shared_ptr<const JsonDocument> outputJson;
    QString inputText;
    QString outputText;
    bool hasInput = false;
    bool hasOutput = false;
    bool failed = false;
    QString statusMessage;
};

namespace {

enum Page { PlaceholderPage, ChatPage, SectionsPage };

bool looksLikeJson(const std::string &text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    return first != std::string::npos && (text[first] == '{' || text[first] == '[');
}

/// A side of a conversation that is not itself a list of messages: shown as one block in the chat.
ChatMessage blockMessage(const std::string &payload, ChatRole role, const char *label)
{
    ChatMessage msg;
    msg.role = role;
    msg.roleName = label;
    ChatPart part;
    part.kind = ChatPart::Kind::Text;
    part.text = prettyJson(payload, &part.isJson);
    if (part.isJson)
        part.kind = ChatPart::Kind::Data;
    msg.parts.push_back(std::move(part));
    return msg;
}

QString colorName(const QColor &c)
{
    return c.name(QColor::HexRgb);
}

QColor roleColor(ChatRole role, bool dark)
{
    QColor c;
    switch (role) {
    case ChatRole::System: c = QColor(0x7e, 0x57, 0xc2); break;
    case ChatRole::User: c = QColor(0x1e, 0x88, 0xe5); break;
    case ChatRole::Assistant: c = QColor(0x2e, 0x7d, 0x32); break;
    case ChatRole::Tool: c = QColor(0xe6, 0x5c, 0x00); break;
    case ChatRole::Other: c = QColor(0x75, 0x75, 0x75); break;
    }
    return dark ? c.lighter(150) : c;
}

QString roleTitle(const ChatMessage &m)
{
    switch (m.role) {
    case ChatRole::System: return PayloadView::tr("System");
    case ChatRole::User: return PayloadView::tr("User");
    case ChatRole::Assistant: return PayloadView::tr("Assistant");
    case ChatRole::Tool: return PayloadView::tr("Tool");
    case ChatRole::Other: break;
    }
    return m.roleName.empty() ? PayloadView::tr("Message") : QString::fromStdString(m.roleName);
}

void setupTree(QTreeView *tree, JsonTreeModel *model)
{
    tree->setModel(model);
    tree->setUniformRowHeights(true);
    tree->setAlternatingRowColors(true);
    tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    tree->setTextElideMode(Qt::ElideRight);
    tree->header()->setStretchLastSection(false);
    tree->header()->setSectionResizeMode(JsonTreeModel::KeyColumn, QHeaderView::Interactive);
    tree->header()->setSectionResizeMode(JsonTreeModel::ValueColumn, QHeaderView::Stretch);
    tree->header()->setSectionResizeMode(JsonTreeModel::TypeColumn, QHeaderView::ResizeToContents);
    tree->setColumnWidth(JsonTreeModel::KeyColumn, 200);
}

QLabel *sectionTitle(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    label->setContentsMargins(2, 0, 0, 2);
    return label;
}

} // namespace

PayloadView::PayloadView(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_placeholder(new QLabel(this))
    , m_chat(new QTextBrowser(this))
    , m_sections(new QSplitter(Qt::Vertical, this))
    , m_inputTitle(sectionTitle(this))
    , m_outputTitle(sectionTitle(this))
    , m_inputStack(new QStackedWidget(this))
    , m_outputStack(new QStackedWidget(this))
    , m_inputTree(new QTreeView(this))
    , m_outputTree(new QTreeView(this))
    , m_inputModel(new JsonTreeModel(this))
    , m_outputModel(new JsonTreeModel(this))
    , m_inputText(new ElidedTextView(this))
    , m_outputText(new ElidedTextView(this))
{
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setWordWrap(true);

    m_chat->setOpenLinks(false);
    m_chat->setOpenExternalLinks(false);
    m_chat->setFrameShape(QFrame::NoFrame);
    m_chat->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_chat->document()->setDocumentMargin(12);
    connect(m_chat, &QTextBrowser::anchorClicked, this, &PayloadView::onAnchor);

    setupTree(m_inputTree, m_inputModel);
    setupTree(m_outputTree, m_outputModel);
    m_inputStack->addWidget(m_inputTree);
    m_inputStack->addWidget(m_inputText);
    m_outputStack->addWidget(m_outputTree);
    m_outputStack->addWidget(m_outputText);

    const auto section = [this](QLabel *title, QStackedWidget *stack) {
        auto *w = new QWidget(m_sections);
        auto *l = new QVBoxLayout(w);
        l->setContentsMargins(8, 8, 8, 4);
        l->setSpacing(4);
        l->addWidget(title);
        l->addWidget(stack, 1);
        return w;
    };
    m_sections->addWidget(section(m_inputTitle, m_inputStack));
    m_sections->addWidget(section(m_outputTitle, m_outputStack));
    m_sections->setChildrenCollapsible(false);

    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_chat);
    m_stack->addWidget(m_sections);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    clear();
}

PayloadView::~PayloadView() = default;

void PayloadView::setMode(Mode mode)
{
    m_mode = mode;
    switch (mode) {
    case Mode::Empty:
    case Mode::Loading: m_stack->setCurrentIndex(PlaceholderPage); break;
    case Mode::Chat: m_stack->setCurrentIndex(ChatPage); break;
    case Mode::Sections: m_stack->setCurrentIndex(SectionsPage); break;
    }
}

void PayloadView::clear()
{
    ++m_generation;
    m_trace.reset();
    m_analysis.reset();
    m_expanded.clear();
    m_elidedParts = 0;
    m_chat->clear();
    m_inputModel->clear();
    m_outputModel->clear();
    m_inputText->setText({});
    m_outputText->setText({});
    m_placeholder->setText(tr("No input or output was recorded for this span."));
    setMode(Mode::Empty);
}

void PayloadView::setSpan(const std::shared_ptr<const store::TraceDetail> &trace, int index)
{
    if (!trace || index < 0 || index >= int(trace->spans.size())) {
        clear();
        return;
    }
    const core::Span &span = trace->spans[std::size_t(index)];
    const quint64 generation = ++m_generation;
    m_trace = trace;
    m_expanded.clear();
    m_elidedParts = 0;

    const QString title = span.kind == core::SpanKind::Tool ? tr("Arguments && Result")
        : span.kind == core::SpanKind::Llm                  ? tr("Conversation")
                                                            : tr("Input && Output");
    if (title != m_title) {
        m_title = title;
        Q_EMIT titleChanged(m_title);
    }

    if (span.input.size() + span.output.size() <= kAsyncBytes) {
        apply(analyze(span));
        return;
    }
    m_placeholder->setText(
        tr("Reading %1 of payload…").arg(details::formatBytes(qint64(span.input.size()) + qint64(span.output.size()))));
    setMode(Mode::Loading);
    // The trace is captured by value: it keeps the payload alive while the worker reads it.
    QtConcurrent::run([trace, index] {
        return analyze(trace->spans[std::size_t(index)]);
    }).then(this, [this, generation](std::shared_ptr<Analysis> analysis) {
        if (generation == m_generation) // a newer span was selected meanwhile
            apply(std::move(analysis));
    });
}

std::shared_ptr<PayloadView::Analysis> PayloadView::analyze(const core::Span &span)
{
    auto a = std::make_shared<Analysis>();
    a->kind = span.kind;
    a->hasInput = !span.input.empty();
    a->hasOutput = !span.output.empty();
    a->failed = span.status == core::StatusCode::Error;
    a->statusMessage = QString::fromStdString(span.status_message);
    if (!a->hasInput && !a->hasOutput)
        return a;

    if (span.kind != core::SpanKind::Tool) {
        auto in = a->hasInput ? parseChatMessages(span.input) : std::nullopt;
        auto out = a->hasOutput ? parseChatMessages(span.output) : std::nullopt;
        if (in || out || span.kind == core::SpanKind::Llm) {
            a->mode = Mode::Chat;
            if (in)
                a->input = std::move(*in);
            else if (a->hasInput)
                a->input.push_back(looksLikeJson(span.input) ? blockMessage(span.input, ChatRole::Other, "input")
                                                             : plainTextMessage(ChatRole::User, span.input));
            if (out)
                a->output = std::move(*out);
            else if (a->hasOutput)
                a->output.push_back(looksLikeJson(span.output) ? blockMessage(span.output, ChatRole::Other, "output")
                                                               : plainTextMessage(ChatRole::Assistant, span.output));
            return a;
        }
    }
    a->mode = Mode::Sections;
    const auto side = [](const std::string &payload, std::shared_ptr<const JsonDocument> &doc, QString &text) {
        if (payload.empty())
            return;
        if (looksLikeJson(payload))
            doc = JsonDocument::parse(payload);
        if (!doc)
            text = QString::fromStdString(payload);
    };
    side(span.input, a->inputJson, a->inputText);
    side(span.output, a->outputJson, a->outputText);
    return a;
}

void PayloadView::apply(std::shared_ptr<Analysis> analysis)
{
    m_analysis = std::move(analysis);
    const Analysis &a = *m_analysis;
    if (!a.hasInput && !a.hasOutput) {
        m_placeholder->setText(tr("No input or output was recorded for this span."));
        setMode(Mode::Empty);
        Q_EMIT payloadReady();
        return;
    }
    if (a.mode == Mode::Chat) {
        renderChat();
        setMode(Mode::Chat);
        Q_EMIT payloadReady();
        return;
    }

    const bool tool = a.kind == core::SpanKind::Tool;
    m_inputTitle->setText(tool ? tr("Arguments") : tr("Input"));
    m_outputTitle->setText(tool ? tr("Result") : tr("Output"));
    const auto fill = [](bool present, const std::shared_ptr<const JsonDocument> &doc, const QString &text,
                          QStackedWidget *stack, QTreeView *tree, JsonTreeModel *model, ElidedTextView *view) {
        stack->parentWidget()->setVisible(present);
        if (doc) {
            model->setDocument(doc);
            view->setText({});
            stack->setCurrentWidget(tree);
            JsonTreeModel::expandDefault(tree, 2);
        } else {
            model->clear();
            view->setText(text, false);
            stack->setCurrentWidget(view);
        }
    };
    fill(a.hasInput, a.inputJson, a.inputText, m_inputStack, m_inputTree, m_inputModel, m_inputText);
    if (!a.hasOutput && a.failed && a.hasInput) {
        // A failed call has no result; say so where the result would be rather than leave a gap.
        QString note = tool ? tr("No result: the call failed.") : tr("No output: the span failed.");
        if (!a.statusMessage.isEmpty())
            note += QLatin1Char('\n') + a.statusMessage;
        fill(true, nullptr, note, m_outputStack, m_outputTree, m_outputModel, m_outputText);
    } else {
        fill(a.hasOutput, a.outputJson, a.outputText, m_outputStack, m_outputTree, m_outputModel, m_outputText);
    }
    setMode(Mode::Sections);
    Q_EMIT payloadReady();
}

void PayloadView::changeEvent(QEvent *event)
{
    // Colours of the chat come from the palette: render again when it changes (dark mode switch).
    if ((event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) && m_mode == Mode::Chat)
        renderChat();
    QWidget::changeEvent(event);
}

void PayloadView::onAnchor(const QUrl &url)
{
    if (url.scheme() != QLatin1String("part"))
        return;
    bool ok = false;
    const int part = url.path().toInt(&ok);
    if (!ok)
        return;
    m_expanded.insert(part);
    renderChat();
}

void PayloadView::renderChat()
{
    if (!m_analysis)
        return;
    const QPalette pal = palette();
    const bool dark = details::isDark(pal);
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor muted = theme::mutedText(pal);
    const QColor codeBg = details::mix(text, base, dark ? 0.08 : 0.045);
    const QColor border = details::mix(text, base, 0.18);
    const QString mono = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();

    int partCounter = 0;
    m_elidedParts = 0;
    QString html;
    html.reserve(qsizetype { 64 } * 1024);
    html += QStringLiteral("<html><body style=\"color:%1\">").arg(colorName(text));

    const auto body = [&](const std::string &raw, bool monospace) -> QString {
        const int id = partCounter++;
        QString s = QString::fromStdString(raw);
        QString more;
        if (s.size() > kElideChars && !m_expanded.count(id)) {
            ++m_elidedParts;
            const qint64 bytes = qint64(raw.size());
            s.truncate(kElideChars);
            more = QStringLiteral("<p style=\"margin-top:6px\"><a href=\"part:%1\">%2</a></p>")
                       .arg(id)
                       .arg(tr("Show all (%1)").arg(details::formatBytes(bytes)).toHtmlEscaped());
            s += QChar(0x2026);
        }
        const QString style = monospace
            ? QStringLiteral("white-space:pre-wrap; font-family:'%1'; font-size:small").arg(mono)
            : QStringLiteral("white-space:pre-wrap");
        return QStringLiteral("<div style=\"%1\">%2</div>").arg(style, s.toHtmlEscaped()) + more;
    };

    const auto codeBlock = [&](const QString &header, const ChatPart &p) -> QString {
        QString out = QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"6\" "
                                     "style=\"margin-top:6px; margin-bottom:2px; border-color:%1; "
                                     "border-style:solid\" border=\"1\" bgcolor=\"%2\">")
                          .arg(colorName(border), colorName(codeBg));
        out += QStringLiteral("<tr><td>") + header;
        if (!p.text.empty())
            out += body(p.text, true);
        out += QStringLiteral("</td></tr></table>");
        return out;
    };

    const auto message = [&](const ChatMessage &m) -> QString {
        const QColor accent = roleColor(m.role, dark);
        const QColor tint = details::mix(accent, base, dark ? 0.14 : 0.06);
        // Text on the message's tint and on its code blocks reads at 4.5:1 (WCAG), in both themes.
        const QColor title = theme::readable(accent, tint);
        const QColor mutedHere = theme::readable(theme::readable(muted, tint), codeBg);
        const QString toolColor
            = colorName(theme::readable(theme::readable(roleColor(ChatRole::Tool, dark), tint), codeBg));
        QString meta;
        if (!m.name.empty())
            meta += QStringLiteral(" · ") + QString::fromStdString(m.name).toHtmlEscaped();
        if (!m.roleName.empty() && m.role != ChatRole::Other
            && QString::fromStdString(m.roleName).compare(roleTitle(m), Qt::CaseInsensitive) != 0)
            meta += QStringLiteral(" · ") + QString::fromStdString(m.roleName).toHtmlEscaped();
        if (!m.finishReason.empty())
            meta
                += QStringLiteral(" · ") + tr("finish: %1").arg(QString::fromStdString(m.finishReason)).toHtmlEscaped();

        QString out = QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"0\" "
                                     "style=\"margin-bottom:10px\"><tr>"
                                     "<td width=\"4\" bgcolor=\"%1\"></td>"
                                     "<td bgcolor=\"%2\" style=\"padding:8px 12px 10px 12px\">")
                          .arg(colorName(accent), colorName(tint));
        out += QStringLiteral("<p style=\"margin:0 0 4px 0\"><span style=\"color:%1; font-weight:600\">%2</span>"
                              "<span style=\"color:%3\">%4</span></p>")
                   .arg(colorName(title), roleTitle(m).toUpper().toHtmlEscaped(), colorName(mutedHere), meta);
        for (const ChatPart &p : m.parts) {
            switch (p.kind) {
            case ChatPart::Kind::Text: out += body(p.text, false); break;
            case ChatPart::Kind::Reasoning:
                out += QStringLiteral("<p style=\"margin:6px 0 2px 0; color:%1; font-style:italic\">%2</p>")
                           .arg(colorName(mutedHere), tr("Reasoning").toHtmlEscaped());
                out += QStringLiteral("<div style=\"color:%1\">").arg(colorName(mutedHere)) + body(p.text, false)
                    + QStringLiteral("</div>");
                break;
            case ChatPart::Kind::ToolCall: {
                QString header = (QStringLiteral("<p style=\"margin:0 0 4px 0\"><span style=\"color:") + toolColor
                                     + QStringLiteral("; font-weight:600\">"))
                    + tr("Tool call").toHtmlEscaped() + QStringLiteral("</span>&nbsp;&nbsp;<span style=\"font-family:'")
                    + mono + QStringLiteral("'; font-weight:600\">") + QString::fromStdString(p.name).toHtmlEscaped()
                    + QStringLiteral("</span>");
                if (!p.id.empty())
                    header += QStringLiteral("&nbsp;&nbsp;<span style=\"color:") + colorName(mutedHere)
                        + QStringLiteral("; font-size:small\">") + QString::fromStdString(p.id).toHtmlEscaped()
                        + QStringLiteral("</span>");
                header += QStringLiteral("</p>");
                out += codeBlock(header, p);
                break;
            }
            case ChatPart::Kind::ToolResult: {
                QString header = (QStringLiteral("<p style=\"margin:0 0 4px 0\"><span style=\"color:") + toolColor
                                     + QStringLiteral("; font-weight:600\">"))
                    + tr("Tool result").toHtmlEscaped() + QStringLiteral("</span>");
                if (!p.name.empty())
                    header += QStringLiteral("&nbsp;&nbsp;<span style=\"font-family:'") + mono
                        + QStringLiteral("'; font-weight:600\">") + QString::fromStdString(p.name).toHtmlEscaped()
                        + QStringLiteral("</span>");
                if (!p.id.empty())
                    header += QStringLiteral("&nbsp;&nbsp;<span style=\"color:") + colorName(mutedHere)
                        + QStringLiteral("; font-size:small\">") + QString::fromStdString(p.id).toHtmlEscaped()
                        + QStringLiteral("</span>");
                header += QStringLiteral("</p>");
                out += codeBlock(header, p);
                break;
            }
            case ChatPart::Kind::Data: out += codeBlock(QString(), p); break;
            }
        }
        if (m.parts.empty())
            out += QStringLiteral("<p style=\"color:%1; font-style:italic\">%2</p>")
                       .arg(colorName(mutedHere), tr("(empty)").toHtmlEscaped());
        out += QStringLiteral("</td></tr></table>");
        return out;
    };

    const auto heading = [&](const QString &title, std::size_t count) -> QString {
        return QStringLiteral("<p style=\"margin:4px 0 8px 0; color:%1; font-size:small; font-weight:600\">%2"
                              "<span style=\"font-weight:normal\">&nbsp;&nbsp;%3</span></p>")
            .arg(colorName(muted), title.toHtmlEscaped(),
                (count == 1 ? tr("1 message") : tr("%1 messages").arg(count)).toHtmlEscaped());
    };

    const Analysis &a = *m_analysis;
    if (!a.input.empty()) {
        html += heading(tr("INPUT"), a.input.size());
        for (const auto &m : a.input)
            html += message(m);
    }
    if (!a.output.empty()) {
        html += QStringLiteral("<p style=\"margin-top:6px\"></p>");
        html += heading(tr("OUTPUT"), a.output.size());
        for (const auto &m : a.output)
            html += message(m);
    }
    html += QStringLiteral("</body></html>");

    const int scroll = m_chat->verticalScrollBar()->value();
    m_chat->setHtml(html);
    m_chat->verticalScrollBar()->setValue(scroll);
}

} // namespace agentops::ui
