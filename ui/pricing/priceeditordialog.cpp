// SPDX-License-Identifier: MIT
#include "pricing/priceeditordialog.h"

#include "client/localbackend.h"
#include "pricing/modelpricetester.h"
#include "pricing/priceformat.h"
#include "pricing/pricerowdialog.h"
#include "pricing/pricetablemodel.h"
#include "pricing/repricer.h"
#include "store/ingestpipeline.h"
#include "store/tracestore.h"

#include <QDate>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace agentops::ui {

namespace {

QString today()
{
    return QDate::currentDate().toString(Qt::ISODate);
}

} // namespace

PriceEditorDialog::PriceEditorDialog(client::LocalBackend &backend, QWidget *parent)
    : QDialog(parent)
    , m_backend(backend)
    , m_model(new PriceTableModel(this))
    , m_filter(new PriceFilterModel(this))
    , m_loadError(new QLabel(this))
    , m_filterEdit(new QLineEdit(this))
    , m_view(new QTableView(this))
    , m_add(new QPushButton(tr("Add…"), this))
    , m_edit(new QPushButton(tr("Edit…"), this))
    , m_duplicate(new QPushButton(tr("Duplicate as override…"), this))
    , m_remove(new QPushButton(tr("Remove override"), this))
    , m_tester(new ModelPriceTester(this))
    , m_status(new QLabel(this))
    , m_reprice(new QPushButton(tr("Re-price stored traces…"), this))
    , m_save(new QPushButton(tr("Save"), this))
    , m_repricer(new Repricer(this))
{
    setWindowTitle(tr("Model prices"));

    QString loadError;
    if (!m_overrides.load(&loadError)) {
        // The rows stay empty: saving writes a valid file in place of the broken one.
        m_loadError->setText(
            tr("<b>Your price overrides could not be read; the shipped prices are in use.</b><br>%1<br>"
               "Saving replaces the file with the rows shown here.")
                .arg(loadError.toHtmlEscaped()));
    }
    m_loadError->setVisible(!loadError.isEmpty());
    m_loadError->setWordWrap(true);
    m_loadError->setObjectName(QStringLiteral("loadError"));
    m_loadError->setAutoFillBackground(true);
    m_loadError->setMargin(8);
    {
        QPalette p = m_loadError->palette();
        p.setColor(QPalette::Window, QColor(0xfd, 0xed, 0xec));
        p.setColor(QPalette::WindowText, QColor(0x7b, 0x24, 0x1c));
        m_loadError->setPalette(p);
    }

    auto *intro = new QLabel(tr("Model calls are priced as they arrive, in USD per million tokens. Shipped rows come "
                                "with the app; your rows replace a shipped row with the same id or price models it "
                                "does not list, and win the names they share with it. Dimmed prices are not set "
                                "by the row and fall back to the input (cache) or output (reasoning) price."),
        this);
    intro->setWordWrap(true);
    auto *location
        = new QLabel(tr("Your rows are saved in %1").arg(QDir::toNativeSeparators(m_overrides.path())), this);
    location->setForegroundRole(QPalette::PlaceholderText);
    location->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_filterEdit->setObjectName(QStringLiteral("filter"));
    m_filterEdit->setPlaceholderText(tr("Filter by id, provider or model name…"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setMinimumWidth(280);
    connect(m_filterEdit, &QLineEdit::textChanged, m_filter, &QSortFilterProxyModel::setFilterFixedString);

    m_add->setToolTip(tr("A new row of your own, for a model the shipped table does not price"));
    m_edit->setToolTip(tr("Change your row, or override the selected shipped row with your own prices"));
    m_duplicate->setToolTip(tr("A new row of your own with the selected row's prices, for other model names"));
    m_remove->setToolTip(tr("Remove your row; a shipped row it replaced comes back. Shipped rows cannot be removed, "
                            "only overridden."));

    setUpTable();

    auto *toolbar = new QHBoxLayout;
    toolbar->addWidget(m_filterEdit);
    toolbar->addStretch(1);
    toolbar->addWidget(m_add);
    toolbar->addWidget(m_edit);
    toolbar->addWidget(m_duplicate);
    toolbar->addWidget(m_remove);

    m_status->setObjectName(QStringLiteral("status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_save->setDefault(true);
    m_reprice->setToolTip(tr("Price the model calls already stored again with the saved prices; trace and "
                             "dashboard costs follow"));
    auto *close = new QPushButton(tr("Close"), this);
    close->setAutoDefault(false);
    m_reprice->setAutoDefault(false);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_reprice);
    bottom->addSpacing(12);
    bottom->addWidget(m_save);
    bottom->addWidget(close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_loadError);
    layout->addWidget(intro);
    layout->addWidget(location);
    layout->addSpacing(4);
    layout->addLayout(toolbar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_tester);
    layout->addLayout(bottom);

    connect(m_add, &QPushButton::clicked, this, [this] { editRow(EditKind::Add); });
    connect(m_edit, &QPushButton::clicked, this, [this] { editRow(EditKind::Edit); });
    connect(m_duplicate, &QPushButton::clicked, this, [this] { editRow(EditKind::Duplicate); });
    connect(m_remove, &QPushButton::clicked, this, &PriceEditorDialog::removeOverride);
    connect(m_view, &QTableView::doubleClicked, this, [this] { editRow(EditKind::Edit); });
    auto *del = new QShortcut(QKeySequence::Delete, m_view);
    del->setContext(Qt::WidgetShortcut);
    connect(del, &QShortcut::activated, this, &PriceEditorDialog::removeOverride);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &PriceEditorDialog::updateActions);
    connect(m_save, &QPushButton::clicked, this, &PriceEditorDialog::saveClicked);
    connect(m_reprice, &QPushButton::clicked, this, &PriceEditorDialog::repriceStoredTraces);
    connect(close, &QPushButton::clicked, this, &PriceEditorDialog::reject);
    connect(m_tester, &ModelPriceTester::matchChanged, this, [this](const QString &id) {
        if (id.isEmpty())
            return;
        // Show the row behind the tested cost, unless the filter hides it (the user filtered on purpose).
        const int line = m_model->indexOfId(id);
        const QModelIndex at = m_filter->mapFromSource(m_model->index(line, 0));
        if (at.isValid()) {
            m_view->setCurrentIndex(at);
            m_view->scrollTo(at);
        }
    });

    // What new spans are priced with now: the file as read at open (the backend read it too).
    m_saved = m_backend.pipeline() && m_backend.pipeline()->priceTable() ? m_backend.pipeline()->priceTable()
                                                                         : m_overrides.effectiveTable();
    rebuild({});
    resize(1100, 700);
}

/// The price table's view: sorting, selection, and columns as wide as their content in every language.
void PriceEditorDialog::setUpTable()
{
    m_filter->setSourceModel(m_model);
    m_view->setModel(m_filter);
    m_view->setObjectName(QStringLiteral("priceTable"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->setShowGrid(false);
    // Table order first (the shipped file groups rows by provider); a click on a header sorts.
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);
    auto *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(false);
    const QFontMetrics fm(m_view->font());
    // Every column at least as wide as its header in this language; price columns as wide as a price.
    const auto titleWidth = [&](int column) {
        return header->fontMetrics().horizontalAdvance(m_model->headerData(column, Qt::Horizontal).toString()) + 14;
    };
    const int moneyWidth = fm.horizontalAdvance(QStringLiteral("$000.000")) + 14;
    const auto priceWidth = [&](int column) { return std::max(moneyWidth, titleWidth(column)); };
    const struct
    {
        int column;
        int width;
    } widths[] = {
        { PriceTableModel::IdColumn, fm.horizontalAdvance(QStringLiteral("claude-sonnet-4-5-mini")) },
        { PriceTableModel::ProviderColumn, fm.horizontalAdvance(QStringLiteral("anthropic")) + 12 },
        { PriceTableModel::InputColumn, priceWidth(PriceTableModel::InputColumn) },
        { PriceTableModel::CacheReadColumn, priceWidth(PriceTableModel::CacheReadColumn) },
        { PriceTableModel::CacheWriteColumn, priceWidth(PriceTableModel::CacheWriteColumn) },
        { PriceTableModel::OutputColumn, priceWidth(PriceTableModel::OutputColumn) },
        { PriceTableModel::ReasoningColumn, priceWidth(PriceTableModel::ReasoningColumn) },
        { PriceTableModel::TiersColumn, fm.horizontalAdvance(QStringLiteral("above 200K (+1)")) + 12 },
        { PriceTableModel::AsOfColumn, fm.horizontalAdvance(QStringLiteral("2025-11-25")) + 14 },
        { PriceTableModel::SourceColumn,
            std::max(fm.horizontalAdvance(tr("Override")), fm.horizontalAdvance(tr("Shipped"))) + 24 },
    };
    for (const auto &w : widths) {
        header->setSectionResizeMode(w.column, QHeaderView::Interactive);
        header->resizeSection(w.column, std::max(w.width, titleWidth(w.column)));
    }
    header->setSectionResizeMode(PriceTableModel::NamesColumn, QHeaderView::Stretch);
    header->setMinimumSectionSize(40);
}

PriceEditorDialog::~PriceEditorDialog() = default;

bool PriceEditorDialog::setOverrides(const std::vector<core::PriceRow> &rows, QString *error)
{
    const QString current = m_view->currentIndex().data(PriceTableModel::RowIdRole).toString();
    if (!m_overrides.setRows(rows, error))
        return false;
    m_dirty = true;
    m_outcome.clear();
    rebuild(current);
    return true;
}

const core::PriceRow *PriceEditorDialog::currentRow() const
{
    const QModelIndex at = m_filter->mapToSource(m_view->currentIndex());
    return at.isValid() ? m_model->rowAt(at.row()) : nullptr;
}

void PriceEditorDialog::selectRow(const QString &id)
{
    int line = m_model->indexOfId(id);
    if (line < 0)
        return;
    QModelIndex at = m_filter->mapFromSource(m_model->index(line, 0));
    if (!at.isValid()) {
        m_filterEdit->clear();
        at = m_filter->mapFromSource(m_model->index(line, 0));
    }
    m_view->setCurrentIndex(at);
    m_view->scrollTo(at, QAbstractItemView::PositionAtCenter);
}

void PriceEditorDialog::rebuild(const QString &selectId)
{
    m_effective = client::PriceOverrides::effectiveTable(m_overrides.table());
    m_model->setTable(*m_effective, core::shippedPriceTable());
    m_tester->setTable(m_effective);
    if (!selectId.isEmpty())
        selectRow(selectId);
    updateActions();
    updateStatus();
}

void PriceEditorDialog::updateActions()
{
    const auto *row = currentRow();
    const bool isOverride = row && row->source == core::PriceRow::Source::Override;
    m_edit->setEnabled(row != nullptr);
    m_edit->setText(row && !isOverride ? tr("Override…") : tr("Edit…"));
    m_duplicate->setEnabled(row != nullptr);
    m_remove->setEnabled(isOverride);
    m_save->setEnabled(m_dirty);
    const bool canReprice = m_backend.store() != nullptr && !m_dirty;
    m_reprice->setEnabled(canReprice && !isRepricing());
    if (m_backend.store() == nullptr)
        m_reprice->setToolTip(tr("No trace database is open"));
    else if (m_dirty)
        m_reprice->setToolTip(tr("Save the prices first: stored traces are re-priced with the saved prices"));
    else
        m_reprice->setToolTip(tr("Price the model calls already stored again with the saved prices; trace and "
                                 "dashboard costs follow"));
}

void PriceEditorDialog::updateStatus()
{
    const auto shipped = static_cast<int>(core::shippedPriceTable().rows().size());
    const auto overrides = static_cast<int>(m_overrides.rows().size());
    // Rows that replace a shipped row are counted among the user's, not the shipped ones.
    int replaced = 0;
    for (const auto &row : m_overrides.rows())
        replaced += std::ranges::find(core::shippedPriceTable().rows(), row.id, &core::PriceRow::id)
            != core::shippedPriceTable().rows().end();
    QString text = tr("%1 rows: %2 shipped, %Ln of yours", nullptr, overrides)
                       .arg(QLocale().toString(m_model->rowCount()), QLocale().toString(shipped - replaced));
    if (m_dirty)
        text += QStringLiteral(" — ") + tr("<b>unsaved changes</b>");
    else if (!m_outcome.isEmpty())
        text += QStringLiteral(" — ") + m_outcome;
    m_status->setText(text);
}

QString PriceEditorDialog::statusText() const
{
    return m_status->text();
}

void PriceEditorDialog::editRow(EditKind kind)
{
    const core::PriceRow *selected = currentRow();
    if (kind != EditKind::Add && !selected)
        return;
    const bool editOverride = kind == EditKind::Edit && selected->source == core::PriceRow::Source::Override;

    core::PriceRow row;
    QString title;
    switch (kind) {
    case EditKind::Add:
        title = tr("Add a price row");
        row.as_of = today().toStdString();
        break;
    case EditKind::Edit:
        row = *selected;
        if (editOverride) {
            title = tr("Edit “%1”").arg(QString::fromStdString(row.id));
        } else {
            // An override is checked against the provider's list today.
            title = tr("Override shipped row “%1”").arg(QString::fromStdString(row.id));
            row.as_of = today().toStdString();
        }
        break;
    case EditKind::Duplicate: {
        row = *selected;
        title = tr("New row from “%1”").arg(QString::fromStdString(row.id));
        // The copy is for other model names; keeping these would take them over from the original.
        row.models.clear();
        row.patterns.clear();
        row.as_of = today().toStdString();
        std::string id = row.id + "-custom";
        for (int n = 2; m_model->indexOfId(QString::fromStdString(id)) >= 0; ++n)
            id = row.id + "-custom-" + std::to_string(n);
        row.id = id;
        break;
    }
    }

    // The rows the edited one must not clash with: every override but itself.
    std::vector<core::PriceRow> others;
    for (const auto &o : m_overrides.rows())
        if (!(editOverride && o.id == selected->id))
            others.push_back(o);

    PriceRowDialog dialog(title, this);
    dialog.setRow(row);
    dialog.setIdLocked(kind == EditKind::Edit);
    dialog.setContext(others, &core::shippedPriceTable());
    if (dialog.exec() != QDialog::Accepted || !dialog.row())
        return;

    std::vector<core::PriceRow> rows = m_overrides.rows();
    const core::PriceRow &edited = *dialog.row();
    auto it = std::ranges::find(rows, edited.id, &core::PriceRow::id);
    if (editOverride)
        it = std::ranges::find(rows, selected->id, &core::PriceRow::id);
    if (it != rows.end())
        *it = edited;
    else
        rows.push_back(edited);
    QString error;
    if (!setOverrides(rows, &error)) {
        QMessageBox::warning(this, windowTitle(), tr("The row cannot be added: %1").arg(error));
        return;
    }
    selectRow(QString::fromStdString(edited.id));
}

void PriceEditorDialog::removeOverride()
{
    const core::PriceRow *row = currentRow();
    if (!row || row->source != core::PriceRow::Source::Override)
        return;
    const QString id = QString::fromStdString(row->id);
    std::vector<core::PriceRow> rows = m_overrides.rows();
    std::erase_if(rows, [&](const core::PriceRow &r) { return r.id == row->id; });
    QString error;
    if (setOverrides(rows, &error))
        selectRow(id); // the shipped row it replaced, if any
}

bool PriceEditorDialog::save()
{
    QString error;
    if (!m_overrides.save(&error)) {
        QMessageBox::warning(this, windowTitle(), error);
        return false;
    }
    m_saved = m_effective;
    // Spans that arrive from now on; the stored ones keep their cost until re-priced.
    if (auto *pipeline = m_backend.pipeline())
        pipeline->setPriceTable(m_saved);
    m_dirty = false;
    m_loadError->setVisible(false);
    m_outcome = tr("saved; new spans use these prices");
    updateActions();
    updateStatus();
    Q_EMIT pricesSaved();
    return true;
}

void PriceEditorDialog::saveClicked()
{
    if (save())
        offerReprice();
}

void PriceEditorDialog::offerReprice()
{
    auto *store = m_backend.store();
    if (!store || store->spanCount() == 0)
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Re-price stored traces?"),
        tr("New spans are priced with these prices from now on. The traces already stored keep the cost "
           "they were given when they arrived."),
        QMessageBox::NoButton, this);
    box->setInformativeText(tr("Re-pricing updates the cost of every stored model call and the totals of their "
                               "traces and the dashboard. It can be stopped at any time."));
    auto *yes = box->addButton(tr("Re-price stored traces"), QMessageBox::AcceptRole);
    box->addButton(tr("Not now"), QMessageBox::RejectRole);
    box->setDefaultButton(yes);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, yes](QAbstractButton *clicked) {
        if (clicked == yes)
            repriceStoredTraces();
    });
    box->open();
}

