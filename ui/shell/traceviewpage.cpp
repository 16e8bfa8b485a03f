// SPDX-License-Identifier: MIT
#include "shell/traceviewpage.h"

#include "client/tracesourcerunner.h"
#include "common/format.h"
#include "common/theme.h"

#include "details/spandetailsview.h"
#include "waterfall/waterfallview.h"

#include <algorithm>

#include <QAction>
#include <QDateTime>
#include <QEvent>
#include <QFocusEvent>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QSettings>
#include <QSplitter>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace agentops::ui {

TraceViewPage::TraceViewPage(client::TraceSourceRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_runner(runner)
    , m_back(new QToolButton(this))
    , m_title(new QLabel(this))
    , m_facts(new QLabel(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
{
    m_back->setText(tr("Back"));
    m_back->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_back->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_back->setAutoRaise(true);
    m_back->setToolTip(tr("Back to the page the trace was opened from (Esc, Alt+Left)"));
    connect(m_back, &QToolButton::clicked, this, &TraceViewPage::backRequested);
    // Escape goes back unless the widget it is typed in uses it first (the search field clears,
    // the zoomed time line fits the trace again): they claim it with ShortcutOverride.
    m_backAction = new QAction(tr("Back"), this);
    m_backAction->setObjectName(QStringLiteral("traceBack"));
    m_backAction->setShortcuts(
        { QKeySequence(Qt::Key_Escape), QKeySequence(Qt::ALT | Qt::Key_Left), QKeySequence(Qt::Key_Backspace) });
    m_backAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_backAction, &QAction::triggered, this, &TraceViewPage::backRequested);
    addAction(m_backAction);
    setAccessibleName(tr("Trace"));

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_facts->setTextFormat(Qt::RichText);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A narrow window wraps the facts between two of them rather than widen the page past the screen.
    m_facts->setWordWrap(true);

    auto *titleRow = new QHBoxLayout;
    titleRow->setSpacing(8);
    titleRow->addWidget(m_back);
    titleRow->addWidget(m_title, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 0);
    layout->setSpacing(6);
    layout->addLayout(titleRow);
    layout->addWidget(m_facts);
    layout->addWidget(m_splitter, 1);

    m_waterfall = new WaterfallView(m_splitter);
    connect(m_waterfall, &WaterfallView::currentSpanChanged, this, &TraceViewPage::showSpan);
    m_details = new SpanDetailsView(m_splitter);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    updateHeader();
}

void TraceViewPage::openTrace(const core::TraceId &id, std::optional<core::SpanId> span)
{
    m_openAt = span;
    if (span && m_id == id && m_trace) { // already shown: just select it
        if (const int i = m_trace->indexOf(*span); i >= 0) {
            m_openAt.reset();
            setCurrentSpan(i);
            return;
        }
    }
    if (m_id != id) {
        m_id = id;
        m_trace.reset();
        m_waterfall->setTrace(nullptr);
        m_details->setSpan(nullptr, -1);
    }
    load(false);
}

void TraceViewPage::refresh()
{
    if (!m_id || m_loading)
        return;
    load(true);
}

void TraceViewPage::refreshIfLive()
{
    if (m_trace) {
        // Reloading a trace costs as much as its spans; only a recent, moderate one may still be
        // growing enough to be worth it on every change of the store.
        constexpr std::int64_t kLiveWindowNs = 10LL * 60 * 1'000'000'000;
        const std::int64_t now = format::toNs(QDateTime::currentDateTime());
        if (now - m_trace->summary.end_ns > kLiveWindowNs || m_trace->spanCount() > 20'000)
            return;
    }
    refresh();
}

void TraceViewPage::load(bool keepSpan)
{
    const quint64 generation = ++m_generation;
    m_loading = true;
    m_error.clear();
    updateHeader();
    m_runner->run(
        this, [id = *m_id](client::TraceSource &source) { return source.trace(id); },
        [this, generation, keepSpan](std::shared_ptr<const store::TraceDetail> trace) {
            if (generation != m_generation)
                return;
            m_loading = false;
            showTrace(std::move(trace), keepSpan);
            Q_EMIT traceLoaded();
        },
        [this, generation](const QString &message) {
            if (generation != m_generation)
                return;
            m_loading = false;
            m_error = message;
            updateHeader();
            Q_EMIT loadFailed(message);
        });
}

void TraceViewPage::showTrace(std::shared_ptr<const store::TraceDetail> trace, bool keepSpan)
{
    if (keepSpan && trace && m_trace && trace->spanCount() == m_trace->spanCount()
        && trace->summary.end_ns == m_trace->summary.end_ns
        && trace->summary.error_count == m_trace->summary.error_count)
        return; // nothing new: leave the view (and its scroll position) alone
    std::optional<core::SpanId> keep;
    const int current = currentSpan();
    if (keepSpan && m_trace && current >= 0 && current < static_cast<int>(m_trace->spanCount()))
        keep = m_trace->spanId(static_cast<std::size_t>(current));
    m_trace = std::move(trace);
    updateHeader();
    m_waterfall->setTrace(m_trace);
    if (!m_trace || m_trace->spanCount() == 0) {
        showSpan(-1);
        return;
    }
    int select = 0;
    if (m_openAt) {
        keep = m_openAt;
        m_openAt.reset();
    }
    if (keep)
        select = std::max(0, m_trace->indexOf(*keep));
    setCurrentSpan(select);
}

void TraceViewPage::setCurrentSpan(int index)
{
    m_waterfall->setCurrentSpan(index);
    // The waterfall only signals a change; make sure the details follow even when it did not.
    showSpan(m_waterfall->currentSpan());
}

int TraceViewPage::currentSpan() const
{
    return m_waterfall->currentSpan();
}

void TraceViewPage::showSpan(int index)
{
    const quint64 generation = ++m_spanGeneration;
    if (index < 0 || !m_trace || m_trace->complete) {
        m_details->setSpan(index >= 0 ? m_trace : nullptr, index);
        return;
    }
    // A big trace was read narrow or slim: read this span whole and show it on its own.
    m_runner->run(
        this,
        [traceId = m_trace->summary.trace_id, spanId = m_trace->spanId(static_cast<std::size_t>(index))](
            client::TraceSource &source) { return source.span(traceId, spanId); },
        [this, generation, trace = m_trace, index](std::optional<core::Span> span) {
            if (generation != m_spanGeneration)
                return;
            auto one = std::make_shared<store::TraceDetail>();
            one->summary = trace->summary;
            one->spans.push_back(span ? std::move(*span) : trace->span(static_cast<std::size_t>(index)));
            one->depth.push_back(trace->depth[static_cast<std::size_t>(index)]);
            one->orphan.push_back(trace->orphan[static_cast<std::size_t>(index)]);
            m_details->setSpan(std::move(one), 0);
        });
}

void TraceViewPage::updateHeader()
{
    if (!m_id) {
        m_title->setText(tr("No trace open"));
        m_facts->clear();
        return;
    }
    // Secondary text in a colour of the palette: readable in light and dark themes alike.
    const QString muted = theme::mutedText(palette()).name();
    if (!m_error.isEmpty()) {
        m_title->setText(tr("Cannot load the trace"));
        m_facts->setText(m_error.toHtmlEscaped());
        return;
    }
    if (!m_trace) {
        m_title->setText(m_loading ? tr("Loading trace…") : tr("Trace not found"));
        m_facts->setText(
            QStringLiteral("<span style='color:%2'>%1</span>").arg(QString::fromStdString(core::toHex(*m_id)), muted));
        return;
    }
    const auto &s = m_trace->summary;
    m_title->setText(s.name.empty() ? tr("(unnamed trace)") : QString::fromStdString(s.name));
    const QString sep = QStringLiteral("<span style='color:%1'>&nbsp;&nbsp;·&nbsp; </span>").arg(muted);
    QStringList facts;
    const auto fact = [&muted](const QString &label, const QString &value, const QString &color = {}) {
        return QStringLiteral("<span style='color:%4'>%1</span>&nbsp;<b%3>%2</b>")
            .arg(label.toHtmlEscaped(), value.toHtmlEscaped(),
                color.isEmpty() ? QString() : QStringLiteral(" style='color:%1'").arg(color), muted);
    };
    if (!s.service_name.empty())
        facts << fact(tr("Service"), QString::fromStdString(s.service_name));
    facts << fact(tr("Started"), format::timestamp(s.start_ns));
    facts << fact(tr("Duration"), format::duration(s.durationNs()));
    facts << fact(tr("Spans"), format::count(s.span_count));
    facts << fact(
        tr("Errors"), format::count(s.error_count), s.error_count > 0 ? theme::errorText(palette()).name() : QString());
    facts << fact(tr("Tokens"), s.total_tokens > 0 ? format::count(s.total_tokens) : QStringLiteral("—"));
    facts << fact(tr("Cost"), format::cost(s.cost_usd, s.priced_spans, s.unpriced_spans));
    facts << QStringLiteral("<span style='color:%2'>%1</span>")
                 .arg(QString::fromStdString(core::toHex(s.trace_id)), muted);
    m_facts->setText(facts.join(sep));
    m_facts->setToolTip(format::costNote(s.priced_spans, s.unpriced_spans));
}

void TraceViewPage::saveState(QSettings &settings) const
{
    settings.setValue(QStringLiteral("traceView/splitter"), m_splitter->saveState());
}

void TraceViewPage::restoreState(const QSettings &settings)
{
    const QByteArray state = settings.value(QStringLiteral("traceView/splitter")).toByteArray();
    if (!state.isEmpty())
        m_splitterSized = m_splitter->restoreState(state);
}

void TraceViewPage::focusInEvent(QFocusEvent *event)
{
    // Opening a trace puts the keyboard in the span tree. Not a focus proxy, which would make Tab
    // skip the Back button and the waterfall's tool bar.
    QWidget::focusInEvent(event);
    m_waterfall->setFocus(event->reason());
}

void TraceViewPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateHeader();
}

void TraceViewPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_splitterSized)
        return;
    // The details need room for payloads; size hints alone would leave them a narrow strip.
    m_splitterSized = true;
    const int width = m_splitter->width();
    m_splitter->setSizes({ width * 62 / 100, width - width * 62 / 100 });
}

} // namespace agentops::ui
