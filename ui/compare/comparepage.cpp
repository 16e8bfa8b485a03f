// SPDX-License-Identifier: MIT
#include "compare/comparepage.h"

#include "client/tracesourcerunner.h"
#include "common/format.h"
#include "common/theme.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

namespace agentops::ui {

namespace {

QString signedText(std::int64_t v, const QString &magnitude)
{
    return (v > 0 ? QStringLiteral("+") : v < 0 ? QStringLiteral("−") : QString()) + magnitude;
}

/// A whole span for a pair's text diff: the one loaded when its trace was read whole, else read
/// from its source (a narrow trace holds no input or output).
std::optional<core::Span> wholeSpan(const CompareRun &run, const store::TraceDetail &detail, int index)
{
    if (index < 0)
        return std::nullopt;
    const core::Span &s = detail.spans[static_cast<std::size_t>(index)];
    if (detail.complete)
        return s;
    auto whole = run.source->span(detail.summary.trace_id, s.span_id);
    return whole ? whole : std::optional<core::Span>(s);
}

QString htmlPieces(const diff::TextDiff &d, const QPalette &palette, bool oneSide)
{
    const QColor text = palette.color(QPalette::Text);
    const QColor added = StepDiffModel::tint(diff::PairState::Added, palette);
    const QColor removed = StepDiffModel::tint(diff::PairState::Removed, palette);
    QString out;
    for (const auto &p : d.pieces) {
        const QString t = QString::fromStdString(p.text).toHtmlEscaped();
        if (p.op == diff::TextPiece::Op::Equal || oneSide)
            out += t;
        else if (p.op == diff::TextPiece::Op::Insert)
            out += QStringLiteral("<span style=\"background-color:%1;color:%2\">%3</span>")
                       .arg(added.name(), text.name(), t);
        else
            out += QStringLiteral("<span style=\"background-color:%1;color:%2;text-decoration:line-through\">%3</span>")
                       .arg(removed.name(), text.name(), t);
    }
    return out;
}

QString statusName(core::StatusCode code)
{
    switch (code) {
    case core::StatusCode::Ok: return ComparePage::tr("ok");
    case core::StatusCode::Error: return ComparePage::tr("error");
    case core::StatusCode::Unset: return ComparePage::tr("unset");
    }
    return {};
}

/// One side's status and message, on the tint of its side when it differs from the other's.
QString statusLine(const QString &run, const core::Span &s, const QColor &tint, const QPalette &palette)
{
    QString text = QStringLiteral("<b>%1</b>").arg(statusName(s.status).toHtmlEscaped());
    if (!s.status_message.empty())
        text += QStringLiteral(" — ") + QString::fromStdString(s.status_message).toHtmlEscaped();
    if (tint.isValid())
        text = QStringLiteral("<span style=\"background-color:%1;color:%2\">%3</span>")
                   .arg(tint.name(), palette.color(QPalette::Text).name(), text);
    return QStringLiteral("<p>%1: %2</p>").arg(run.toHtmlEscaped(), text);
}

} // namespace

ComparePage::ComparePage(client::TraceSourceRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_runner(runner)
    , m_model(new StepDiffModel(this))
    , m_back(new QToolButton(this))
    , m_title(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_firstDivergence(new QPushButton(tr("First divergence"), this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_view(new QTableView(m_splitter))
    , m_text(new QTextBrowser(m_splitter))
{
    setAccessibleName(tr("Compare runs"));
    m_back->setText(tr("Back"));
    m_back->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_back->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_back->setAutoRaise(true);
    m_back->setToolTip(tr("Back to the page the comparison was opened from (Esc, Alt+Left)"));
    connect(m_back, &QToolButton::clicked, this, &ComparePage::backRequested);
    m_backAction = new QAction(tr("Back"), this);
    m_backAction->setObjectName(QStringLiteral("compareBack"));
    m_backAction->setShortcuts(
        { QKeySequence(Qt::Key_Escape), QKeySequence(Qt::ALT | Qt::Key_Left), QKeySequence(Qt::Key_Backspace) });
    m_backAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_backAction, &QAction::triggered, this, &ComparePage::backRequested);
    addAction(m_backAction);

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_firstDivergence->setToolTip(tr("Select the first step that differs between the runs (Alt+D)"));
    m_firstDivergence->setEnabled(false);
    connect(m_firstDivergence, &QPushButton::clicked, this, &ComparePage::showFirstDivergence);
    auto *first = new QAction(tr("First divergence"), this);
    first->setObjectName(QStringLiteral("compareFirstDivergence"));
    first->setShortcut(QKeySequence(Qt::ALT | Qt::Key_D));
    first->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(first, &QAction::triggered, this, &ComparePage::showFirstDivergence);
    addAction(first);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setTabKeyNavigation(false);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Aligned steps"));
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) { showPair(current.isValid() ? current.row() : -1); });
    m_text->setAccessibleName(tr("Text differences of the selected step"));
    m_text->setOpenLinks(false);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);

    auto *titleRow = new QHBoxLayout;
    titleRow->setSpacing(8);
    titleRow->addWidget(m_back, 0, Qt::AlignTop);
    titleRow->addWidget(m_title, 1);
    auto *summaryRow = new QHBoxLayout;
    summaryRow->addWidget(m_summary, 1);
    summaryRow->addWidget(m_firstDivergence, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 0);
    layout->setSpacing(6);
    layout->addLayout(titleRow);
    layout->addLayout(summaryRow);
    layout->addWidget(m_splitter, 1);
    setTabOrder(m_back, m_firstDivergence);
    setTabOrder(m_firstDivergence, m_view);
    setTabOrder(m_view, m_text);
    m_model->setPalette(palette());
}

void ComparePage::compare(CompareRun a, CompareRun b)
{
    m_a = std::move(a);
    m_b = std::move(b);
    m_loading = true;
    m_pairText.reset();
    m_pairRow = -1;
    m_model->setResult(nullptr);
    m_text->clear();
    m_firstDivergence->setEnabled(false);
    m_title->setText(tr("Comparing runs…"));
    m_summary->clear();
    const quint64 generation = ++m_generation;
    m_runner->run(
        this,
        [a = m_a, b = m_b](client::TraceSource &) {
            auto result = std::make_shared<CompareResult>();
            result->a = a.source->trace(a.id);
            if (!result->a)
                throw client::SourceError("run A: no trace " + core::toHex(a.id));
            result->b = b.source->trace(b.id);
            if (!result->b)
                throw client::SourceError("run B: no trace " + core::toHex(b.id));
            // The comparison reads core::Span: a big trace read slim is compared on its narrow spans.
            for (auto *side : { &result->a, &result->b })
                if ((*side)->slim())
                    *side = std::make_shared<const store::TraceDetail>((*side)->withSpans());
            result->diff = diff::diffTraces(
                { result->a->spans, result->a->complete }, { result->b->spans, result->b->complete });
            return std::shared_ptr<const CompareResult>(std::move(result));
        },
        [this, generation](std::shared_ptr<const CompareResult> result) {
            if (generation != m_generation)
                return;
            m_loading = false;
            showResult(std::move(result));
        },
        [this, generation](const QString &message) {
            if (generation != m_generation)
                return;
            m_loading = false;
            m_title->setText(tr("Could not compare the runs: %1").arg(message));
            Q_EMIT compareFailed(message);
        });
}

void ComparePage::showResult(std::shared_ptr<const CompareResult> result)
{
    m_model->setResult(std::move(result));
    const auto *r = m_model->result();
    // Runs of one agent share their name and may start the same second: the short trace id and the
    // outcome (failed as the trace list marks it: any span in error) tell them apart.
    auto name = [](const store::TraceDetail &t, const QString &source) {
        return tr("“%1” %2 (%3, %4, %5)")
            .arg(QString::fromStdString(t.summary.name),
                QString::fromStdString(core::toHex(t.summary.trace_id).substr(0, 8)), source,
                format::startTime(t.summary.start_ns), t.summary.error_count > 0 ? tr("failed") : tr("ok"));
    };
    m_title->setText(tr("A: %1 · B: %2").arg(name(*r->a, m_a.sourceName), name(*r->b, m_b.sourceName)));
    updateSummary();
    fitColumns();
    m_firstDivergence->setEnabled(r->diff.first_divergence.has_value());
    if (r->diff.first_divergence)
        showFirstDivergence();
    else if (m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(0, 0));
    m_view->setFocus();
    Q_EMIT compared();
}

void ComparePage::updateSummary()
{
    const auto *r = m_model->result();
    if (!r)
        return;
    const auto d = diff::runDelta(r->a->summary, r->b->summary);
    const auto &t = d.tokens;
    QStringList parts;
    parts << tr("Δ tokens: <b>%1</b> (input %2, output %3)")
                 .arg(signedText(t.total, format::count(std::abs(t.total))),
                     signedText(t.input, format::count(std::abs(t.input))),
                     signedText(t.output, format::count(std::abs(t.output))));
    parts << tr("Δ cost: <b>%1</b>")
                 .arg(d.cost_usd ? signedText(*d.cost_usd > 0 ? 1
                              : *d.cost_usd < 0               ? -1
                                                              : 0,
                          format::money(std::abs(*d.cost_usd)))
                                 : tr("no price"));
    parts << tr("Δ latency: <b>%1</b>").arg(signedText(d.duration_ns, format::duration(std::abs(d.duration_ns))));
    parts << tr("%1 added, %2 removed, %3 changed of %4 steps")
                 .arg(format::count(std::int64_t(r->diff.added)), format::count(std::int64_t(r->diff.removed)),
                     format::count(std::int64_t(r->diff.changed)), format::count(std::int64_t(r->diff.pairs.size())));
    if (r->diff.first_divergence) {
        const int row = static_cast<int>(*r->diff.first_divergence);
        const core::Span *s = m_model->spanB(row) ? m_model->spanB(row) : m_model->spanA(row);
        parts << tr("First divergence: step %1, “%2” (%3)")
                     .arg(format::count(row + 1), QString::fromStdString(s->name).toHtmlEscaped(),
                         StepDiffModel::stateText(r->diff.pairs[static_cast<std::size_t>(row)].state));
    } else {
        parts << tr("No divergence: every step is alike");
    }
    if (!r->diff.content_compared)
        parts << tr("inputs and outputs were not compared (a big trace is read without them)");
    m_summary->setText(parts.join(QStringLiteral(" · ")));
}

void ComparePage::fitColumns()
{
    m_view->resizeColumnsToContents();
    // Room around the figures beyond what the style measures, so no digit is ever cut.
    const int pad = m_view->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    for (int c = 0; c < StepDiffModel::ChangesColumn; ++c)
        m_view->setColumnWidth(c, m_view->columnWidth(c) + pad);
    // The last column takes what is left (it stretches): never more, or a scroll bar appears.
    m_view->setColumnWidth(StepDiffModel::ChangesColumn, pad);
    // The step names take what the figures leave, shared by both runs.
    const int figures = m_view->columnWidth(StepDiffModel::StateColumn)
        + m_view->columnWidth(StepDiffModel::DurationColumn) + m_view->columnWidth(StepDiffModel::TokensColumn)
        + m_view->columnWidth(StepDiffModel::CostColumn)
        + m_view->fontMetrics().horizontalAdvance(QLatin1Char('M')) * 14;
    const int names = std::max(120, (m_view->viewport()->width() - figures) / 2);
    for (int c : { int(StepDiffModel::StepAColumn), int(StepDiffModel::StepBColumn) })
        m_view->setColumnWidth(c, std::min(m_view->columnWidth(c), names));
}

void ComparePage::showFirstDivergence()
{
    const auto *r = m_model->result();
    if (!r || !r->diff.first_divergence)
        return;
    const auto index = m_model->index(static_cast<int>(*r->diff.first_divergence), 0);
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void ComparePage::showPair(int row)
{
    const auto *r = m_model->result();
    m_pairRow = row;
    m_pairText.reset();
    if (!r || row < 0) {
        m_text->clear();
        return;
    }
    m_text->setPlainText(tr("Comparing the texts…"));
    const quint64 generation = ++m_textGeneration;
    const auto &pair = r->diff.pairs[static_cast<std::size_t>(row)];
    m_runner->run(
        this,
        [a = m_a, b = m_b, detailA = r->a, detailB = r->b, pair](client::TraceSource &) {
            const auto sa = wholeSpan(a, *detailA, pair.a);
            const auto sb = wholeSpan(b, *detailB, pair.b);
            return diff::diffPairText(sa ? &*sa : nullptr, sb ? &*sb : nullptr);
        },
        [this, generation](const diff::PairText &text) {
            if (generation != m_textGeneration)
                return;
            showPairText(text);
        },
        [this, generation](const QString &message) {
            if (generation == m_textGeneration)
                m_text->setPlainText(tr("Could not read the step: %1").arg(message));
        });
}

void ComparePage::showPairText(const diff::PairText &text)
{
    m_pairText = text;
    renderText();
    Q_EMIT pairTextShown();
}

void ComparePage::renderText()
{
    if (!m_pairText || m_pairRow < 0)
        return;
    const auto &pair = m_model->result()->diff.pairs[static_cast<std::size_t>(m_pairRow)];
    const bool oneSide = pair.a < 0 || pair.b < 0;
    const QColor muted = theme::mutedText(palette());
    auto section = [&](const QString &title, const diff::TextDiff &d) {
        QString body;
        if (d.pieces.empty())
            body = QStringLiteral("<i style=\"color:%1\">%2</i>").arg(muted.name(), tr("empty"));
        else
            body
                = QStringLiteral("<pre style=\"white-space:pre-wrap\">%1</pre>").arg(htmlPieces(d, palette(), oneSide));
        QString note;
        if (!oneSide && d.equal() && !d.pieces.empty())
            note = tr("the same in both runs");
        else if (oneSide)
            note = pair.a < 0 ? tr("only in run B") : tr("only in run A");
        if (d.truncated)
            note += (note.isEmpty() ? QString() : QStringLiteral(", ")) + tr("only the beginning was compared");
        return QStringLiteral("<h4>%1 <span style=\"font-weight:normal;color:%2\">%3</span></h4>%4")
            .arg(title.toHtmlEscaped(), muted.name(), note.toHtmlEscaped(), body);
    };
    m_text->setHtml(statusSection(pair) + section(tr("Input (prompt or tool arguments)"), m_pairText->input)
        + section(tr("Output (completion or tool result)"), m_pairText->output));
}

QString ComparePage::statusSection(const diff::StepPair &pair) const
{
    // Shown when it tells something: the status or message differs, or only one run has the step.
    const bool oneSide = pair.a < 0 || pair.b < 0;
    if (!oneSide && !(pair.changes & (diff::StatusChange | diff::MessageChange)))
        return {};
    const core::Span *a = m_model->spanA(m_pairRow);
    const core::Span *b = m_model->spanB(m_pairRow);
    const QColor muted = theme::mutedText(palette());
    const QString note = oneSide ? (a ? tr("only in run A") : tr("only in run B")) : tr("differs");
    QString out = QStringLiteral("<h4>%1 <span style=\"font-weight:normal;color:%2\">%3</span></h4>")
                      .arg(tr("Status").toHtmlEscaped(), muted.name(), note.toHtmlEscaped());
    if (a)
        out += statusLine(
            tr("Run A"), *a, oneSide ? QColor() : StepDiffModel::tint(diff::PairState::Removed, palette()), palette());
    if (b)
        out += statusLine(
            tr("Run B"), *b, oneSide ? QColor() : StepDiffModel::tint(diff::PairState::Added, palette()), palette());
    return out;
}

void ComparePage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_model->setPalette(palette());
        renderText();
    }
}

void ComparePage::focusInEvent(QFocusEvent *event)
{
    QWidget::focusInEvent(event);
    m_view->setFocus();
}

} // namespace agentops::ui
