// SPDX-License-Identifier: MIT
#include "common/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QPointer>
#include <QSettings>
#include <QTranslator>

namespace agentops::ui::translations {

namespace {

// Owned by the application object; QPointer because the application may be destroyed and
// re-created (tests).
QPointer<QTranslator> s_app;
QPointer<QTranslator> s_qt;

void removeInstalled()
{
    for (QPointer<QTranslator> *t : { &s_app, &s_qt }) {
        if (*t) {
            QCoreApplication::removeTranslator(*t);
            delete t->data();
        }
        *t = nullptr;
    }
}

} // namespace

QList<Language> available()
{
    return {
        { QStringLiteral("en"), QStringLiteral("English") },
        { QStringLiteral("de"), QStringLiteral("Deutsch") },
        { QStringLiteral("zh_CN"), QStringLiteral("简体中文") },
        { QStringLiteral("ja"), QStringLiteral("日本語") },
    };
}

QString settingsKey()
{
    return QStringLiteral("ui/language");
}

QString configuredLanguage()
{
    return QSettings().value(settingsKey()).toString();
}

void setConfiguredLanguage(const QString &code)
{
    QSettings settings;
    if (code.isEmpty())
        settings.remove(settingsKey());
    else
        settings.setValue(settingsKey(), code);
}

QString resolve(const QString &override, const QLocale &system)
{
    const QList<Language> languages = available();
    for (const Language &l : languages) {
        if (l.code == override)
            return l.code;
    }
    // uiLanguages() lists e.g. "zh-Hans-CN", "zh-CN", "zh" or "de-AT", "de": most specific first. A
    // shipped language matches on language and script, so Traditional Chinese does not get
    // Simplified and falls through to the next language the user reads.
    const QStringList wanted = system.uiLanguages();
    for (const QString &tag : wanted) {
        const QLocale locale(tag);
        if (locale.language() == QLocale::C || locale.language() == QLocale::AnyLanguage)
            continue;
        for (const Language &l : languages) {
            const QLocale shipped(l.code);
            if (shipped.language() == locale.language() && shipped.script() == locale.script())
                return l.code;
        }
    }
    return QStringLiteral("en");
}

bool install(const QString &code, QString *error)
{
    removeInstalled();
    if (code == QLatin1String("en"))
        return true;
    bool known = false;
    const QList<Language> languages = available();
    for (const Language &l : languages)
        known = known || l.code == code;
    if (!known) {
        if (error)
            *error = QStringLiteral("No translation for the language \"%1\".").arg(code);
        return false;
    }

    auto *app = new QTranslator(QCoreApplication::instance());
    const QString appFile = QStringLiteral(":/i18n/agentops_%1.qm").arg(code);
    if (!app->load(appFile)) {
        delete app;
        if (error)
            *error = QStringLiteral("Cannot load the translation %1.").arg(appFile);
        return false;
    }
    QCoreApplication::installTranslator(app);
    s_app = app;

    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(QStringLiteral("qtbase_") + code, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        s_qt = qt;
    } else {
        delete qt;
    }
    return true;
}

QString installConfigured(QString *error)
{
    QString code = resolve(configuredLanguage());
    if (!install(code, error))
        return QStringLiteral("en");
    return code;
}

} // namespace agentops::ui::translations
