// SPDX-License-Identifier: MIT
#pragma once

#include "compare/stepdiffmodel.h"

#include <QWidget>

class QAction;
class QLabel;
class QPushButton;
class QSplitter;
class QTableView;
class QTextBrowser;
class QToolButton;

namespace agentops::client {
class TraceSourceRunner;
}

namespace agentops::ui {

/// Two runs side by side: a summary (Δ tokens, cost, latency, steps added and removed, the first
/// divergence), the aligned steps with changed, added and removed ones tinted, and the word diff of
/// the selected pair's input and output. Each run is read through its own source; the comparison
/// and the text diffs are computed on the runner's worker threads, never on the GUI thread.
class ComparePage : public QWidget
{
    Q_OBJECT

public:
    explicit ComparePage(client::TraceSourceRunner *runner, QWidget *parent = nullptr);

    void compare(CompareRun a, CompareRun b);
    bool isLoading() const { return m_loading; }

    StepDiffModel *model() const { return m_model; }
    QTableView *stepView() const { return m_view; }
    QTextBrowser *textView() const { return m_text; }
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *titleLabel() const { return m_title; }
    QAction *backAction() const { return m_backAction; }
    /// Selects the first pair that is not the same in both runs.
    void showFirstDivergence();

Q_SIGNALS:
    void backRequested();
    /// A comparison is shown (after compare()).
    void compared();
    void compareFailed(const QString &message);
    /// The word diff of the selected pair is shown.
    void pairTextShown();

protected:
    void changeEvent(QEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;

private:
    void showResult(std::shared_ptr<const CompareResult> result);
    void showPair(int row);
    void showPairText(const diff::PairText &text);
    void updateSummary();
    void renderText();
    /// The status and message of both sides of a pair, when they differ or one side has no step.
    QString statusSection(const diff::StepPair &pair) const;
    void fitColumns();

    client::TraceSourceRunner *m_runner;
    StepDiffModel *m_model;
    QToolButton *m_back;
    QAction *m_backAction;
    QLabel *m_title;
    QLabel *m_summary;
    QPushButton *m_firstDivergence;
    QSplitter *m_splitter;
    QTableView *m_view;
    QTextBrowser *m_text;
    CompareRun m_a, m_b;
    quint64 m_generation = 0;
    quint64 m_textGeneration = 0;
    bool m_loading = false;
    std::optional<diff::PairText> m_pairText;
    int m_pairRow = -1;
};

} // namespace agentops::ui
