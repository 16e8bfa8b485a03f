// SPDX-License-Identifier: MIT
#include "pricing/pricerowdialog.h"

#include "common/theme.h"
#include "pricing/priceformat.h"

#include <QComboBox>
#include <QDate>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

namespace agentops::ui {

namespace {

constexpr const char *kPriceKeys[] = { "input", "cache_read", "cache_write", "output", "reasoning" };

QString priceKey(int price)
{
    return QLatin1String(kPriceKeys[price]);
}

/// A number as typed ("2.50", "2,50" in a locale that writes it so, "$2.50"); nullopt otherwise.
std::optional<double> parseNumber(QString text)
{
    text = text.trimmed();
    if (text.startsWith(QLatin1Char('$')))
        text = text.mid(1).trimmed();
    bool ok = false;
    double v = QLocale().toDouble(text, &ok);
    if (!ok)
        v = QLocale::c().toDouble(text, &ok);
    return ok ? std::optional<double>(v) : std::nullopt;
}

/// A price field's JSON value: a number, or the text itself so the loader names it as invalid.
QJsonValue priceValue(const QString &text)
{
    if (const auto v = parseNumber(text))
        return *v;
    return text.trimmed();
}

QJsonArray nameList(const QString &text)
{
    QJsonArray out;
    // Model names never contain commas or spaces; either separates them.
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    for (const auto &name : text.split(separators, Qt::SkipEmptyParts))
        out.append(name);
    return out;
}

QString joinNames(const std::vector<std::string> &names)
{
    QStringList out;
    for (const auto &n : names)
        out << QString::fromStdString(n);
    return out.join(QStringLiteral(", "));
}

QString priceText(const std::optional<double> &v)
{
    if (!v)
        return {};
    // Shortest exact form, in the user's locale, without a currency sign (the labels say USD).
    return QLocale().toString(*v, 'g', 12);
}

} // namespace

PriceRowDialog::PriceRowDialog(const QString &title, QWidget *parent)
    : QDialog(parent)
    , m_id(new QLineEdit(this))
    , m_provider(new QComboBox(this))
    , m_models(new QLineEdit(this))
    , m_patterns(new QLineEdit(this))
    , m_tiers(new QTableWidget(0, NUM_TIER_COLUMNS, this))
    , m_asOf(new QDateEdit(QDate::currentDate(), this))
    , m_url(new QLineEdit(this))
    , m_note(new QLineEdit(this))
    , m_replaces(new QLabel(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(title);

    // Object names are the loader's field paths: describeError's field finds the widget by it.
    m_id->setObjectName(QStringLiteral("id"));
    m_id->setPlaceholderText(tr("unique, e.g. my-gpt-4o-deployment"));
    m_provider->setObjectName(QStringLiteral("provider"));
    m_provider->setEditable(true);
    m_provider->setInsertPolicy(QComboBox::NoInsert);
    m_models->setObjectName(QStringLiteral("models"));
    m_models->setPlaceholderText(tr("exact names, comma-separated, e.g. gpt-4o, gpt-4o-2024-11-20"));
    m_patterns->setObjectName(QStringLiteral("patterns"));
    m_patterns->setPlaceholderText(tr("globs with *, e.g. gpt-4o-20*, */gpt-4o"));
    m_asOf->setObjectName(QStringLiteral("as_of"));
    m_asOf->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_asOf->setCalendarPopup(true);
    m_asOf->setMaximumWidth(m_asOf->sizeHint().width() + 40);
    m_asOf->setToolTip(tr("When you last checked these prices against the provider's list"));
    m_url->setObjectName(QStringLiteral("url"));
    m_url->setPlaceholderText(tr("optional: where the provider publishes these prices"));
    m_note->setObjectName(QStringLiteral("note"));
    m_note->setPlaceholderText(tr("optional: negotiated rate, region, …"));
    m_replaces->setWordWrap(true);
    m_replaces->setVisible(false);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setVisible(false);
    {
        QPalette p = m_error->palette();
        p.setColor(QPalette::WindowText, theme::errorText(palette()));
        m_error->setPalette(p);
    }

    std::set<std::string> providers;
    for (const auto &row : core::shippedPriceTable().rows())
        providers.insert(row.provider);
    for (const auto &p : providers)
        m_provider->addItem(QString::fromStdString(p));
    m_provider->setCurrentText(QString());

    auto *identity = new QFormLayout;
    identity->addRow(tr("Id:"), m_id);
    identity->addRow(QString(), m_replaces);
    identity->addRow(tr("Provider:"), m_provider);
    identity->addRow(tr("Model names:"), m_models);
    identity->addRow(tr("Patterns:"), m_patterns);

    auto *pricesBox = new QGroupBox(tr("Prices (USD per million tokens)"), this);
    auto *grid = new QGridLayout(pricesBox);
    const QString labels[] = { tr("Input"), tr("Cached read"), tr("Cache write"), tr("Output"), tr("Reasoning") };
    const QString placeholders[] = { tr("required"), tr("= input"), tr("= input"), tr("required"), tr("= output") };
    for (int i = 0; i < NUM_PRICES; ++i) {
        auto *edit = new QLineEdit(pricesBox);
        edit->setObjectName(QStringLiteral("prices.") + priceKey(i));
        edit->setPlaceholderText(placeholders[i]);
        edit->setAlignment(Qt::AlignRight);
        m_prices[static_cast<std::size_t>(i)] = edit;
        auto *label = new QLabel(labels[i], pricesBox);
        label->setBuddy(edit);
        grid->addWidget(label, 0, i);
        grid->addWidget(edit, 1, i);
    }
    auto *pricesHint = new QLabel(tr("Cached tokens are billed once, at their cache price; reasoning tokens at "
                                     "the reasoning price (the output price when empty)."),
        pricesBox);
    pricesHint->setWordWrap(true);
    pricesHint->setForegroundRole(QPalette::PlaceholderText);
    grid->addWidget(pricesHint, 2, 0, 1, NUM_PRICES);

    auto *tiersBox = new QGroupBox(tr("Long-context tiers"), this);
    auto *tiersLayout = new QVBoxLayout(tiersBox);
    auto *tiersHint = new QLabel(tr("Above a number of input tokens (cached included), a tier's prices replace "
                                    "the base prices for the whole call; empty cells keep the base price."),
        tiersBox);
    tiersHint->setWordWrap(true);
    tiersHint->setForegroundRole(QPalette::PlaceholderText);
    m_tiers->setObjectName(QStringLiteral("tiers"));
    m_tiers->setHorizontalHeaderLabels(
        { tr("Above input tokens"), labels[0], labels[1], labels[2], labels[3], labels[4] });
    m_tiers->verticalHeader()->setVisible(false);
    m_tiers->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_tiers->horizontalHeader()->setSectionResizeMode(TierAboveColumn, QHeaderView::ResizeToContents);
    m_tiers->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tiers->setMinimumHeight(90);
    m_tiers->setMaximumHeight(120);
    auto *addTierButton = new QPushButton(tr("Add tier"), tiersBox);
    auto *removeTierButton = new QPushButton(tr("Remove tier"), tiersBox);
    removeTierButton->setEnabled(false);
    connect(addTierButton, &QPushButton::clicked, this, [this] { addTier(); });
    connect(removeTierButton, &QPushButton::clicked, this, [this] {
        if (m_tiers->currentRow() >= 0)
            m_tiers->removeRow(m_tiers->currentRow());
    });
    connect(m_tiers, &QTableWidget::currentCellChanged, this,
        [removeTierButton](int row) { removeTierButton->setEnabled(row >= 0); });
    auto *tierButtons = new QHBoxLayout;
    tierButtons->addWidget(addTierButton);
    tierButtons->addWidget(removeTierButton);
    tierButtons->addStretch(1);
    tiersLayout->addWidget(tiersHint);
    tiersLayout->addWidget(m_tiers);
    tiersLayout->addLayout(tierButtons);

    // One form for everything, the groups spanning it, so that every field starts at the same edge.
    identity->addRow(pricesBox);
    identity->addRow(tiersBox);
    identity->addRow(tr("As of:"), m_asOf);
    identity->addRow(tr("URL:"), m_url);
    identity->addRow(tr("Note:"), m_note);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &PriceRowDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(identity);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(buttons);

    connect(m_id, &QLineEdit::textChanged, this, &PriceRowDialog::updateReplacesHint);
    resize(760, sizeHint().height());
}

void PriceRowDialog::setRow(const core::PriceRow &row)
{
    m_id->setText(QString::fromStdString(row.id));
    m_provider->setCurrentText(QString::fromStdString(row.provider));
    m_models->setText(joinNames(row.models));
    m_patterns->setText(joinNames(row.patterns));
    // Long lists show their beginning, where the main names are.
    m_models->setCursorPosition(0);
    m_patterns->setCursorPosition(0);
    const std::optional<double> *base[] = { &row.prices.input, &row.prices.cache_read, &row.prices.cache_write,
        &row.prices.output, &row.prices.reasoning };
    for (int i = 0; i < NUM_PRICES; ++i)
        m_prices[static_cast<std::size_t>(i)]->setText(priceText(*base[i]));
    m_tiers->setRowCount(0);
    for (const auto &t : row.tiers)
        addTier(&t);
    const QDate asOf = QDate::fromString(QString::fromStdString(row.as_of), Qt::ISODate);
    m_asOf->setDate(asOf.isValid() ? asOf : QDate::currentDate());
    m_url->setText(QString::fromStdString(row.url));
    m_note->setText(QString::fromStdString(row.note));
}

void PriceRowDialog::setIdLocked(bool locked)
{
    m_id->setEnabled(!locked);
    m_id->setToolTip(locked ? tr("An override keeps the id of the shipped row it replaces") : QString());
}

void PriceRowDialog::setContext(std::vector<core::PriceRow> otherOverrides, const core::PriceTable *shipped)
{
    m_others = std::move(otherOverrides);
    m_shipped = shipped;
    updateReplacesHint();
}

void PriceRowDialog::addTier(const core::PriceTier *tier)
{
    const int r = m_tiers->rowCount();
    m_tiers->insertRow(r);
    auto cell = [](const QString &text) {
        auto *item = new QTableWidgetItem(text);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        return item;
    };
    m_tiers->setItem(r, TierAboveColumn, cell(tier ? QString::number(tier->above_input_tokens) : QString()));
    const std::optional<double> none;
    const std::optional<double> *prices[] = { &none, &none, &none, &none, &none };
    if (tier) {
        prices[0] = &tier->prices.input;
        prices[1] = &tier->prices.cache_read;
        prices[2] = &tier->prices.cache_write;
        prices[3] = &tier->prices.output;
        prices[4] = &tier->prices.reasoning;
    }
    for (int i = 0; i < NUM_PRICES; ++i)
        m_tiers->setItem(r, TierInputColumn + i, cell(priceText(*prices[i])));
    if (!tier)
        m_tiers->editItem(m_tiers->item(r, TierAboveColumn));
}

void PriceRowDialog::updateReplacesHint()
{
    const std::string id = m_id->text().trimmed().toStdString();
    const core::PriceRow *shipped = nullptr;
    if (m_shipped && !id.empty())
        if (auto it = std::ranges::find(m_shipped->rows(), id, &core::PriceRow::id); it != m_shipped->rows().end())
            shipped = &*it;
    if (shipped) {
        m_replaces->setText(
            tr("Replaces the shipped row “%1” (%2 input, %3 output, as of %4).")
                .arg(QString::fromStdString(shipped->id), pricing::perMillion(*shipped->prices.input),
                    pricing::perMillion(*shipped->prices.output), QString::fromStdString(shipped->as_of)));
    }
    m_replaces->setVisible(shipped != nullptr);
    growToFit();
}

void PriceRowDialog::growToFit()
{
    // A message shown after the dialog was sized must not squeeze the tier table.
    const int wanted = sizeHint().height();
    if (height() < wanted)
        resize(width(), wanted);
}

QJsonObject PriceRowDialog::rowJson() const
{
    QJsonObject row;
    row.insert(QStringLiteral("id"), m_id->text().trimmed());
    row.insert(QStringLiteral("provider"), m_provider->currentText().trimmed());
    const QJsonArray models = nameList(m_models->text());
    if (!models.isEmpty())
        row.insert(QStringLiteral("models"), models);
    const QJsonArray patterns = nameList(m_patterns->text());
    if (!patterns.isEmpty())
        row.insert(QStringLiteral("patterns"), patterns);
    QJsonObject prices;
    for (int i = 0; i < NUM_PRICES; ++i) {
        const QString text = m_prices[static_cast<std::size_t>(i)]->text();
        if (!text.trimmed().isEmpty())
            prices.insert(priceKey(i), priceValue(text));
    }
    row.insert(QStringLiteral("prices"), prices);
    QJsonArray tiers;
    for (int r = 0; r < m_tiers->rowCount(); ++r) {
        auto text = [&](int column) {
            const auto *item = m_tiers->item(r, column);
            return item ? item->text().trimmed() : QString();
        };
        QJsonObject tier;
        QJsonObject tierPrices;
        bool any = false;
        for (int i = 0; i < NUM_PRICES; ++i) {
            if (!text(TierInputColumn + i).isEmpty()) {
                tierPrices.insert(priceKey(i), priceValue(text(TierInputColumn + i)));
                any = true;
            }
        }
        const QString above = text(TierAboveColumn);
        // A line left entirely empty (added, then not filled in) is no tier.
        if (above.isEmpty() && !any)
            continue;
        if (!above.isEmpty()) {
            bool ok = false;
            qlonglong n = QLocale().toLongLong(above, &ok);
            if (!ok)
                n = QLocale::c().toLongLong(above, &ok);
            if (ok)
                tier.insert(QStringLiteral("above_input_tokens"), static_cast<qint64>(n));
            else if (const auto v = parseNumber(above))
                tier.insert(QStringLiteral("above_input_tokens"), *v);
            else
                tier.insert(QStringLiteral("above_input_tokens"), above);
        }
        tier.insert(QStringLiteral("prices"), tierPrices);
        tiers.append(tier);
    }
    if (!tiers.isEmpty())
        row.insert(QStringLiteral("tiers"), tiers);
    row.insert(QStringLiteral("as_of"), m_asOf->date().toString(Qt::ISODate));
    if (!m_url->text().trimmed().isEmpty())
        row.insert(QStringLiteral("url"), m_url->text().trimmed());
    if (!m_note->text().trimmed().isEmpty())
        row.insert(QStringLiteral("note"), m_note->text().trimmed());
    return row;
}

QString PriceRowDialog::describeError(const QString &loaderError, const QString &id, QString *field)
{
    QString rest = loaderError;
    // The loader names the row ("rows[0] (id \"x\"): ", or "rows[0]: " before it has an id); the
    // form holds one row, so only the field is worth showing.
    static const QRegularExpression rowPrefix(QStringLiteral("^rows\\[\\d+\\](?=[ :.])"));
    const auto m = rowPrefix.match(rest);
    if (m.hasMatch()) {
        rest = rest.mid(m.capturedLength());
        const QString withId = QStringLiteral(" (id \"") + id + QStringLiteral("\"): ");
        if (rest.startsWith(withId))
            rest = rest.mid(withId.size());
        else if (rest.startsWith(QStringLiteral(": ")) || rest.startsWith(QLatin1Char('.')))
            rest = rest.mid(rest.startsWith(QLatin1Char('.')) ? 1 : 2);
    }
    const int colon = rest.indexOf(QStringLiteral(": "));
    if (!m.hasMatch() || colon < 0) {
        if (field)
            field->clear();
        return rest;
    }
    const QString path = rest.left(colon);
    const QString message = rest.mid(colon + 2);
    if (field)
        *field = path;

    auto priceLabel = [](const QString &key) -> QString {
        if (key == QLatin1String("input"))
            return tr("Input price");
        if (key == QLatin1String("cache_read"))
            return tr("Cached read price");
        if (key == QLatin1String("cache_write"))
            return tr("Cache write price");
        if (key == QLatin1String("output"))
            return tr("Output price");
        if (key == QLatin1String("reasoning"))
            return tr("Reasoning price");
        return key;
    };
    static const QRegularExpression tierPath(QStringLiteral("^tiers\\[(\\d+)\\](?:\\.(\\w+)(?:\\.(\\w+))?)?$"));
    static const QRegularExpression listPath(QStringLiteral("^(models|patterns)(?:\\[(\\d+)\\])?$"));
    QString label;
    if (path == QLatin1String("id"))
        label = tr("Id");
    else if (path == QLatin1String("provider"))
        label = tr("Provider");
    else if (path == QLatin1String("as_of"))
        label = tr("As of");
    else if (path == QLatin1String("url"))
        label = tr("URL");
    else if (path == QLatin1String("note"))
        label = tr("Note");
    else if (path == QLatin1String("prices"))
        label = tr("Prices");
    else if (path.startsWith(QLatin1String("prices.")))
        label = priceLabel(path.mid(7));
    else if (path == QLatin1String("tiers"))
        label = tr("Tiers");
    else if (const auto t = tierPath.match(path); t.hasMatch()) {
        const QString n = QString::number(t.captured(1).toInt() + 1);
        if (t.captured(2).isEmpty())
            label = tr("Tier %1").arg(n);
        else if (t.captured(2) == QLatin1String("above_input_tokens"))
            label = tr("Tier %1, above input tokens").arg(n);
        else if (t.captured(3).isEmpty())
            label = tr("Tier %1 prices").arg(n);
        else
            label = tr("Tier %1, %2").arg(n, priceLabel(t.captured(3)).toLower());
    } else if (const auto l = listPath.match(path); l.hasMatch()) {
        label = l.captured(1) == QLatin1String("models") ? tr("Model names") : tr("Patterns");
    } else {
        label = path;
    }
    return label + QStringLiteral(": ") + message;
}

void PriceRowDialog::focusField(const QString &field)
{
    static const QRegularExpression tierPath(QStringLiteral("^tiers\\[(\\d+)\\](?:\\.(\\w+)(?:\\.(\\w+))?)?$"));
    if (const auto t = tierPath.match(field); t.hasMatch()) {
        // Tier indexes count the lines that hold a tier; empty lines were skipped.
        int want = t.captured(1).toInt();
        int line = -1;
        for (int r = 0, seen = -1; r < m_tiers->rowCount(); ++r) {
            bool any = false;
            for (int c = 0; c < NUM_TIER_COLUMNS; ++c)
                any = any || (m_tiers->item(r, c) && !m_tiers->item(r, c)->text().trimmed().isEmpty());
            if (any && ++seen == want) {
                line = r;
                break;
            }
        }
        int column = TierAboveColumn;
        if (t.captured(2) == QLatin1String("prices") && !t.captured(3).isEmpty())
            for (int i = 0; i < NUM_PRICES; ++i)
                if (priceKey(i) == t.captured(3))
                    column = TierInputColumn + i;
        if (line >= 0) {
            m_tiers->setFocus();
            m_tiers->setCurrentCell(line, column);
        }
        return;
    }
    QString name = field;
    static const QRegularExpression indexSuffix(QStringLiteral("\\[\\d+\\]$"));
    name.remove(indexSuffix);
    if (auto *w = findChild<QWidget *>(name)) {
        w->setFocus();
        if (auto *edit = qobject_cast<QLineEdit *>(w))
            edit->selectAll();
    }
}

void PriceRowDialog::showError(const QString &message, const QString &field)
{
    m_errorText = message;
    m_error->setText(message);
    m_error->setVisible(true);
    growToFit();
    focusField(field);
}

bool PriceRowDialog::validate()
{
    m_row.reset();
    const QJsonObject json = rowJson();
    const QString id = json.value(QStringLiteral("id")).toString();
    QJsonObject doc;
    doc.insert(QStringLiteral("format"), 1);
    doc.insert(QStringLiteral("rows"), QJsonArray { json });
    const QByteArray text = QJsonDocument(doc).toJson(QJsonDocument::Compact);
    std::string error;
    auto table = core::PriceTable::fromJson(std::string_view(text.constData(), static_cast<std::size_t>(text.size())),
        error, core::PriceRow::Source::Override);
    if (!table) {
        QString field;
        const QString message = describeError(QString::fromStdString(error), id, &field);
        showError(message, field);
        return false;
    }
    core::PriceRow row = table->rows().front();

    // Among the overrides ids and names are unique, as in any one price table document; shared with
    // a shipped row they are not a clash: the override wins them.
    for (const auto &other : m_others) {
        if (other.id == row.id) {
            showError(tr("Id: “%1” is already the id of another of your rows").arg(id), QStringLiteral("id"));
            return false;
        }
        for (const auto &name : row.models) {
            if (std::ranges::find(other.models, name) != other.models.end()) {
                showError(tr("Model names: “%1” is already listed by your row “%2”")
                              .arg(QString::fromStdString(name), QString::fromStdString(other.id)),
                    QStringLiteral("models"));
                return false;
            }
        }
        for (const auto &pattern : row.patterns) {
            if (std::ranges::find(other.patterns, pattern) != other.patterns.end()) {
                showError(tr("Patterns: “%1” is already listed by your row “%2”")
                              .arg(QString::fromStdString(pattern), QString::fromStdString(other.id)),
                    QStringLiteral("patterns"));
                return false;
            }
        }
    }
    m_errorText.clear();
    m_error->setVisible(false);
    m_row = std::move(row);
    return true;
}

void PriceRowDialog::accept()
{
    if (validate())
        QDialog::accept();
}

} // namespace agentops::ui
