// SPDX-License-Identifier: MIT
// What the reader before streaming (tracefile.cpp at 644a983, bench_import_old) took from headers
// whose names have changed since: included ahead of it, so that old file compiles as it was.
#pragma once

#include "core/spanjson.h"
#include "ingest/decode.h"

namespace agentops::ingest {
using FatalError = DecodeError;
} // namespace agentops::ingest
