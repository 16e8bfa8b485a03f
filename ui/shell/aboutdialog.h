// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QList>
#include <QString>

class QTabWidget;

namespace agentops::ui {

/// Help ▸ About: the application icon, version, a link to the installed documentation, licence
/// (MIT, full text), build details (Qt at build and run time, compiler, build type, source commit)
/// and the open-source components with their licences.
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    struct Component
    {
        QString name;
        QString version; ///< as built against; empty when the build did not record it
        QString licence; ///< SPDX identifier(s)
        QString url;
    };

    explicit AboutDialog(QWidget *parent = nullptr);

    /// The open-source components the app is built from.
    static QList<Component> components();
    /// Build details as "label: value" lines (also offered for copying into a bug report).
    static QString buildDetails();
    /// The MIT licence text of the app.
    static QString licenceText();

    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    /// The documentation link was clicked (the window opens Help ▸ Documentation).
    void documentationRequested();

private:
    QTabWidget *m_tabs;
};

} // namespace agentops::ui
