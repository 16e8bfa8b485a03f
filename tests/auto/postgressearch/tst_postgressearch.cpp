// SPDX-License-Identifier: MIT
// PostgresStore's content search: the search suite (tests/auto/search) against a real PostgreSQL 15
// server this process starts.
#include "support/storebackend.h"

#include <QCoreApplication>

#include <cstdio>

int runSearchSuite(int argc, char **argv);

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    try {
        agentops::test::StoreBackend::server();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return runSearchSuite(argc, argv);
}
