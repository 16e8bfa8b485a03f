// SPDX-License-Identifier: MIT
#pragma once

#include "store/tracestore.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QMimeData;
class QWidget;

namespace agentops::ui {

/// Writes traces in the app's own export format (OTLP/JSON lines, one request per trace), which
/// any OTLP tool and this app's import read back. On failure: false, the reason in error, and a
/// message box over parent when parent is given.
bool exportTraces(QWidget *parent, const std::vector<std::shared_ptr<const store::TraceDetail>> &traces,
    const QString &path, QString *error = nullptr);

/// File name patterns of trace files, for file dialogs ("*.json *.jsonl ...").
QStringList traceFilePatterns();

/// True when a drag carries at least one local file that looks like a trace file.
bool isTraceFile(const QMimeData *mime);
/// The local trace files a drag carries.
QStringList traceFilesFrom(const QMimeData *mime);

} // namespace agentops::ui
