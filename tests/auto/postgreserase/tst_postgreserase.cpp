// SPDX-License-Identifier: MIT
// The erasure suite (tests/auto/erase/tst_erase.cpp) runs against PostgresStore; its main() is there.
// This file names the unit for the test layout (tests/auto/<unit>/tst_<unit>.cpp).
