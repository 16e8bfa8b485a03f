// SPDX-License-Identifier: MIT
// PostgresAuthStore: the authstore suite (tests/auto/authstore) against a real PostgreSQL 15 server
// the suite starts itself.
#include <QCoreApplication>

int runAuthStoreSuite(int argc, char **argv);

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    return runAuthStoreSuite(argc, argv);
}
