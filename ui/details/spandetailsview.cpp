// SPDX-License-Identifier: MIT
#include "spandetailsview.h"

#include "attributemodel.h"
#include "common/format.h"
#include "common/theme.h"
#include "core/usage.h"
#include "detailsformat.h"
#include "payloadview.h"

#include "common/format.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

namespace agentops::ui {

namespace {

using details::mix;

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString kindTitle(core::SpanKind kind)
{
    switch (kind) {
    case core::SpanKind::Agent: return SpanDetailsView::tr("Agent");
    case core::SpanKind::Llm: return SpanDetailsView::tr("LLM");
    case core::SpanKind::Tool: return SpanDetailsView::tr("Tool");
    case core::SpanKind::Chain: return SpanDetailsView::tr("Chain");
    case core::SpanKind::Retriever: return SpanDetailsView::tr("Retriever");
    case core::SpanKind::Embedding: return SpanDetailsView::tr("Embedding");
    case core::SpanKind::Guardrail: return SpanDetailsView::tr("Guardrail");
    case core::SpanKind::Evaluator: return SpanDetailsView::tr("Evaluator");
    case core::SpanKind::Other: break;
    }
    return SpanDetailsView::tr("Span");
}

QLabel *chip(const QString &text, const QColor &accent, const QPalette &pal, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    const bool dark = details::isDark(pal);
    const QColor bg = mix(accent, pal.color(QPalette::Base), dark ? 0.25 : 0.13);
    // The label in the accent's hue, at 4.5:1 on the chip.
    const QColor fg = theme::readable(dark ? accent.lighter(140) : accent.darker(115), bg);
    label->setStyleSheet(QStringLiteral("QLabel { color: %1; background-color: %2; border-radius: 9px; "
                                        "padding: 2px 9px; font-weight: 600; }")
                             .arg(fg.name(), bg.name()));
    return label;
}

QLabel *selectable(const QString &text, QWidget *parent, bool monospace = false)
{
    auto *label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    if (monospace)
        label->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return label;
}

/// An id (trace, span, session) on one line: whole when there is room, else cut in the middle, so
/// that its start and end stay readable and the Copy button beside it stays in view. The tooltip
/// and the Copy button have it whole.
class IdLabel : public QLabel
{
public:
    IdLabel(const QString &id, QWidget *parent)
        : QLabel(parent)
        , m_id(id)
    {
        setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        setToolTip(id);
        setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
        setText(id);
    }

    QSize sizeHint() const override { return { fontMetrics().horizontalAdvance(m_id) + 2, fontMetrics().height() }; }
    QSize minimumSizeHint() const override
    {
        // Enough to tell ids apart: a few characters from either end.
        return { std::min(sizeHint().width(), fontMetrics().horizontalAdvance(QLatin1Char('0')) * 12),
            fontMetrics().height() };
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QLabel::resizeEvent(event);
        const QString shown = fontMetrics().elidedText(m_id, Qt::ElideMiddle, width());
        if (shown != text())
            setText(shown);
    }

private:
    QString m_id;
};

/// Rows of "label  value" under section headings, two columns wide.
class FormBuilder
{
public:
    explicit FormBuilder(QWidget *parent)
        : m_parent(parent)
        , m_grid(new QGridLayout)
    {
        m_grid->setHorizontalSpacing(16);
        m_grid->setVerticalSpacing(6);
        m_grid->setColumnStretch(1, 1);
    }

    QGridLayout *grid() const { return m_grid; }

    void section(const QString &title)
    {
        auto *label = new QLabel(title.toUpper(), m_parent);
        QFont f = label->font();
        f.setBold(true);
        f.setPointSizeF(f.pointSizeF() * 0.85);
        label->setFont(f);
        label->setForegroundRole(QPalette::PlaceholderText);
        label->setContentsMargins(0, m_row ? 12 : 0, 0, 2);
        m_grid->addWidget(label, m_row++, 0, 1, 3);
    }

