// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"
#include "store/tracestore.h"

#include <QWidget>

#include <memory>
#include <optional>

class QAction;
class QLabel;
class QSettings;
class QSplitter;
class QToolButton;

namespace agentops::client {
class TraceSourceRunner;
}

namespace agentops::ui {

class WaterfallView;
class SpanDetailsView;

/// One trace: a header with its name and totals, the span waterfall and the selected span's
/// details side by side. Loads through the runner; a trace opened while another is still loading
/// wins.
class TraceViewPage : public QWidget
{
    Q_OBJECT

public:
    explicit TraceViewPage(client::TraceSourceRunner *runner, QWidget *parent = nullptr);

    /// Shows the trace; with a span, selects that span once it is loaded (else the first).
    void openTrace(const core::TraceId &id, std::optional<core::SpanId> span = std::nullopt);
    /// Loads the open trace again (spans may still be arriving), keeping the selected span.
    void refresh();
    /// refresh() when the open trace may still be receiving spans (recent and not huge).
    void refreshIfLive();
    std::optional<core::TraceId> traceId() const { return m_id; }
    std::shared_ptr<const store::TraceDetail> trace() const { return m_trace; }
    bool isLoading() const { return m_loading; }

    /// Selects a span by its position in trace()->spans.
    void setCurrentSpan(int index);
    int currentSpan() const;

    WaterfallView *waterfall() const { return m_waterfall; }
    SpanDetailsView *details() const { return m_details; }

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

    /// Back to the page the trace was opened from: Escape, Alt+Left, Backspace.
    QAction *backAction() const { return m_backAction; }

Q_SIGNALS:
    void backRequested();
    /// The requested trace is shown (or found missing).
    void traceLoaded();
    void loadFailed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void load(bool keepSpan);
    void showTrace(std::shared_ptr<const store::TraceDetail> trace, bool keepSpan);
    void showSpan(int index);
    void updateHeader();

    client::TraceSourceRunner *m_runner;
    QToolButton *m_back;
    QAction *m_backAction;
    QLabel *m_title;
    QLabel *m_facts;
    QSplitter *m_splitter;
    WaterfallView *m_waterfall = nullptr;
    SpanDetailsView *m_details = nullptr;
    std::optional<core::TraceId> m_id;
    std::optional<core::SpanId> m_openAt; ///< the span to select when the trace comes
    std::shared_ptr<const store::TraceDetail> m_trace;
    quint64 m_generation = 0;
    quint64 m_spanGeneration = 0; ///< drops details of a span the user has already left
    bool m_loading = false;
    bool m_splitterSized = false;
    QString m_error;
};

} // namespace agentops::ui
