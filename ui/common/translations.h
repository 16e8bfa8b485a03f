// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QLocale>
#include <QString>

namespace agentops::ui::translations {

/// A language the app's interface is translated into.
struct Language
{
    QString code; ///< "en", "de", "zh_CN", "ja"
    QString nativeName; ///< the language's name in itself: "Deutsch", "简体中文", "日本語"
};

/// Every language the app ships, English (the source language) first.
QList<Language> available();

/// The QSettings key of the language override; an empty value means "follow the system".
QString settingsKey();
/// The override stored in QSettings ("" when the system's language is used).
QString configuredLanguage();
void setConfiguredLanguage(const QString &code);

/// The language to show: @p override when it is one the app ships, otherwise the first of the
/// locale's UI languages that the app ships, otherwise English.
QString resolve(const QString &override, const QLocale &system = QLocale::system());

/// Installs the app's translation and Qt's own (dialog buttons, context menus) for @p code on the
/// running QCoreApplication, replacing any installed by an earlier call. English removes them.
/// Returns false, with the reason in @p error, when the app's translation cannot be loaded;
/// Qt's own translation is optional (Debian package qt6-translations-l10n).
bool install(const QString &code, QString *error = nullptr);

/// Resolves the stored override against the system locale and installs the result; returns the code.
QString installConfigured(QString *error = nullptr);

} // namespace agentops::ui::translations