    QLabel *row(const QString &name, const QString &value, bool monospace = false, bool indent = false)
    {
        auto *key = new QLabel(name, m_parent);
        key->setForegroundRole(QPalette::PlaceholderText);
        if (indent)
            key->setContentsMargins(14, 0, 0, 0);
        auto *val = selectable(value, m_parent, monospace);
        m_grid->addWidget(key, m_row, 0, Qt::AlignTop);
        m_grid->addWidget(val, m_row, 1, Qt::AlignTop);
        ++m_row;
        return val;
    }

    void copyRow(const QString &name, const QString &value)
    {
        auto *key = new QLabel(name, m_parent);
        key->setForegroundRole(QPalette::PlaceholderText);
        auto *val = new IdLabel(value, m_parent);
        auto *copy = new QToolButton(m_parent);
        copy->setText(SpanDetailsView::tr("Copy"));
        copy->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
        copy->setToolButtonStyle(
            QIcon::hasThemeIcon(QStringLiteral("edit-copy")) ? Qt::ToolButtonIconOnly : Qt::ToolButtonTextOnly);
        copy->setAutoRaise(true);
        copy->setObjectName(QStringLiteral("copyButton"));
        copy->setToolTip(SpanDetailsView::tr("Copy %1").arg(name));
        QObject::connect(copy, &QToolButton::clicked, copy, [value] { QApplication::clipboard()->setText(value); });
        auto *row = new QHBoxLayout;
        row->setSpacing(4);
        row->addWidget(val);
        row->addWidget(copy);
        row->addStretch(1);
        m_grid->addWidget(key, m_row, 0, Qt::AlignVCenter);
        m_grid->addLayout(row, m_row, 1);
        ++m_row;
    }

private:
    QWidget *m_parent;
    QGridLayout *m_grid;
    int m_row = 0;
};

const core::SpanEvent *firstException(const core::Span &span)
{
    for (const auto &e : span.events)
        if (e.name == "exception")
            return &e;
    return nullptr;
}

QString attrText(const core::Attributes &attrs, std::string_view key)
{
    const core::AttrValue *v = core::findAttribute(attrs, key);
    return v ? qs(v->asText()) : QString();
}

} // namespace

SpanDetailsView::SpanDetailsView(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_overview(new QScrollArea(this))
    , m_payload(new PayloadView(this))
    , m_attributes(new AttributeTable(this))
    , m_events(new QTextBrowser(this))
    , m_resource(new AttributeTable(this))
{
    m_empty->setText(tr("Select a span to see its details."));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    m_overview->setWidgetResizable(true);
    m_overview->setFrameShape(QFrame::NoFrame);
    m_events->setFrameShape(QFrame::NoFrame);
    m_events->setOpenLinks(false);
    m_events->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_events->document()->setDocumentMargin(12);
    m_resource->setPlaceholder(tr("No resource attributes"));

    m_tabs->setDocumentMode(true);
    // Titles follow the span ("Attributes (11)", "Arguments & Result"); they must neither widen the
    // pane, which would push the waterfall's share, nor hide tabs behind scroll arrows. Every tab
    // stays in view and, when the pane is too narrow for all titles, the longest ones are cut short
    // first (fitTabTitles); the tab bar's own eliding is the last resort.
    m_tabs->setElideMode(Qt::ElideRight);
    m_tabs->setUsesScrollButtons(false);
    m_tabs->installEventFilter(this);
    m_tabs->addTab(m_overview, QString());
    m_tabs->addTab(m_payload, QString());
    m_tabs->addTab(m_attributes, QString());
    m_tabs->addTab(m_events, QString());
    m_tabs->addTab(m_resource, QString());
    m_titles = { tr("Overview"), tr("Conversation"), tr("Attributes"), tr("Events"), tr("Resource") };
    for (int i = 0; i < m_tabs->count(); ++i)
        setTabTitle(i, m_titles[i]);
    connect(
        m_payload, &PayloadView::titleChanged, this, [this](const QString &title) { setTabTitle(PayloadTab, title); });

    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_tabs);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

SpanDetailsView::~SpanDetailsView() = default;

void SpanDetailsView::setTabTitle(int tab, const QString &title)
{
    m_titles[tab] = title;
    QString whole = title;
    m_tabs->setTabToolTip(tab, whole.replace(QStringLiteral("&&"), QStringLiteral("&")));
    fitTabTitles();
}

void SpanDetailsView::fitTabTitles()
{
    QTabBar *bar = m_tabs->tabBar();
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->tabText(i) != m_titles[i])
            m_tabs->setTabText(i, m_titles[i]);
    const QFontMetrics fm = bar->fontMetrics();
    const int minimum = fm.horizontalAdvance(QStringLiteral("Mmm…"));
    // Each step cuts the widest title by what is missing, down to a few letters; a title that
    // cannot lose more is left to the next.
    for (int step = 0; step < m_tabs->count(); ++step) {
        // Not on screen, the tabs have no width of their own yet: whole titles until they do.
        const int missing = bar->sizeHint().width() - m_tabs->width();
        if (missing <= 0 || !m_tabs->isVisible())
            return;
        int widest = -1;
        int widestWidth = minimum;
        for (int i = 0; i < m_tabs->count(); ++i) {
            const int w
                = fm.horizontalAdvance(QString(m_tabs->tabText(i)).replace(QStringLiteral("&&"), QStringLiteral("&")));
            if (w > widestWidth) {
                widest = i;
                widestWidth = w;
            }
        }
        if (widest < 0)
            return;
        QString plain = m_titles[widest];
        plain.replace(QStringLiteral("&&"), QStringLiteral("&"));
        const QString cut = fm.elidedText(plain, Qt::ElideRight, std::max(minimum, widestWidth - missing));
        m_tabs->setTabText(widest, QString(cut).replace(QLatin1Char('&'), QStringLiteral("&&")));
    }
}

bool SpanDetailsView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_tabs && (event->type() == QEvent::Resize || event->type() == QEvent::Show))
        fitTabTitles();
    return QWidget::eventFilter(watched, event);
}

