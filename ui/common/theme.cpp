// SPDX-License-Identifier: MIT
#include "common/theme.h"

#include <QApplication>
#include <QCoreApplication>
#include <QPointer>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleFactory>

#include <cmath>

namespace agentops::ui::theme {

namespace {

struct State
{
    bool captured = false;
    QString systemStyle; ///< the style the platform chose, before any apply()
    Choice current = Choice::System;
    bool dark = false; ///< the last apply() gave a dark palette
    QPointer<QObject> watcher; ///< follows the desktop while System is chosen
};

State &state()
{
    static State s;
    return s;
}

void capture()
{
    State &s = state();
    if (s.captured)
        return;
    s.captured = true;
    s.systemStyle = QApplication::style() ? QApplication::style()->name() : QString();
}

void setStyle(const QString &name)
{
    if (QApplication::style() && QApplication::style()->name().compare(name, Qt::CaseInsensitive) == 0)
        return;
    if (QStyle *style = QStyleFactory::create(name))
        QApplication::setStyle(style);
}

void applyFusion(bool dark)
{
    setStyle(QStringLiteral("Fusion"));
    QApplication::setPalette(dark ? darkPalette() : lightPalette());
    state().dark = dark;
}

void applySystem()
{
    setStyle(state().systemStyle.isEmpty() ? QStringLiteral("Fusion") : state().systemStyle);
    // A palette with no role set resolves every role from the platform, and keeps following it
    // when the platform's palette changes.
    QApplication::setPalette(QPalette());
    if (!isDark(QApplication::palette()) && desktopPrefersDark())
        applyFusion(true);
    else
        state().dark = isDark(QApplication::palette());
}

/// While System is chosen, the desktop's colour scheme is read again whenever the app becomes
/// active: GNOME's setting has no signal Qt 6.4 would pass on.
void watchDesktop()
{
    State &s = state();
    if (s.watcher || !qApp)
        return;
    auto *watcher = new QObject(qApp);
    s.watcher = watcher;
    QObject::connect(qApp, &QGuiApplication::applicationStateChanged, watcher, [](Qt::ApplicationState appState) {
        if (appState != Qt::ApplicationActive || state().current != Choice::System)
            return;
        if (desktopPrefersDark() != state().dark)
            applySystem();
    });
}

double channel(double c)
{
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

QString keyOf(Choice choice)
{
    switch (choice) {
    case Choice::Light: return QStringLiteral("light");
    case Choice::Dark: return QStringLiteral("dark");
    case Choice::System: break;
    }
    return QStringLiteral("system");
}

} // namespace

QString name(Choice choice)
{
    switch (choice) {
    case Choice::Light: return QCoreApplication::translate("Theme", "Light");
    case Choice::Dark: return QCoreApplication::translate("Theme", "Dark");
    case Choice::System: break;
    }
    return QCoreApplication::translate("Theme", "System");
}

QString settingsKey()
{
    return QStringLiteral("ui/theme");
}

Choice configured()
{
    const QString value = QSettings().value(settingsKey()).toString();
    for (Choice choice : Choices)
        if (value == keyOf(choice))
            return choice;
    return Choice::System;
}

void setConfigured(Choice choice)
{
    QSettings settings;
    if (choice == Choice::System)
        settings.remove(settingsKey());
    else
        settings.setValue(settingsKey(), keyOf(choice));
}

void apply(Choice choice)
{
    capture();
    state().current = choice;
    switch (choice) {
    case Choice::System:
        applySystem();
        watchDesktop();
        break;
    case Choice::Light: applyFusion(false); break;
    case Choice::Dark: applyFusion(true); break;
    }
}

void applyConfigured()
{
    apply(configured());
}

Choice current()
{
    return state().current;
}

bool desktopPrefersDark()
{
    // GTK's own override names the variant after a colon: "Adwaita:dark".
    const QString gtkTheme = qEnvironmentVariable("GTK_THEME");
    if (gtkTheme.endsWith(QLatin1String(":dark"), Qt::CaseInsensitive))
        return true;
    const QString gsettings = QStandardPaths::findExecutable(QStringLiteral("gsettings"));
    if (gsettings.isEmpty())
        return false;
    QProcess process;
    process.start(gsettings,
        { QStringLiteral("get"), QStringLiteral("org.gnome.desktop.interface"), QStringLiteral("color-scheme") });
    // A desktop without the schema, or without a settings service, answers fast or not at all.
    if (!process.waitForFinished(1000)) {
        process.kill();
        process.waitForFinished(100);
        return false;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return false;
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed() == QLatin1String("'prefer-dark'");
}

QPalette lightPalette()
{
    QPalette p;
    const QColor window(0xef, 0xef, 0xef), text(0x1a, 0x1a, 0x1a);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf5, 0xf5, 0xf7));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x22, 0x70, 0xb8)); // white text on it at 5:1
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xdc));
    p.setColor(QPalette::ToolTipText, Qt::black);
    p.setColor(QPalette::Link, QColor(0x1a, 0x5f, 0xb4));
    p.setColor(QPalette::LinkVisited, QColor(0x6a, 0x3d, 0xa8));
    p.setColor(QPalette::PlaceholderText, QColor(0x6b, 0x6b, 0x6b));
    p.setColor(QPalette::Light, Qt::white);
    p.setColor(QPalette::Midlight, QColor(0xe3, 0xe3, 0xe3));
    p.setColor(QPalette::Mid, QColor(0xb8, 0xb8, 0xb8));
    p.setColor(QPalette::Dark, QColor(0x9f, 0x9f, 0x9f));
    p.setColor(QPalette::Shadow, QColor(0x76, 0x76, 0x76));
    for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, QColor(0x8c, 0x8c, 0x8c));
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x91, 0x91, 0x91));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2e), base(0x1e, 0x1e, 0x20), text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x29));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x39));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x2a, 0x70, 0xb8)); // white text on it at 5:1
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x39));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Link, QColor(0x7a, 0xb8, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xc0, 0x9c, 0xff));
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9e));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4a, 0x4f));
    p.setColor(QPalette::Midlight, QColor(0x3c, 0x3c, 0x41));
    p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x5a));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x1a));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0c, 0x0d));
    for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x84));
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    p.setColor(QPalette::Disabled, QPalette::Button, window);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x50, 0x50, 0x55));
    return p;
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

