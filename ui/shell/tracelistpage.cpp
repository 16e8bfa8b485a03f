// SPDX-License-Identifier: MIT
#include "shell/tracelistpage.h"

#include "common/format.h"
#include "shell/tracefilterbar.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSettings>
#include <QVBoxLayout>

namespace agentops::ui {

namespace {
core::TraceId idOf(const QModelIndex &index)
{
    core::TraceId id {};
    core::fromHex(index.data(TraceTableModel::TraceIdRole).toString().toStdString(), id);
    return id;
}
} // namespace

TraceListPage::TraceListPage(client::TraceSourceRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_model(new TraceListModel(runner, this))
    , m_filterBar(new TraceFilterBar(this))
    , m_view(new TraceTableView(this))
    , m_empty(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 0);
    layout->setSpacing(10);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_view, 1);

    m_view->setModel(m_model);
    auto *header = m_view->horizontalHeader();
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    // Text columns get room to start with; times and figures take what their content needs.
    const struct
    {
        int column;
        int width;
    } widths[] = {
        { TraceTableModel::NameColumn, 22 * em },
        { TraceTableModel::ServiceColumn, 11 * em },
        { TraceTableModel::ModelsColumn, 16 * em },
        { TraceTableModel::SessionColumn, 10 * em },
    };
    for (const auto &w : widths)
        header->resizeSection(w.column, w.width);
    m_view->setContentColumns(
        { TraceTableModel::StartColumn, TraceTableModel::DurationColumn, TraceTableModel::SpansColumn,
            TraceTableModel::ErrorsColumn, TraceTableModel::TokensColumn, TraceTableModel::CostColumn });
    header->setSortIndicator(TraceTableModel::StartColumn, Qt::DescendingOrder);
    header->setSortIndicatorShown(true);
    m_view->setSortingEnabled(true);
    // Columns without a server-side sort keep the indicator where the data is actually sorted.
    connect(header, &QHeaderView::sortIndicatorChanged, this, [this, header](int column, Qt::SortOrder) {
        if (!TraceListModel::sortForColumn(column))
            header->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
    });

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_empty->setContentsMargins(40, 40, 40, 40);
    m_empty->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_empty->setParent(m_view->viewport());
    m_empty->hide();

    connect(m_filterBar, &TraceFilterBar::filterChanged, this, &TraceListPage::applyFilter);
    connect(m_view, &TraceTableView::rowActivated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT traceActivated(idOf(index));
    });
    connect(m_model, &TraceListModel::reloaded, this, [this] {
        restoreSelection();
        updateEmptyState();
        Q_EMIT countChanged();
    });
    connect(m_model, &TraceListModel::rowsAdded, this, [this] {
        updateEmptyState();
        Q_EMIT countChanged();
    });
    connect(m_model, &TraceListModel::loadingChanged, this, &TraceListPage::updateEmptyState);
    connect(m_model, &TraceListModel::knownValuesChanged, this, [this] {
        m_filterBar->setKnownServices(m_model->knownServices());
        m_filterBar->setKnownModels(m_model->knownModels());
    });
    m_model->setFilter(m_filterBar->filter());
}

void TraceListPage::setEmptyText(const QString &text)
{
    m_empty->setText(text);
    updateEmptyState();
}

void TraceListPage::updateEmptyState()
{
    const bool show = m_model->rowCount() == 0 && !m_model->isLoading() && !m_empty->text().isEmpty();
    if (show) {
        m_empty->resize(m_view->viewport()->size());
        m_empty->show();
    } else {
        m_empty->hide();
    }
}

void TraceListPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateEmptyState();
}

void TraceListPage::applyFilter()
{
    m_reselect = selectedTraceIds();
    m_recurrent = currentTraceId();
    m_model->setFilter(m_filterBar->filter());
}

void TraceListPage::showTimeRange(
    std::int64_t from_ns, std::int64_t to_ns, const QString &service, const QString &model)
{
    m_filterBar->showRange(format::fromNs(from_ns), format::fromNs(to_ns), service, model);
}

void TraceListPage::refresh()
{
    m_reselect = selectedTraceIds();
    m_recurrent = currentTraceId();
    // Presets like "last 15 minutes" move with the clock.
    m_model->setFilter(m_filterBar->filter());
}

void TraceListPage::refreshNewer()
{
    m_model->refreshNewer();
}

void TraceListPage::restoreSelection()
{
    auto *selection = m_view->selectionModel();
    QItemSelection items;
    for (const auto &id : m_reselect) {
        const int row = m_model->rowOf(id);
        if (row >= 0)
            items.select(m_model->index(row, 0), m_model->index(row, TraceTableModel::NUM_COLUMNS - 1));
    }
    if (!items.isEmpty())
        selection->select(items, QItemSelectionModel::ClearAndSelect);
    if (m_recurrent) {
        const int row = m_model->rowOf(*m_recurrent);
        if (row >= 0) {
            selection->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::NoUpdate);
            m_view->scrollTo(m_model->index(row, 0));
        }
    }
    m_reselect.clear();
    m_recurrent.reset();
}

std::optional<core::TraceId> TraceListPage::currentTraceId() const
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    return idOf(current);
}

std::vector<core::TraceId> TraceListPage::selectedTraceIds() const
{
    std::vector<core::TraceId> ids;
    const auto rows = m_view->selectionModel()->selectedRows();
    for (const auto &index : rows)
        ids.push_back(idOf(index));
    return ids;
}

bool TraceListPage::selectTrace(const core::TraceId &id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, 0);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    return true;
}

void TraceListPage::saveState(QSettings &settings) const
{
    settings.setValue(QStringLiteral("traceList/header"), m_view->horizontalHeader()->saveState());
}

void TraceListPage::restoreState(const QSettings &settings)
{
    const QByteArray state = settings.value(QStringLiteral("traceList/header")).toByteArray();
    if (!state.isEmpty())
        m_view->horizontalHeader()->restoreState(state);
    // The saved sort indicator is not the model's sort (which always starts newest first).
    m_view->horizontalHeader()->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
}

} // namespace agentops::ui
