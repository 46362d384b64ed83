// cksctl's tables are core's (core/text_table.h), shared with `cks-hub admin`; these names
// keep the agent's callers unchanged.
#pragma once

#include "core/text_table.h"

namespace cks::agent {

using cks::displayWidth;
using cks::TextTable;

}  // namespace cks::agent
