// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentops::server {

/// Which browser origins may call the API, and the CORS response headers that say so.
///
/// Origins are configured as scheme://host[:port] (http or https; a trailing "/" is tolerated) and
/// matched exactly on scheme, host and port, the scheme and host case-insensitively, with a default
/// port (80, 443) the same as none. "*" allows every origin but only without credentials, and is
/// then answered as "*", never by echoing the origin. An empty list turns CORS off: no CORS headers
/// at all, and every preflight is refused.
class CorsPolicy
{
public:
    using Headers = std::vector<std::pair<std::string, std::string>>;

    struct Options
    {
        std::vector<std::string> origins;
        /// Cookies / Authorization may be sent by the browser (Access-Control-Allow-Credentials).
        bool allow_credentials = false;
        int max_age_seconds = 600;
        std::vector<std::string> methods = { "GET", "POST", "PUT", "PATCH", "DELETE" };
        /// Request headers allowed besides Authorization, Content-Type, Content-Encoding, x-api-key.
        std::vector<std::string> extra_headers;
    };

    CorsPolicy() = default; ///< off
    /// Throws std::invalid_argument naming the bad origin, or "*" combined with credentials.
    explicit CorsPolicy(const Options &options);

    bool enabled() const { return m_any || !m_origins.empty(); }
    /// Is the origin (as the Origin request header gives it) allowed?
    bool allows(std::string_view origin) const;

    /// Headers for an ordinary (non-preflight) request carrying Origin: Access-Control-Allow-Origin,
    /// Vary, Allow-Credentials when configured, Expose-Headers. Only Vary: Origin when the origin is
    /// not allowed; nothing when CORS is off or there is no Origin.
    Headers forRequest(std::string_view origin) const;

    /// Is this request a preflight (OPTIONS with Origin and Access-Control-Request-Method)?
    static bool isPreflight(std::string_view method, std::string_view origin, std::string_view requestMethod);

    struct Preflight
    {
        bool allowed = false;
        std::string reason; ///< why not, naming the origin, method or header
        Headers headers; ///< to send with the answer (204 when allowed, 403 when not)
    };
    /// requestHeaders: the Access-Control-Request-Headers value (comma-separated, any case).
    Preflight preflight(std::string_view origin, std::string_view requestMethod, std::string_view requestHeaders) const;

private:
    struct Origin
    {
        std::string scheme, host;
        int port = 0;
        bool operator==(const Origin &) const = default;
    };
    static bool parse(std::string_view text, Origin &out, std::string &why);

    bool m_any = false;
    bool m_credentials = false;
    int m_maxAge = 600;
    std::vector<Origin> m_origins;
    std::vector<std::string> m_methods; ///< upper case
    std::vector<std::string> m_headers; ///< lower case
    std::string m_allowMethods; ///< "GET, POST, ..."
};

} // namespace agentops::server
