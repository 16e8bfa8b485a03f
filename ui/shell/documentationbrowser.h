// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QString>
#include <QStringList>
#include <QUrl>

class QLabel;
class QTextBrowser;
class QToolButton;

namespace agentops::ui {

/// Help ▸ Documentation: the user documentation (README.md and docs/*.md), rendered in the app so
/// it opens on any desktop, links between the pages followed in place and web links opened in the
/// browser. The documents are the ones the package installs under share/doc/agentops-monitor, or
/// the source tree's when the app runs from its build directory.
class DocumentationBrowser : public QDialog
{
    Q_OBJECT

public:
    explicit DocumentationBrowser(QWidget *parent = nullptr);

    /// Where the README is looked for, in order: next to the installed program
    /// (<prefix>/share/doc/agentops-monitor), the install prefix the build was configured with, and
    /// the source tree the program was built from.
    static QStringList searchPaths();
    /// The first README.md of searchPaths() that exists; empty when none does.
    static QString readmePath();

    /// Shows a document (a file URL); false when it cannot be read.
    bool open(const QUrl &url);
    QUrl source() const;
    QTextBrowser *browser() const { return m_browser; }

private:
    void updateLocation();

    QTextBrowser *m_browser;
    QToolButton *m_back;
    QToolButton *m_forward;
    QToolButton *m_home;
    QLabel *m_location;
    QUrl m_homeUrl;
};

} // namespace agentops::ui
