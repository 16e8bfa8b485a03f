// SPDX-License-Identifier: MIT
#pragma once

#include "store/tracestore.h"

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

    /// At least as wide as the tab bar, so that every tab shows.
    QSize minimumSizeHint() const override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuildOverview();
    void renderEvents();
    const core::Span *span() const;

    QStackedWidget *m_stack;
    QLabel *m_empty;
    QTabWidget *m_tabs;
    QScrollArea *m_overview;
    PayloadView *m_payload;
    AttributeTable *m_attributes;
    QTextBrowser *m_events;
    AttributeTable *m_resource;
    std::shared_ptr<const store::TraceDetail> m_trace;
    int m_index = -1;
};

} // namespace agentops::ui
