// SPDX-License-Identifier: MIT
#include "store/tracedelta.h"

namespace agentops::store {

std::string mergeSets(std::string_view a, std::string_view b)
{
    std::set<std::string_view> items;
    forEachSetItem(a, [&](std::string_view item) { items.insert(item); });
    forEachSetItem(b, [&](std::string_view item) { items.insert(item); });
    std::string out;
    joinSet(out, items);
    return out;
}

} // namespace agentops::store
