// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace agentops::client {
class LocalBackend;
} // namespace agentops::client
namespace agentops::ui {
class MainWindow;
} // namespace agentops::ui

namespace agentops::desktop {

/// SIGTERM, SIGINT and SIGHUP close the windows (which saves their layout) and quit through the
/// event loop, so main() stops the embedded backend and everything it accepted is committed. The
/// handler only writes a byte to a socket pair; a QSocketNotifier on the other end does the work.
/// Call once, after the QApplication exists.
void quitOnTerminationSignals();

/// --smoke-test, run inside the event loop: sends one OTLP/JSON request to the embedded receiver
/// over loopback, checks that the span is stored and that the window's trace list shows it, prints
/// the result and exits the event loop with 0 (passed) or 1 (failed, with the reason on stderr).
void startSmokeTest(client::LocalBackend &backend, ui::MainWindow &window);

} // namespace agentops::desktop
