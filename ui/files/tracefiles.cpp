// SPDX-License-Identifier: MIT
#include "tracefiles.h"

#include "ingest/tracefile.h"

#include <QApplication>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeData>
#include <QUrl>

namespace agentops::ui {

namespace {

const char *const kExtensions[] = { "json", "jsonl", "ndjson", "otlp", "pb", "binpb", "protobuf" };

bool hasTraceExtension(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    for (const char *ext : kExtensions)
        if (suffix == QLatin1String(ext))
            return true;
    return false;
}

} // namespace

bool exportTraces(QWidget *parent, const std::vector<std::shared_ptr<const store::TraceDetail>> &traces,
    const QString &path, QString *error)
{
    std::vector<std::vector<core::Span>> spans;
    spans.reserve(traces.size());
    for (const auto &t : traces)
        if (t)
            spans.push_back(t->slim() ? t->table.spans(t->summary.trace_id) : t->spans);
    if (parent)
        QApplication::setOverrideCursor(Qt::WaitCursor);
    std::string why;
    const bool ok = ingest::writeTraceFile(QFile::encodeName(path).toStdString(), spans, why);
    if (parent)
        QApplication::restoreOverrideCursor();
    if (ok)
        return true;
    const QString message = QString::fromStdString(why);
    if (error)
        *error = message;
    if (parent)
        QMessageBox::critical(parent, QApplication::translate("TraceFiles", "Export Failed"),
            QApplication::translate("TraceFiles", "Could not export to %1:\n%2").arg(path, message));
    return false;
}

QStringList traceFilePatterns()
{
    QStringList out;
    for (const char *ext : kExtensions)
        out << QStringLiteral("*.") + QLatin1String(ext);
    return out;
}

bool isTraceFile(const QMimeData *mime)
{
    return !traceFilesFrom(mime).isEmpty();
}

QStringList traceFilesFrom(const QMimeData *mime)
{
    QStringList out;
    if (!mime || !mime->hasUrls())
        return out;
    const QList<QUrl> urls = mime->urls();
    for (const QUrl &url : urls) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        if (hasTraceExtension(path) && QFileInfo(path).isFile())
            out << path;
    }
    return out;
}

} // namespace agentops::ui
