// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

namespace agentops::ui::theme {

/// The colour theme the user chose in Settings. System follows the desktop: the platform's own
/// style and palette, or the dark palette when the desktop asks for dark and the platform palette
/// does not (Qt 6.4 has no colour-scheme hint of its own). Light and Dark use the Fusion style with
/// the app's own palette, the same on every desktop.
enum class Choice { System, Light, Dark };

/// Every choice, in the order Settings lists them.
inline constexpr Choice Choices[] = { Choice::System, Choice::Light, Choice::Dark };

/// "System", "Light", "Dark", for people.
QString name(Choice choice);

/// The QSettings key of the choice ("system", "light" or "dark"; absent means System).
QString settingsKey();
Choice configured();
void setConfigured(Choice choice);

/// Applies @p choice to the running application at once: style, palette, and with them every
/// widget (custom-painted ones repaint on the PaletteChange they receive). The first call remembers
/// the platform's own style, which System returns to.
void apply(Choice choice);
/// apply(configured()).
void applyConfigured();
/// The choice applied last (System before any apply()).
Choice current();

/// Whether the desktop asks for dark colours although the platform palette is light: GNOME's
/// colour scheme (org.gnome.desktop.interface color-scheme "prefer-dark", read with gsettings) or a
/// dark GTK theme (GTK_THEME="Adwaita:dark", or gtk-theme naming a "-dark" variant).
bool desktopPrefersDark();

/// The palettes of Light and Dark.
QPalette lightPalette();
QPalette darkPalette();

/// A palette whose base (the background of lists and views) is dark.
bool isDark(const QPalette &palette);

/// WCAG 2 relative luminance (0 black … 1 white) and contrast ratio (1 … 21) of two opaque colours.
double relativeLuminance(const QColor &color);
double contrastRatio(const QColor &a, const QColor &b);
/// @p color composited over @p background (for translucent fills).
QColor over(const QColor &color, const QColor &background);
/// a·t + b·(1−t), channel by channel.
QColor mix(const QColor &a, const QColor &b, qreal t);
/// @p color, darkened on a light background or lightened on a dark one (keeping its hue) until its
/// contrast with @p background reaches @p ratio: WCAG asks 4.5 for text and 3 for bars and icons.
QColor readable(const QColor &color, const QColor &background, double ratio = 4.5);

/// Colours with a meaning, derived from the palette so that they read on its Base and Window.
/// Secondary text (captions, labels of figures, ids): between Text and Base, at 4.5:1 at least.
QColor mutedText(const QPalette &palette);
/// Errors: text at 4.5:1, and the faint tint of a failed row's background.
QColor errorText(const QPalette &palette);
QColor errorTint(const QPalette &palette);
/// Status dots and marks (3:1): success green, error red, neutral grey.
QColor successMark(const QPalette &palette);
QColor errorMark(const QPalette &palette);
QColor neutralMark(const QPalette &palette);
/// Warnings in text (4.5:1): amber.
QColor warningText(const QPalette &palette);

} // namespace agentops::ui::theme
