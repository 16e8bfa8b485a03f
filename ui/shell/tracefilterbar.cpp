// SPDX-License-Identifier: MIT
#include "shell/tracefilterbar.h"

#include "common/format.h"
#include "common/timerangeselector.h"
#include "store/searchquery.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QValidator>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace agentops::ui {

namespace {

/// The minimum trace duration, in seconds, written and read as durations are everywhere ("≥ 2m 30s");
/// the arrows step through round thresholds rather than half seconds.
class DurationSpinBox : public QDoubleSpinBox
{
public:
    using QDoubleSpinBox::QDoubleSpinBox;

    QString textFromValue(double seconds) const override
    {
        return format::duration(static_cast<std::int64_t>(std::llround(seconds * 1e9)));
    }

    double valueFromText(const QString &text) const override
    {
        const auto ns = format::parseDuration(stripped(text));
        return ns ? static_cast<double>(*ns) / 1e9 : value();
    }

    QValidator::State validate(QString &text, int &) const override
    {
        const QString t = stripped(text);
        if (t.isEmpty() || text == specialValueText())
            return QValidator::Intermediate;
        const auto ns = format::parseDuration(t);
        if (!ns)
            return QValidator::Intermediate;
        return *ns / 1e9 <= maximum() ? QValidator::Acceptable : QValidator::Invalid;
    }

    void stepBy(int steps) override
    {
        static constexpr double thresholds[] = { 0, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
            7200, 6 * 3600, 12 * 3600, 24 * 3600 };
        const double now = value();
        int at = 0;
        while (at + 1 < int(std::size(thresholds)) && thresholds[at + 1] <= now + 1e-9)
            ++at;
        // Between two thresholds, a step down lands on the lower one.
        if (steps < 0 && thresholds[at] < now - 1e-9)
            ++steps;
        at = std::clamp(at + steps, 0, int(std::size(thresholds)) - 1);
        setValue(thresholds[at]);
        selectAll();
    }

private:
    QString stripped(const QString &text) const
    {
        QString t = text.trimmed();
        if (t.startsWith(prefix().trimmed()))
            t = t.mid(prefix().trimmed().size());
        return t.trimmed();
    }
};

} // namespace

