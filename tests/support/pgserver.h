// SPDX-License-Identifier: MIT
#pragma once
// A throwaway PostgreSQL 15 server for one test run: initdb into a temporary directory, started by
// pg_ctl listening only on a unix socket in another one, stopped and removed at the end. As root
// (CI), initdb, pg_ctl and postgres run as the postgres user through runuser. Header-only.

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace agentops::test {

class PgServer
{
public:
    /// Starts the server; throws std::runtime_error with the tools' output and the server log when
    /// it cannot. settings: more "-c name=value" options, after (so over) the defaults, which trade
    /// durability for speed (fsync off) as tests may; benchmarks set what a deployment would.
    explicit PgServer(std::string settings = {})
        : m_settings(std::move(settings))
    {
        const char *bin = std::getenv("AGENTOPS_PG_BINDIR");
        m_bin = bin && *bin ? bin : "/usr/lib/postgresql/15/bin";
        char pattern[] = "/tmp/agentops-pg-XXXXXX";
        if (!mkdtemp(pattern))
            throw std::runtime_error(std::string("PgServer: mkdtemp: ") + std::strerror(errno));
        m_base = pattern;
        try {
            m_data = m_base + "/data";
            m_socket = m_base + "/sock";
            m_log = m_base + "/server.log";
            std::filesystem::create_directory(m_socket);
            m_port = freePort();
            if (geteuid() == 0) {
                const passwd *pw = getpwnam("postgres");
                if (!pw)
                    fail("running as root, but there is no postgres user to run the server as", "");
                m_uid = pw->pw_uid;
                m_gid = pw->pw_gid;
                for (const auto &p : { m_base, m_socket })
                    if (chown(p.c_str(), m_uid, m_gid) != 0)
                        fail("chown " + p + ": " + std::strerror(errno), "");
            }
            std::string out;
            if (run({ m_bin + "/initdb", "-D", m_data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
                        "--no-sync" },
                    out)
                != 0)
                fail("initdb failed", out);
            start();
        } catch (...) {
            // Nothing of a server that did not come up stays behind.
            std::string ignored;
            run({ m_bin + "/pg_ctl", "-D", m_data, "-m", "immediate", "-w", "stop" }, ignored);
            std::error_code ec;
            std::filesystem::remove_all(m_base, ec);
            throw;
        }
    }

    ~PgServer()
    {
        try {
            stop();
        } catch (...) { }
        std::error_code ec;
        std::filesystem::remove_all(m_base, ec);
    }

    PgServer(const PgServer &) = delete;
    PgServer &operator=(const PgServer &) = delete;

    /// libpq connection string of the server's postgres database.
    std::string conninfo() const
    {
        return "host=" + m_socket + " port=" + std::to_string(m_port) + " user=postgres dbname=postgres";
    }

    /// The same as a postgresql:// URL, as `agentops-server --database` takes it, for database
    /// @p dbname.
    std::string url(const std::string &dbname = "postgres") const
    {
        return "postgresql:///" + dbname + "?host=" + m_socket + "&port=" + std::to_string(m_port) + "&user=postgres";
    }

    /// libpq connection string of the postgres database as `role`, made on first use: a role that
    /// logs in, may create schemas (and trusted extensions) in the database, and is no superuser, so
    /// row-level security binds it as it binds a server's role.
    std::string conninfoAs(const std::string &role)
    {
        std::string out;
        const std::string sql = "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role
            + "') THEN CREATE ROLE " + role + " LOGIN; END IF; END $$; GRANT CREATE ON DATABASE postgres TO " + role;
        if (run({ m_bin + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", m_socket, "-p", std::to_string(m_port),
                    "-U", "postgres", "-d", "postgres", "-c", sql },
                out)
            != 0)
            fail("cannot create role " + role, out);
        return "host=" + m_socket + " port=" + std::to_string(m_port) + " user=" + role + " dbname=postgres";
    }

    /// Makes `role` (conninfoAs) a member of the role content search reads its indexes with past
    /// row-level security (store/postgressearch.h, kSearchRole), as docs/deployment.md tells an
    /// administrator to; the search role is made when missing.
    void grantSearchRole(const std::string &role)
    {
        std::string out;
        const std::string sql = "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentops_search') "
                                "THEN CREATE ROLE agentops_search NOLOGIN BYPASSRLS; END IF; END $$; GRANT "
                                "agentops_search TO "
            + role;
        if (run({ m_bin + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", m_socket, "-p", std::to_string(m_port),
                    "-U", "postgres", "-d", "postgres", "-c", sql },
                out)
            != 0)
            fail("cannot grant the search role to " + role, out);
    }

    /// Starts the server (again); throws with the server log when it does not come up.
    void start()
    {
        std::string out;
        const std::string options = "-c listen_addresses='' -k " + m_socket + " -p " + std::to_string(m_port)
            + " -c fsync=off -c full_page_writes=off -c max_connections=200 " + m_settings;
        if (run({ m_bin + "/pg_ctl", "-D", m_data, "-l", m_log, "-w", "-t", "60", "-o", options, "start" }, out) != 0)
            fail("pg_ctl start failed", out);
        m_running = true;
    }

    /// Stops the server at once (pg_ctl stop -m immediate): connections break as in a crash.
    void stop()
    {
        if (!m_running)
            return;
        std::string out;
        run({ m_bin + "/pg_ctl", "-D", m_data, "-m", "immediate", "-w", "stop" }, out);
        m_running = false;
    }

    std::string log() const { return readFile(m_log); }

    /// The postmaster's process id (its children are the server's other processes), or -1.
    pid_t pid() const
    {
        std::ifstream in(m_data + "/postmaster.pid");
        long pid = -1;
        in >> pid;
        return in ? static_cast<pid_t>(pid) : -1;
    }

private:
    [[noreturn]] void fail(const std::string &what, const std::string &output) const
    {
        throw std::runtime_error(
            "PgServer: " + what + "\n--- output ---\n" + output + "\n--- server log ---\n" + readFile(m_log));
    }

    static std::string readFile(const std::string &path)
    {
        std::ifstream in(path);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    static int freePort()
    {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        int port = 55432;
        if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0
            && getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
            port = ntohs(addr.sin_port);
        if (fd >= 0)
            close(fd);
        return port;
    }

    /// Runs a tool (as the postgres user when root), its stdout and stderr into output; the exit code.
    int run(std::vector<std::string> args, std::string &output) const
    {
        if (geteuid() == 0)
            args.insert(args.begin(), { "runuser", "-u", "postgres", "--" });
        const std::string outFile = m_base + "/tool.out";
        const pid_t pid = fork();
        if (pid < 0)
            return -1;
        if (pid == 0) {
            std::FILE *f = std::fopen(outFile.c_str(), "w");
            if (f) {
                dup2(fileno(f), 1);
                dup2(fileno(f), 2);
            }
            std::vector<char *> argv;
            argv.reserve(args.size());
            for (auto &a : args)
                argv.push_back(a.data());
            argv.push_back(nullptr);
            execvp(argv[0], argv.data());
            std::fprintf(stderr, "cannot run %s: %s\n", argv[0], std::strerror(errno));
            _exit(127);
        }
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
        output = readFile(outFile);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    std::string m_settings;
    std::string m_bin;
    std::string m_base, m_data, m_socket, m_log;
    int m_port = 0;
    uid_t m_uid = 0;
    gid_t m_gid = 0;
    bool m_running = false;
};

} // namespace agentops::test
