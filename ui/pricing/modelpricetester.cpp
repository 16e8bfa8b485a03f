// SPDX-License-Identifier: MIT
#include "pricing/modelpricetester.h"

#include "pricing/priceformat.h"

#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include <algorithm>

namespace agentops::ui {

ModelPriceTester::ModelPriceTester(QWidget *parent)
    : QGroupBox(tr("Test a model name"), parent)
    , m_model(new QLineEdit(this))
    , m_input(new QSpinBox(this))
    , m_cached(new QSpinBox(this))
    , m_output(new QSpinBox(this))
    , m_reasoning(new QSpinBox(this))
    , m_result(new QLabel(this))
{
    m_model->setObjectName(QStringLiteral("testModel"));
    m_model->setPlaceholderText(tr("model name as spans report it, e.g. gpt-4o-2024-11-20"));
    m_model->setClearButtonEnabled(true);
    for (auto *spin : { m_input, m_cached, m_output, m_reasoning }) {
        spin->setRange(0, 100'000'000);
        spin->setGroupSeparatorShown(true);
        spin->setSingleStep(1000);
        spin->setAlignment(Qt::AlignRight);
        spin->setMinimumWidth(95);
        connect(spin, &QSpinBox::valueChanged, this, &ModelPriceTester::refresh);
    }
    // The worked example of docs/pricing.md: most of the prompt served from cache.
    m_input->setValue(10'000);
    m_cached->setValue(8'000);
    m_output->setValue(500);
    m_input->setToolTip(tr("Input tokens, cached ones included"));
    m_cached->setToolTip(tr("Of the input tokens, how many were read from the prompt cache"));
    m_output->setToolTip(tr("Output tokens, reasoning included"));
    m_reasoning->setToolTip(tr("Of the output tokens, how many were reasoning"));
    m_result->setObjectName(QStringLiteral("testResult"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setMinimumHeight(m_result->fontMetrics().lineSpacing() * 3 + 4);
    m_result->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto *grid = new QGridLayout(this);
    grid->addWidget(new QLabel(tr("Model:"), this), 0, 0);
    grid->addWidget(m_model, 0, 1);
    int column = 2;
    auto add = [&](const QString &label, QSpinBox *spin) {
        auto *l = new QLabel(label, this);
        l->setBuddy(spin);
        grid->addWidget(l, 0, column++, Qt::AlignRight);
        grid->addWidget(spin, 0, column++);
    };
    add(tr("Input:"), m_input);
    add(tr("cached:"), m_cached);
    add(tr("Output:"), m_output);
    add(tr("reasoning:"), m_reasoning);
    grid->setColumnStretch(1, 1);
    grid->addWidget(m_result, 1, 0, 1, column);

    connect(m_model, &QLineEdit::textChanged, this, &ModelPriceTester::refresh);
    refresh();
}

void ModelPriceTester::setTable(std::shared_ptr<const core::PriceTable> table)
{
    m_table = std::move(table);
    refresh();
}

void ModelPriceTester::setModelName(const QString &name)
{
    m_model->setText(name);
}

void ModelPriceTester::setTokens(qint64 input, qint64 cached, qint64 output, qint64 reasoning)
{
    auto clamp = [](qint64 v) { return static_cast<int>(std::clamp<qint64>(v, 0, 100'000'000)); };
    m_input->setValue(clamp(input));
    m_cached->setValue(clamp(cached));
    m_output->setValue(clamp(output));
    m_reasoning->setValue(clamp(reasoning));
}

QString ModelPriceTester::resultText() const
{
    return m_result->text();
}

void ModelPriceTester::refresh()
{
    const QString name = m_model->text().trimmed();
    const core::PriceRow *row = (m_table && !name.isEmpty()) ? m_table->match(name.toStdString()) : nullptr;
    const QString id = row ? QString::fromStdString(row->id) : QString();
    m_cost.reset();

    if (name.isEmpty()) {
        m_result->setText(tr("Type a model name to see which row prices it and what a call with these token "
                             "counts costs."));
    } else if (!row) {
        m_result->setText(tr("<b>No row prices “%1”.</b> Its spans get no cost (shown as “no price”, never $0). "
                             "Add a row to price it.")
                              .arg(name.toHtmlEscaped()));
    } else {
        core::Span span;
        span.kind = core::SpanKind::Llm;
        span.response_model = name.toStdString();
        span.tokens.input = m_input->value();
        span.tokens.cache_read = m_cached->value();
        span.tokens.output = m_output->value();
        span.tokens.reasoning = m_reasoning->value();
        m_cost = m_table->price(span);

        const QString source = row->source == core::PriceRow::Source::Override ? tr("your override") : tr("shipped");
        QString text = tr("Priced by row <b>%1</b> (%2, as of %3) through its %4.")
                           .arg(id.toHtmlEscaped(), source, QString::fromStdString(row->as_of),
                               pricing::matchedBy(*row, name).toHtmlEscaped());
        if (m_cost) {
            // The rates actually applied: PriceTable::price picks the tier from the whole prompt.
            const auto &c = *m_cost;
            const auto p = row->pricesFor(std::max<std::int64_t>(m_input->value(), m_cached->value()));
            const double in = p.input.value_or(0);
            const double out = p.output.value_or(0);
            QStringList parts;
            auto part = [&](std::int64_t count, const QString &what, double rate) {
                if (count > 0)
                    parts << tr("%1 %2 × %3/M").arg(pricing::tokens(count), what, pricing::perMillion(rate));
            };
            part(c.uncached_input_tokens, tr("input"), in);
            part(c.cache_read_tokens, tr("cached"), p.cache_read.value_or(in));
            part(c.cache_write_tokens, tr("cache write"), p.cache_write.value_or(in));
            part(c.output_tokens, tr("output"), out);
            part(c.reasoning_tokens, tr("reasoning"), p.reasoning.value_or(out));
            text += QStringLiteral("<br>") + tr("Cost: <b>%1</b>").arg(pricing::usd(c.total_usd));
            if (!parts.isEmpty())
                text += QStringLiteral(" = ") + parts.join(QStringLiteral(" + "));
            if (c.tier_above_input_tokens > 0)
                text += QStringLiteral(" ")
                    + tr("(long-context tier: more than %1 input tokens)")
                          .arg(pricing::tokens(c.tier_above_input_tokens));
            text += QStringLiteral("<br>")
                + tr("Spans priced by this row record <code>%1</code>.")
                      .arg(QString::fromStdString(c.price_ref).toHtmlEscaped());
        }
        m_result->setText(text);
    }
    if (id != m_matchedId) {
        m_matchedId = id;
        Q_EMIT matchChanged(id);
    }
}

} // namespace agentops::ui
