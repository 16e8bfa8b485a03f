// SPDX-License-Identifier: MIT
// PostgresStore::metrics, reprice and retention: the metrics suite (tests/auto/metrics) against a
// real PostgreSQL 15 server this process starts.
#include "support/storebackend.h"

#include <QCoreApplication>
#include <QtTest>

#include <cstdio>

int runMetricsSuite(int argc, char **argv);

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    try {
        agentops::test::StoreBackend::server();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return runMetricsSuite(argc, argv);
}