double relativeLuminance(const QColor &color)
{
    const QColor c = color.toRgb();
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a), lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor over(const QColor &color, const QColor &background)
{
    return mix(QColor(color.red(), color.green(), color.blue()), background, color.alphaF());
}

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    const QColor x = a.toRgb(), y = b.toRgb();
    return QColor::fromRgbF(float(x.redF() * t + y.redF() * (1 - t)), float(x.greenF() * t + y.greenF() * (1 - t)),
        float(x.blueF() * t + y.blueF() * (1 - t)));
}

QColor readable(const QColor &color, const QColor &background, double ratio)
{
    // Towards black on a light background, towards white on a dark one, in small steps: the first
    // step that reads keeps as much of the colour as possible.
    const QColor target = relativeLuminance(background) > 0.18 ? QColor(Qt::black) : QColor(Qt::white);
    for (int step = 0; step <= 40; ++step) {
        const QColor c = mix(color, target, 1.0 - step / 40.0);
        if (contrastRatio(c, background) >= ratio)
            return c;
    }
    return target;
}

namespace {
/// @p color readable on both the Base and the Window of @p palette.
QColor readableOn(const QPalette &palette, const QColor &color, double ratio)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor window = palette.color(QPalette::Window);
    // The background it contrasts least with decides.
    const QColor &worse = contrastRatio(color, base) < contrastRatio(color, window) ? base : window;
    const QColor c = readable(color, worse, ratio);
    const QColor &other = &worse == &base ? window : base;
    return contrastRatio(c, other) >= ratio ? c : readable(c, other, ratio);
}
} // namespace

QColor mutedText(const QPalette &palette)
{
    return readableOn(palette, mix(palette.color(QPalette::Text), palette.color(QPalette::Base), 0.62), 4.5);
}

QColor errorText(const QPalette &palette)
{
    return readableOn(palette, isDark(palette) ? QColor(0xff, 0x7b, 0x7b) : QColor(0xc6, 0x28, 0x28), 4.5);
}

QColor errorTint(const QPalette &palette)
{
    return mix(errorMark(palette), palette.color(QPalette::Base), isDark(palette) ? 0.16 : 0.09);
}

QColor successMark(const QPalette &palette)
{
    return readableOn(palette, isDark(palette) ? QColor(0x4a, 0xc2, 0x7d) : QColor(0x2e, 0x9a, 0x5c), 3.0);
}

QColor errorMark(const QPalette &palette)
{
    return readableOn(palette, isDark(palette) ? QColor(0xf8, 0x71, 0x71) : QColor(0xd9, 0x3f, 0x3f), 3.0);
}

QColor neutralMark(const QPalette &palette)
{
    return readableOn(palette, mix(palette.color(QPalette::Text), palette.color(QPalette::Base), 0.45), 3.0);
}

QColor warningText(const QPalette &palette)
{
    return readableOn(palette, isDark(palette) ? QColor(0xfb, 0xbf, 0x24) : QColor(0x9a, 0x60, 0x00), 4.5);
}

} // namespace agentops::ui::theme
