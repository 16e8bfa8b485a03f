// SPDX-License-Identifier: MIT
#include "core/text.h"

#include <algorithm>

namespace agentops::core {

std::string asciiLower(std::string_view text)
{
    std::string out(text);
    std::ranges::transform(out, out.begin(), asciiLowerChar);
    return out;
}

std::string asciiUpper(std::string_view text)
{
    std::string out(text);
    std::ranges::transform(out, out.begin(), asciiUpperChar);
    return out;
}

} // namespace agentops::core