const core::Span *SpanDetailsView::span() const
{
    if (!m_trace || m_index < 0 || m_index >= int(m_trace->spans.size()))
        return nullptr;
    return &m_trace->spans[std::size_t(m_index)];
}

void SpanDetailsView::setSpan(std::shared_ptr<const store::TraceDetail> trace, int index)
{
    m_trace = std::move(trace);
    m_index = index;
    const core::Span *s = span();
    if (!s) {
        m_trace.reset();
        m_index = -1;
        m_payload->clear();
        m_attributes->setAttributes({});
        m_resource->setAttributes({});
        m_events->clear();
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    m_stack->setCurrentWidget(m_tabs);
    rebuildOverview();
    m_payload->setSpan(m_trace, m_index);
    m_attributes->setAttributes(s->attributes);
    m_resource->setAttributes(s->resource);
    renderEvents();
    setTabTitle(AttributesTab, tr("Attributes (%1)").arg(s->attributes.size()));
    setTabTitle(EventsTab, s->events.empty() ? tr("Events") : tr("Events (%1)").arg(s->events.size()));
}

void SpanDetailsView::changeEvent(QEvent *event)
{
    if ((event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) && span()) {
        rebuildOverview();
        renderEvents();
    }
    QWidget::changeEvent(event);
}

namespace {

/// The Tokens and Cost sections of a span's overview.
void usageRows(FormBuilder &form, const core::Span &s)
{
    const auto count = [](const std::optional<std::int64_t> &v) { return v ? details::formatCount(*v) : QString(); };
    if (!s.tokens.empty()) {
        form.section(SpanDetailsView::tr("Tokens"));
        if (s.tokens.input) {
            form.row(SpanDetailsView::tr("Input"), count(s.tokens.input));
            if (s.tokens.cache_read)
                form.row(SpanDetailsView::tr("of which cache read"), count(s.tokens.cache_read), false, true);
            if (s.tokens.cache_write)
                form.row(SpanDetailsView::tr("of which cache write"), count(s.tokens.cache_write), false, true);
        }
        if (s.tokens.output) {
            form.row(SpanDetailsView::tr("Output"), count(s.tokens.output));
            if (s.tokens.reasoning)
                form.row(SpanDetailsView::tr("of which reasoning"), count(s.tokens.reasoning), false, true);
        }
        if (s.tokens.total)
            form.row(SpanDetailsView::tr("Total"), count(s.tokens.total));
    }
    if (!core::countsUsage(s.kind) && (!s.tokens.empty() || s.cost_usd)) {
        // Agent and chain spans report the sum of the model calls below them (core/usage.h).
        form.section(SpanDetailsView::tr("Cost"));
        auto *note = form.row(SpanDetailsView::tr("Cost"),
            SpanDetailsView::tr("the sum of the model calls below; counted once, on them"));
        note->setForegroundRole(QPalette::PlaceholderText);
        note->setToolTip(
            SpanDetailsView::tr("This span repeats the usage of the model calls it contains. Trace, session and "
                                "dashboard totals count each call once, on the call's own span."));
    } else if (!s.tokens.empty() || s.cost_usd || s.kind == core::SpanKind::Llm) {
        form.section(SpanDetailsView::tr("Cost"));
        auto *cost = form.row(SpanDetailsView::tr("Cost"),
            format::cost(s.cost_usd.value_or(0), s.cost_usd ? 1 : 0, !s.cost_usd && !s.tokens.empty() ? 1 : 0));
        // The list's spelling keeps two significant digits; the exact amount is one hover away.
        if (s.cost_usd)
            cost->setToolTip(s.price_ref.empty()
                    ? SpanDetailsView::tr("$%1, as reported by the producer").arg(QString::number(*s.cost_usd, 'g', 8))
                    : SpanDetailsView::tr("$%1, priced by %2")
                          .arg(QString::number(*s.cost_usd, 'g', 8), qs(s.price_ref)));
        if (!s.cost_usd) {
            cost->setForegroundRole(QPalette::PlaceholderText);
            if (!s.tokens.empty())
                cost->setToolTip(SpanDetailsView::tr("No price is known for this model, so no cost is counted."));
        }
    }
}

} // namespace

void SpanDetailsView::rebuildOverview()
{
    const core::Span *s = span();
    if (!s)
        return;
    const QPalette pal = palette();
    auto *page = new QWidget;
    page->setBackgroundRole(QPalette::Base);
    page->setAutoFillBackground(true);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(16, 14, 16, 16);
    layout->setSpacing(10);

    // Title and chips
    auto *title = selectable(qs(s->name), page);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setBold(true);
    title->setFont(titleFont);
    layout->addWidget(title);

    auto *chips = new QHBoxLayout;
    chips->setSpacing(6);
    chips->addWidget(chip(kindTitle(s->kind), details::kindColor(s->kind), pal, page));
    switch (s->status) {
    case core::StatusCode::Error: chips->addWidget(chip(tr("Error"), details::errorColor(pal), pal, page)); break;
    case core::StatusCode::Ok: chips->addWidget(chip(tr("OK"), QColor(0x2e, 0x7d, 0x32), pal, page)); break;
    case core::StatusCode::Unset: chips->addWidget(chip(tr("Unset"), QColor(0x75, 0x75, 0x75), pal, page)); break;
    }
    auto *duration = new QLabel(format::duration(s->durationNs()), page);
    duration->setForegroundRole(QPalette::PlaceholderText);
    chips->addSpacing(6);
    chips->addWidget(duration);
    chips->addStretch(1);
    layout->addLayout(chips);

    // The error, where the eye lands first.
    if (s->status == core::StatusCode::Error) {
        const QColor red = details::errorColor(pal);
        const QColor bannerBackground = mix(red, pal.color(QPalette::Base), 0.09);
        const QColor err = theme::readable(red, bannerBackground); // its text reads on its tint
        auto *banner = new QFrame(page);
        banner->setObjectName(QStringLiteral("errorBanner"));
        banner->setStyleSheet(
            QStringLiteral("QFrame#errorBanner { background-color: %1; border: 1px solid %2; "
                           "border-left: 4px solid %3; border-radius: 4px; }")
                .arg(bannerBackground.name(), mix(red, pal.color(QPalette::Base), 0.35).name(), red.name()));
        auto *b = new QVBoxLayout(banner);
        b->setContentsMargins(12, 8, 12, 10);
        b->setSpacing(4);
        auto *head = new QLabel(tr("Failed"), banner);
        QFont hf = head->font();
        hf.setBold(true);
        head->setFont(hf);
        head->setStyleSheet(QStringLiteral("color: %1; background: transparent; border: none;").arg(err.name()));
        b->addWidget(head);
        QString message = qs(s->status_message);
        if (const core::SpanEvent *ex = firstException(*s)) {
            const QString type = attrText(ex->attributes, "exception.type");
            const QString exMessage = attrText(ex->attributes, "exception.message");
            const QString exText
                = type.isEmpty() ? exMessage : (exMessage.isEmpty() ? type : type + QStringLiteral(": ") + exMessage);
            if (!exText.isEmpty() && exText != message)
                message = message.isEmpty() ? exText : message + QLatin1Char('\n') + exText;
        }
        if (message.isEmpty())
            message = tr("The span ended with an error status and no message.");
        auto *msg = selectable(message, banner);
        msg->setStyleSheet(QStringLiteral("background: transparent; border: none;"));
        b->addWidget(msg);
        layout->addWidget(banner);
    }

    FormBuilder form(page);
    form.section(tr("Timing"));
    form.row(tr("Start"), details::formatTimestamp(s->start_ns));
    form.row(tr("Duration"), format::duration(s->durationNs()));

    const bool hasModel = !s->request_model.empty() || !s->response_model.empty() || !s->provider.empty();
    if (hasModel) {
        form.section(tr("Model"));
        if (!s->request_model.empty())
            form.row(tr("Requested"), qs(s->request_model), true);
        if (!s->response_model.empty())
            form.row(tr("Responded"), qs(s->response_model), true);
        if (!s->provider.empty())
            form.row(tr("Provider"), qs(s->provider));
    }

    usageRows(form, *s);

    form.section(tr("Context"));
    form.row(tr("Service"), qs(s->service_name));
    if (!s->agent_name.empty())
        form.row(tr("Agent"), qs(s->agent_name));
    if (!s->tool_name.empty())
        form.row(tr("Tool"), qs(s->tool_name), true);
    if (!s->scope_name.empty())
        form.row(tr("Scope"),
            qs(s->scope_name) + (s->scope_version.empty() ? QString() : QLatin1Char(' ') + qs(s->scope_version)));
    if (!s->session_id.empty())
        form.copyRow(tr("Session"), qs(s->session_id));
    if (!s->user_id.empty())
        form.copyRow(tr("User"), qs(s->user_id));

    form.section(tr("Identifiers"));
    form.copyRow(tr("Trace ID"), qs(core::toHex(s->trace_id)));
    form.copyRow(tr("Span ID"), qs(core::toHex(s->span_id)));
    if (!s->isRoot())
        form.copyRow(tr("Parent ID"), qs(core::toHex(s->parent_span_id)));
    if (!s->links.empty())
        form.row(tr("Links"), s->links.size() == 1 ? tr("1 linked span") : tr("%1 linked spans").arg(s->links.size()));
    if (s->dropped_attributes || s->dropped_events || s->dropped_links)
        form.row(tr("Dropped"),
            tr("%1 attributes, %2 events, %3 links")
                .arg(s->dropped_attributes)
                .arg(s->dropped_events)
                .arg(s->dropped_links));

    layout->addSpacing(4);
    layout->addLayout(form.grid());
    layout->addStretch(1);
    m_overview->setWidget(page); // deletes the previous page
}

void SpanDetailsView::renderEvents()
{
    const core::Span *s = span();
    if (!s)
        return;
    const QPalette pal = palette();
    const bool dark = details::isDark(pal);
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor muted0 = theme::mutedText(pal);
    const QColor err = details::errorColor(pal);
    const QColor neutral = mix(text, base, 0.35);
    const QString mono = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
    const auto esc = [](const std::string &v) { return qs(v).toHtmlEscaped(); };

    if (s->events.empty()) {
        m_events->setHtml(QStringLiteral("<p align=\"center\" style=\"color:%1\"><br/>%2</p>")
                              .arg(muted0.name(), tr("No events were recorded for this span.").toHtmlEscaped()));
        return;
    }
    QString html = QStringLiteral("<html><body style=\"color:%1\">").arg(text.name());
    for (const auto &e : s->events) {
        const bool exception = e.name == "exception";
        const QColor accent = exception ? err : neutral;
        const QColor tint = exception ? mix(err, base, dark ? 0.14 : 0.06) : mix(text, base, dark ? 0.06 : 0.03);
        // Secondary and red text at 4.5:1 on this event's tint.
        const QColor muted = theme::readable(muted0, tint);
        const QColor errText = theme::readable(err, tint);
        html += QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"0\" style=\"margin-bottom:10px\">"
                               "<tr><td width=\"4\" bgcolor=\"%1\"></td><td bgcolor=\"%2\" "
                               "style=\"padding:8px 12px 10px 12px\">")
                    .arg(accent.name(), tint.name());
        html += QStringLiteral("<p style=\"margin:0 0 4px 0\"><span style=\"font-family:'%1'; color:%2\">%3</span>"
                               "&nbsp;&nbsp;<span style=\"font-weight:600%4\">%5</span></p>")
                    .arg(mono, muted.name(), details::formatOffset(e.time_ns - s->start_ns).toHtmlEscaped(),
                        exception ? QStringLiteral("; color:") + errText.name() : QString(), esc(e.name));
        QString stack;
        if (exception) {
            const QString type = attrText(e.attributes, "exception.type");
            const QString message = attrText(e.attributes, "exception.message");
            if (!type.isEmpty() || !message.isEmpty())
                html += QStringLiteral("<p style=\"margin:2px 0 6px 0\"><b>%1</b>%2</p>")
                            .arg(type.toHtmlEscaped(),
                                message.isEmpty()
                                    ? QString()
                                    : (type.isEmpty() ? QString() : QStringLiteral(": ")) + message.toHtmlEscaped());
            stack = attrText(e.attributes, "exception.stacktrace");
        }
        QString rows;
        for (const auto &a : e.attributes) {
            if (exception
                && (a.key == "exception.type" || a.key == "exception.message" || a.key == "exception.stacktrace"))
                continue;
            QString value = qs(a.value.asText());
            if (value.size() > 4096)
                value = value.left(4096) + QChar(0x2026);
            rows += QStringLiteral("<tr><td style=\"color:%1; padding-right:12px\">%2</td>"
                                   "<td style=\"white-space:pre-wrap\">%3</td></tr>")
                        .arg(muted.name(), esc(a.key), value.toHtmlEscaped());
        }
        if (!rows.isEmpty())
            html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"1\">") + rows + QStringLiteral("</table>");
        if (!stack.isEmpty()) {
            constexpr qsizetype kShownStack = qsizetype(256) * 1024; // characters of a stack shown
            if (stack.size() > kShownStack)
                stack = stack.left(kShownStack) + QChar(0x2026);
            html += QStringLiteral(
                "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"8\" border=\"1\" "
                "style=\"margin-top:6px; border-style:solid; border-color:%1\" bgcolor=\"%2\"><tr><td>"
                "<div style=\"white-space:pre-wrap; font-family:'%3'; font-size:small\">%4</div>"
                "</td></tr></table>")
                        .arg(mix(err, base, 0.3).name(), mix(text, base, dark ? 0.08 : 0.035).name(), mono,
                            stack.toHtmlEscaped());
        }
        html += QStringLiteral("</td></tr></table>");
    }
    html += QStringLiteral("</body></html>");
    m_events->setHtml(html);
}

} // namespace agentops::ui
