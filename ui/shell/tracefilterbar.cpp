// SPDX-License-Identifier: MIT
#include "shell/tracefilterbar.h"

#include "common/format.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QTimer>
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
    , m_search(new QLineEdit(this))
    , m_range(new QComboBox(this))
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
    , m_service(new QComboBox(this))
    , m_model(new QComboBox(this))
    , m_minDuration(new DurationSpinBox(this))
    , m_errorsOnly(new QCheckBox(tr("Errors only"), this))
    , m_typing(new QTimer(this))
{
    m_search->setPlaceholderText(tr("Filter by trace name…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);

    m_range->addItem(tr("Last 15 minutes"), static_cast<int>(Range::Last15Minutes));
    m_range->addItem(tr("Last hour"), static_cast<int>(Range::LastHour));
    m_range->addItem(tr("Last 24 hours"), static_cast<int>(Range::Last24Hours));
    m_range->addItem(tr("Last 7 days"), static_cast<int>(Range::Last7Days));
    m_range->addItem(tr("Last 30 days"), static_cast<int>(Range::Last30Days));
    m_range->addItem(tr("All time"), static_cast<int>(Range::All));
    m_range->addItem(tr("Custom…"), static_cast<int>(Range::Custom));
    m_range->setCurrentIndex(m_range->findData(static_cast<int>(Range::All)));
    m_range->setToolTip(tr("Time range of the trace start"));
    m_range->setObjectName(QStringLiteral("timeRange"));

    const QDateTime now = QDateTime::currentDateTime();
    for (auto *edit : { m_from, m_to }) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    m_from->setDateTime(now.addSecs(-3600));
    m_to->setDateTime(now.addSecs(60));

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
    layout->addWidget(m_from);
    layout->addWidget(m_to);
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
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] {
        updateCustomVisibility();
        Q_EMIT filterChanged();
    });
    for (auto *edit : { m_from, m_to }) {
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, [this] {
            if (range() == Range::Custom)
                Q_EMIT filterChanged();
        });
        connect(edit, &QDateTimeEdit::editingFinished, this, &TraceFilterBar::rangeChosen);
    }
    connect(m_range, &QComboBox::activated, this, &TraceFilterBar::rangeChosen);
    connect(m_service, &QComboBox::currentIndexChanged, this, &TraceFilterBar::filterChanged);
    connect(m_model, &QComboBox::currentIndexChanged, this, &TraceFilterBar::filterChanged);
    connect(m_minDuration, &QDoubleSpinBox::valueChanged, this, &TraceFilterBar::filterChanged);
    connect(m_errorsOnly, &QCheckBox::toggled, this, &TraceFilterBar::filterChanged);
    updateCustomVisibility();
}

void TraceFilterBar::updateCustomVisibility()
{
    const bool custom = range() == Range::Custom;
    m_from->setVisible(custom);
    m_to->setVisible(custom);
}

TraceFilterBar::Range TraceFilterBar::range() const
{
    return static_cast<Range>(m_range->currentData().toInt());
}

void TraceFilterBar::setRange(Range r)
{
    m_range->setCurrentIndex(m_range->findData(static_cast<int>(r)));
}

void TraceFilterBar::setCustomRange(const QDateTime &from, const QDateTime &to)
{
    {
        const QSignalBlocker blockFrom(m_from);
        const QSignalBlocker blockTo(m_to);
        m_from->setDateTime(from);
        m_to->setDateTime(to);
    }
    if (range() == Range::Custom)
        Q_EMIT filterChanged();
    else
        setRange(Range::Custom);
}

QDateTime TraceFilterBar::customFrom() const
{
    return m_from->dateTime();
}

QDateTime TraceFilterBar::customTo() const
{
    return m_to->dateTime();
}

void TraceFilterBar::setNameFilter(const QString &text)
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
        const QSignalBlocker blockers[] = { QSignalBlocker(m_search), QSignalBlocker(m_range), QSignalBlocker(m_from),
            QSignalBlocker(m_to), QSignalBlocker(m_service), QSignalBlocker(m_model), QSignalBlocker(m_minDuration),
            QSignalBlocker(m_errorsOnly) };
        m_search->clear();
        m_minDuration->setValue(0);
        m_errorsOnly->setChecked(false);
        selectChoice(m_service, service);
        selectChoice(m_model, model);
        // Buckets can be shorter than a minute; show the seconds then so the range reads right.
        const bool seconds = from.time().second() != 0 || to.time().second() != 0;
        for (auto *edit : { m_from, m_to })
            edit->setDisplayFormat(
                seconds ? QStringLiteral("yyyy-MM-dd HH:mm:ss") : QStringLiteral("yyyy-MM-dd HH:mm"));
        m_from->setDateTime(from);
        m_to->setDateTime(to);
        m_range->setCurrentIndex(m_range->findData(static_cast<int>(Range::Custom)));
    }
    m_typing->stop();
    updateCustomVisibility();
    Q_EMIT filterChanged();
}

void TraceFilterBar::setMinDurationSeconds(double seconds)
{
    m_minDuration->setValue(seconds);
}

void TraceFilterBar::clear()
{
    {
        const QSignalBlocker blockers[]
            = { QSignalBlocker(m_search), QSignalBlocker(m_range), QSignalBlocker(m_service), QSignalBlocker(m_model),
                  QSignalBlocker(m_minDuration), QSignalBlocker(m_errorsOnly) };
        m_search->clear();
        m_range->setCurrentIndex(m_range->findData(static_cast<int>(Range::All)));
        m_service->setCurrentIndex(0);
        m_model->setCurrentIndex(0);
        m_minDuration->setValue(0);
        m_errorsOnly->setChecked(false);
    }
    m_typing->stop();
    updateCustomVisibility();
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
    q.name_contains = m_search->text().trimmed().toStdString();
    q.errors_only = m_errorsOnly->isChecked();
    if (m_service->currentIndex() > 0)
        q.service = m_service->currentText().toStdString();
    if (m_model->currentIndex() > 0)
        q.model = m_model->currentText().toStdString();
    if (m_minDuration->value() > 0)
        q.min_duration_ns = static_cast<std::int64_t>(m_minDuration->value() * 1e9);
    const std::int64_t now = format::toNs(QDateTime::currentDateTime());
    constexpr std::int64_t minute = 60'000'000'000;
    switch (range()) {
    case Range::Last15Minutes: q.from_ns = now - 15 * minute; break;
    case Range::LastHour: q.from_ns = now - 60 * minute; break;
    case Range::Last24Hours: q.from_ns = now - 24 * 60 * minute; break;
    case Range::Last7Days: q.from_ns = now - 7 * 24 * 60 * minute; break;
    case Range::Last30Days: q.from_ns = now - 30 * 24 * 60 * minute; break;
    case Range::All: break;
    case Range::Custom:
        q.from_ns = format::toNs(m_from->dateTime());
        q.to_ns = format::toNs(m_to->dateTime());
        break;
    }
    return q;
}

} // namespace agentops::ui
