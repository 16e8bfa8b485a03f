// SPDX-License-Identifier: MIT
#pragma once

#include <QSortFilterProxyModel>

#include <cstdint>
#include <vector>

namespace agentops::ui {

class WaterfallModel;

/// Search over a WaterfallModel: keeps the spans whose name, kind, model, tool, agent, service or
/// status message contains the text, and their ancestors, so matches stay in context.
///
/// Matching runs once over the flat span arrays when the text changes; filterAcceptsRow then only
/// reads a flag, which keeps recursive filtering cheap on a million spans.
class WaterfallFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit WaterfallFilterModel(QObject *parent = nullptr);

    void setWaterfallModel(WaterfallModel *model);
    WaterfallModel *waterfallModel() const { return m_model; }

    void setSearchText(const QString &text);
    QString searchText() const { return m_text; }
    /// Spans that match, in tree order.
    const std::vector<int> &matches() const { return m_matches; }
    bool isMatch(int span) const;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void recompute();

    WaterfallModel *m_model = nullptr;
    QString m_text;
    std::vector<int> m_matches;
    /// 1: the span matches; 2: a descendant does.
    std::vector<std::uint8_t> m_state;
};

} // namespace agentops::ui