bool PriceEditorDialog::isRepricing() const
{
    return m_repricer->isRunning();
}

void PriceEditorDialog::repriceStoredTraces()
{
    auto *store = m_backend.store();
    if (!store || isRepricing() || !m_saved)
        return;

    auto *progress = new QProgressDialog(tr("Re-pricing stored model calls…"), tr("Stop"), 0, 1000, this);
    progress->setWindowTitle(tr("Re-price stored traces"));
    progress->setWindowModality(Qt::WindowModal);
    progress->setAutoReset(false);
    progress->setAutoClose(false);
    // Small databases are done before a dialog would be worth showing.
    progress->setMinimumDuration(400);
    progress->setValue(0);
    connect(progress, &QProgressDialog::canceled, m_repricer, &Repricer::cancel);
    connect(m_repricer, &Repricer::progressChanged, progress, [progress](qint64 done, qint64 total) {
        progress->setValue(total > 0 ? static_cast<int>(std::min<qint64>(1000, done * 1000 / total)) : 0);
        progress->setLabelText(tr("Re-pricing stored model calls… %1 of %2")
                                   .arg(pricing::tokens(std::min(done, total)), pricing::tokens(total)));
    });
    connect(
        m_repricer, &Repricer::finished, this, [this, progress](qint64 changed, bool cancelled, const QString &error) {
            // Closing a progress dialog reports a cancel; this one is over already.
            progress->disconnect(m_repricer);
            m_repricer->disconnect(progress);
            disconnect(m_repricer, &Repricer::finished, this, nullptr);
            progress->hide();
            progress->deleteLater();

            if (!error.isEmpty())
                m_outcome = tr("re-pricing failed after %Ln changed span(s): %1", nullptr, int(changed))
                                .arg(error.toHtmlEscaped());
            else if (cancelled)
                m_outcome = tr(
                    "re-pricing stopped: %Ln span(s) re-priced, the others keep their cost", nullptr, int(changed));
            else
                m_outcome = tr("stored traces re-priced: %Ln span(s) changed", nullptr, int(changed));
            updateActions();
            updateStatus();
            Q_EMIT tracesRepriced(changed, cancelled, error);
        });
    m_repricer->start(*store, m_saved);
    updateActions();
}

void PriceEditorDialog::reject()
{
    if (isRepricing())
        return;
    if (m_dirty) {
        const auto answer = QMessageBox::question(this, windowTitle(), tr("Save your changes to the model prices?"),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel)
            return;
        if (answer == QMessageBox::Save && !save())
            return;
    }
    QDialog::reject();
}

} // namespace agentops::ui
