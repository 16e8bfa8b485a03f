// SPDX-License-Identifier: MIT
#pragma once

#include "store/tracestore.h"

#include <QStringList>
#include <QWidget>

#include <memory>

class QLabel;
class QScrollArea;
class QStackedWidget;
class QTabWidget;
class QTextBrowser;

namespace agentops::ui {

class AttributeTable;
class PayloadView;

/// Everything about one span, in tabs: an overview (timing, model, tokens, cost, ids), the
/// conversation or tool arguments and result, attributes, events (exceptions with their stack
/// traces) and the resource.
class SpanDetailsView : public QWidget
{
    Q_OBJECT
public:
    enum Tabs { OverviewTab, PayloadTab, AttributesTab, EventsTab, ResourceTab, NUM_TABS };

    explicit SpanDetailsView(QWidget *parent = nullptr);
    ~SpanDetailsView() override;

    void setSpan(
        std::shared_ptr<const store::TraceDetail> trace, int index); // index into trace->spans; -1 or nullptr clears

    QTabWidget *tabs() const { return m_tabs; }
    PayloadView *payloadView() const { return m_payload; }
    AttributeTable *attributeTable() const { return m_attributes; }
    AttributeTable *resourceTable() const { return m_resource; }
    QTextBrowser *eventsView() const { return m_events; }

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// A tab's title, and its tooltip for when the title is cut short.
    void setTabTitle(int tab, const QString &title);
    /// The titles whole when the tab bar has room for them, else the widest cut short first.
    void fitTabTitles();
    void rebuildOverview();
    void renderEvents();
    const core::Span *span() const;

    QStackedWidget *m_stack;
    QLabel *m_empty;
    QTabWidget *m_tabs;
    QStringList m_titles; ///< the tabs' titles whole
    QScrollArea *m_overview;
    PayloadView *m_payload;
    AttributeTable *m_attributes;
    QTextBrowser *m_events;
    AttributeTable *m_resource;
    std::shared_ptr<const store::TraceDetail> m_trace;
    int m_index = -1;
};

} // namespace agentops::ui