TraceFilterBar::TraceFilterBar(QWidget *parent)
    : QWidget(parent)
    , m_ownRange(new TimeRangeModel(this))
    , m_search(new QLineEdit(this))
    , m_range(new TimeRangeSelector(m_ownRange, this))
    , m_drillDownChip(new QToolButton(this))
    , m_service(new QComboBox(this))
    , m_model(new QComboBox(this))
    , m_minDuration(new DurationSpinBox(this))
    , m_errorsOnly(new QCheckBox(tr("Errors only"), this))
    , m_typing(new QTimer(this))
{
    m_search->setPlaceholderText(tr("Search: text, tool:name, status:error…"));
    m_search->setToolTip(tr("Finds traces by what their spans say: prompts, completions, tool arguments and results, "
                            "errors, attributes (any case, any part of a word, at least 3 characters).\n"
                            "\"a phrase\"   a AND b   a OR b   NOT a   -a   ( )\n"
                            "tool:get_weather   model:gpt-4o   name:…   kind:llm   status:error   session:ID"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);

    // A drill-down from the dashboard: the bucket's time, until the user removes it or picks a range.
    m_drillDownChip->setObjectName(QStringLiteral("drillDown"));
    m_drillDownChip->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_drillDownChip->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
    m_drillDownChip->setLayoutDirection(Qt::RightToLeft); // the ✕ after the text, as on a chip
    m_drillDownChip->setToolTip(tr("Only the traces of the dashboard bucket you chose; click to show the whole "
                                   "time range again"));
    m_drillDownChip->hide();

    m_service->addItem(tr("All services"));
    m_service->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_service->setMinimumContentsLength(12);
    m_model->addItem(tr("All models"));
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_model->setMinimumContentsLength(12);

    m_minDuration->setRange(0, 24 * 3600);
    m_minDuration->setDecimals(3);
    m_minDuration->setPrefix(tr("≥ "));
    m_minDuration->setObjectName(QStringLiteral("minDuration"));
    m_minDuration->setSpecialValueText(tr("Any duration"));
    m_minDuration->setToolTip(tr("Minimum trace duration"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addWidget(m_search, 1);
    layout->addWidget(m_range);
    layout->addWidget(m_drillDownChip);
    layout->addWidget(m_service);
    layout->addWidget(m_model);
    layout->addWidget(m_minDuration);
    layout->addWidget(m_errorsOnly);

    m_typing->setSingleShot(true);
    m_typing->setInterval(300);
    connect(m_search, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_typing, &QTimer::timeout, this, &TraceFilterBar::filterChanged);
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (m_typing->isActive()) {
            m_typing->stop();
            Q_EMIT filterChanged();
        }
    });
    connect(m_drillDownChip, &QToolButton::clicked, this, [this] {
        setDrillDown(std::nullopt);
        Q_EMIT filterChanged();
    });
    connect(m_ownRange, &TimeRangeModel::rangeChanged, this, &TraceFilterBar::rangeChanged);
    connect(m_service, &QComboBox::currentIndexChanged, this, &TraceFilterBar::filterChanged);
    connect(m_model, &QComboBox::currentIndexChanged, this, &TraceFilterBar::filterChanged);
    connect(m_minDuration, &QDoubleSpinBox::valueChanged, this, &TraceFilterBar::filterChanged);
    connect(m_errorsOnly, &QCheckBox::toggled, this, &TraceFilterBar::filterChanged);
}

TimeRangeModel *TraceFilterBar::timeRangeModel() const
{
    return m_range->model();
}

void TraceFilterBar::setTimeRangeModel(TimeRangeModel *model)
{
    if (!model || model == m_range->model())
        return;
    disconnect(m_range->model(), nullptr, this, nullptr);
    m_range->setModel(model);
    connect(model, &TimeRangeModel::rangeChanged, this, &TraceFilterBar::rangeChanged);
    rangeChanged();
}

TimeRange TraceFilterBar::timeRange() const
{
    return timeRangeModel()->range();
}

void TraceFilterBar::setTimeRange(const TimeRange &range)
{
    timeRangeModel()->setRange(range);
}

void TraceFilterBar::rangeChanged()
{
    // A range picked here or on the dashboard replaces a drill-down into one bucket.
    setDrillDown(std::nullopt);
    Q_EMIT filterChanged();
}

void TraceFilterBar::setDrillDown(std::optional<std::pair<QDateTime, QDateTime>> window)
{
    m_drillDown = std::move(window);
    m_drillDownChip->setVisible(m_drillDown.has_value());
    if (!m_drillDown)
        return;
    const auto &[from, to] = *m_drillDown;
    // Buckets can be shorter than a minute; show the seconds then so the window reads right.
    const bool seconds = from.time().second() != 0 || to.time().second() != 0;
    const QString pattern = seconds ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm");
    const QString start = from.date() == QDate::currentDate() ? from.toString(pattern)
                                                              : from.toString(QStringLiteral("yyyy-MM-dd ") + pattern);
    const QString end
        = to.date() == from.date() ? to.toString(pattern) : to.toString(QStringLiteral("yyyy-MM-dd ") + pattern);
    m_drillDownChip->setText(tr("Only %1 – %2").arg(start, end));
}

QString TraceFilterBar::description() const
{
    QStringList parts;
    const QString search = m_search->text().trimmed();
    if (!search.isEmpty())
        parts << tr("matching “%1”").arg(search);
    if (m_service->currentIndex() > 0)
        parts << tr("service %1").arg(m_service->currentText());
    if (m_model->currentIndex() > 0)
        parts << tr("model %1").arg(m_model->currentText());
    if (m_minDuration->value() > 0)
        parts << tr("at least %1").arg(format::duration(std::llround(m_minDuration->value() * 1e9)));
    if (m_errorsOnly->isChecked())
        parts << tr("errors only");
    parts << (m_drillDown ? m_drillDownChip->text() : timeRange().label());
    return parts.join(QStringLiteral(" · "));
}

QString TraceFilterBar::searchError() const
{
    try {
        store::SearchQuery::parse(m_search->text().trimmed().toStdString());
    } catch (const store::QueryError &e) {
        QString message = QString::fromUtf8(e.what());
        if (message.startsWith(QLatin1String("q: ")))
            message.remove(0, 3);
        return message;
    }
    return {};
}

bool TraceFilterBar::searchIsNameOnly() const
{
    try {
        return !store::SearchQuery::parse(m_search->text().trimmed().toStdString()).nameOnly.empty();
    } catch (const store::QueryError &) {
        return false;
    }
}

bool TraceFilterBar::isFiltering() const
{
    return !m_search->text().trimmed().isEmpty() || m_errorsOnly->isChecked() || m_service->currentIndex() > 0
        || m_model->currentIndex() > 0 || m_minDuration->value() > 0 || m_drillDown
        || timeRange().preset != TimeRange::Preset::All;
}

void TraceFilterBar::setSearch(const QString &text)
{
    m_search->setText(text);
    m_typing->stop();
    Q_EMIT filterChanged();
}

void TraceFilterBar::setErrorsOnly(bool on)
{
    m_errorsOnly->setChecked(on);
}

void TraceFilterBar::selectChoice(QComboBox *combo, const QString &value)
{
    if (value.isEmpty()) {
        combo->setCurrentIndex(0);
        return;
    }
    if (combo->findText(value) < 0)
        combo->addItem(value);
    combo->setCurrentIndex(combo->findText(value));
}

void TraceFilterBar::setService(const QString &service)
{
    selectChoice(m_service, service);
}

void TraceFilterBar::setModel(const QString &model)
{
    selectChoice(m_model, model);
}

void TraceFilterBar::showRange(const QDateTime &from, const QDateTime &to, const QString &service, const QString &model)
{
    {
        const QSignalBlocker blockers[] = { QSignalBlocker(m_search), QSignalBlocker(m_service),
            QSignalBlocker(m_model), QSignalBlocker(m_minDuration), QSignalBlocker(m_errorsOnly) };
        m_search->clear();
        m_minDuration->setValue(0);
        m_errorsOnly->setChecked(false);
        selectChoice(m_service, service);
        selectChoice(m_model, model);
    }
    m_typing->stop();
    setDrillDown(std::make_pair(from, to));
    Q_EMIT filterChanged();
}

void TraceFilterBar::setMinDurationSeconds(double seconds)
{
    m_minDuration->setValue(seconds);
}

void TraceFilterBar::clear()
{
    {
        const QSignalBlocker blockers[] = { QSignalBlocker(this), QSignalBlocker(m_search), QSignalBlocker(m_service),
            QSignalBlocker(m_model), QSignalBlocker(m_minDuration), QSignalBlocker(m_errorsOnly) };
        m_search->clear();
        m_service->setCurrentIndex(0);
        m_model->setCurrentIndex(0);
        m_minDuration->setValue(0);
        m_errorsOnly->setChecked(false);
        // The shared range too: the dashboard follows, as it does when the user picks all time there.
        setTimeRange(TimeRange::last(TimeRange::Preset::All));
        setDrillDown(std::nullopt);
    }
    m_typing->stop();
    Q_EMIT filterChanged();
}

void TraceFilterBar::setChoices(QComboBox *combo, const QStringList &values)
{
    const QString current = combo->currentIndex() > 0 ? combo->currentText() : QString();
    QStringList all = values;
    if (!current.isEmpty() && !all.contains(current))
        all << current;
    all.sort(Qt::CaseInsensitive);
    const QSignalBlocker blocker(combo);
    while (combo->count() > 1)
        combo->removeItem(1);
    combo->addItems(all);
    combo->setCurrentIndex(current.isEmpty() ? 0 : combo->findText(current));
}

void TraceFilterBar::setKnownServices(const QStringList &services)
{
    setChoices(m_service, services);
}

void TraceFilterBar::setKnownModels(const QStringList &models)
{
    setChoices(m_model, models);
}

store::TraceQuery TraceFilterBar::filter() const
{
    store::TraceQuery q;
    q.text = m_search->text().trimmed().toStdString();
    q.errors_only = m_errorsOnly->isChecked();
    if (m_service->currentIndex() > 0)
        q.service = m_service->currentText().toStdString();
    if (m_model->currentIndex() > 0)
        q.model = m_model->currentText().toStdString();
    if (m_minDuration->value() > 0)
        q.min_duration_ns = static_cast<std::int64_t>(m_minDuration->value() * 1e9);
    if (m_drillDown) {
        q.from_ns = format::toNs(m_drillDown->first);
        q.to_ns = format::toNs(m_drillDown->second);
    } else {
        const TimeRange range = timeRange();
        q.from_ns = range.fromNs();
        q.to_ns = range.toNs();
    }
    return q;
}

} // namespace agentops::ui
