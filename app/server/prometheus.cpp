// SPDX-License-Identifier: MIT
#include "server/prometheus.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <mutex>
#include <stdexcept>

namespace agentops::server::prom {

namespace {

bool validName(const std::string &n, bool allowColon)
{
    if (n.empty())
        return false;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const char c = n[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allowColon && c == ':')
            || (i > 0 && c >= '0' && c <= '9');
        if (!ok)
            return false;
    }
    return true;
}

std::string escapeHelp(const std::string &v)
{
    std::string out;
    out.reserve(v.size());
    for (const char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out.push_back(c);
    }
    return out;
}

const char *typeName(Registry::Type t)
{
    switch (t) {
    case Registry::Type::Counter: return "counter";
    case Registry::Type::Gauge: return "gauge";
    case Registry::Type::Histogram: return "histogram";
    }
    return "untyped";
}

/// Sorted by name; throws on a bad or repeated label name.
Labels normalized(const std::string &metric, Labels labels, bool histogram)
{
    std::sort(labels.begin(), labels.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const std::string &n = labels[i].first;
        if (!validName(n, false) || n.starts_with("__"))
            // NOLINTNEXTLINE(performance-inefficient-string-concatenation): once, as it throws
            throw std::invalid_argument("metric " + metric + ": invalid label name \"" + n + "\"");
        if (histogram && n == "le")
            throw std::invalid_argument("metric " + metric + ": a histogram cannot have a label named le");
        if (i > 0 && labels[i - 1].first == n)
            // NOLINTNEXTLINE(performance-inefficient-string-concatenation): once, as it throws
            throw std::invalid_argument("metric " + metric + ": label " + n + " given twice");
    }
    return labels;
}

/// {a="x",b="y"} plus an optional extra label last (le); empty when there are no labels.
void appendLabels(
    std::string &out, const Labels &labels, const char *extraName = nullptr, const std::string &extra = {})
{
    if (labels.empty() && !extraName)
        return;
    out.push_back('{');
    bool first = true;
    for (const auto &[k, v] : labels) {
        if (!first)
            out.push_back(',');
        first = false;
        out += k;
        out += "=\"";
        out += escapeLabelValue(v);
        out.push_back('"');
    }
    if (extraName) {
        if (!first)
            out.push_back(',');
        out += extraName;
        out += "=\"";
        out += extra;
        out.push_back('"');
    }
    out.push_back('}');
}

void appendSample(std::string &out, const std::string &name, const Labels &labels, double value,
    const char *extraName = nullptr, const std::string &extra = {})
{
    out += name;
    appendLabels(out, labels, extraName, extra);
    out.push_back(' ');
    out += formatValue(value);
    out.push_back('\n');
}

std::string labelKey(const Labels &labels)
{
    std::string k;
    appendLabels(k, labels);
    return k;
}

} // namespace

void Counter::add(double v)
{
    if (v > 0 && std::isfinite(v))
        m_fraction.fetch_add(v, std::memory_order_relaxed);
}

double Counter::value() const
{
    return static_cast<double>(m_whole.load(std::memory_order_relaxed)) + m_fraction.load(std::memory_order_relaxed);
}

Histogram::Histogram(std::vector<double> upperBounds)
    : m_bounds(std::move(upperBounds))
    , m_counts(new std::atomic<std::uint64_t>[m_bounds.size() + 1])
{
    for (std::size_t i = 0; i <= m_bounds.size(); ++i)
        m_counts[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v)
{
    if (std::isnan(v))
        return;
    const auto i = static_cast<std::size_t>(std::lower_bound(m_bounds.begin(), m_bounds.end(), v) - m_bounds.begin());
    m_counts[i].fetch_add(1, std::memory_order_relaxed);
    m_sum.fetch_add(v, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulativeCounts() const
{
    std::vector<std::uint64_t> out(m_bounds.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= m_bounds.size(); ++i) {
        running += m_counts[i].load(std::memory_order_relaxed);
        out[i] = running;
    }
    return out;
}

std::string escapeLabelValue(const std::string &v)
{
    std::string out;
    out.reserve(v.size());
    for (const char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out.push_back(c);
    }
    return out;
}

std::string formatValue(double v)
{
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    char buf[32];
    // Whole numbers (counts) as integers: "800000" rather than the shorter "8e+05".
    if (v == std::trunc(v) && std::abs(v) < 9007199254740992.0) {
        const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(v));
        return std::string(buf, r.ptr);
    }
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::vector<double> Registry::defaultLatencyBuckets()
{
    return { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
}

Registry::Series &Registry::series(const std::string &name, const std::string &help, Type type, const Labels &labels,
    const std::vector<double> *bounds)
{
    const Labels sorted = normalized(name, labels, type == Type::Histogram);
    const std::string key = labelKey(sorted);
    {
        std::shared_lock lock(m_mutex);
        auto f = m_families.find(name);
        if (f != m_families.end() && f->second.type == type && !f->second.collect && f->second.help == help
            && (!bounds || f->second.bounds == *bounds)) {
            auto s = f->second.series.find(key);
            if (s != f->second.series.end())
                return s->second;
        }
    }
    if (!validName(name, true))
        throw std::invalid_argument("metric name \"" + name + "\": must match [a-zA-Z_:][a-zA-Z0-9_:]*");
    if (bounds) {
        for (std::size_t i = 0; i < bounds->size(); ++i) {
            if (!std::isfinite((*bounds)[i]) || (i > 0 && (*bounds)[i] <= (*bounds)[i - 1]))
                throw std::invalid_argument(
                    "metric " + name + ": bucket bounds must be finite and strictly increasing");
        }
    }
    std::unique_lock lock(m_mutex);
    auto [f, created] = m_families.try_emplace(name);
    Family &fam = f->second;
    if (created) {
        fam.type = type;
        fam.help = help;
        if (bounds)
            fam.bounds = *bounds;
    } else if (fam.type != type || fam.collect) {
        throw std::invalid_argument("metric " + name + ": already registered as another kind of metric");
    } else if (fam.help != help) {
        throw std::invalid_argument("metric " + name + ": already registered with another help text");
    } else if (bounds && fam.bounds != *bounds) {
        throw std::invalid_argument("metric " + name + ": already registered with other buckets");
    }
    auto [s, fresh] = fam.series.try_emplace(key);
    if (fresh) {
        s->second.labels = sorted;
        switch (type) {
        case Type::Counter: s->second.counter = std::make_unique<Counter>(); break;
        case Type::Gauge: s->second.gauge = std::make_unique<Gauge>(); break;
        case Type::Histogram: s->second.histogram = std::make_unique<Histogram>(fam.bounds); break;
        }
    }
    return s->second;
}

Counter &Registry::counter(const std::string &name, const std::string &help, const Labels &labels)
{
    return *series(name, help, Type::Counter, labels, nullptr).counter;
}

Gauge &Registry::gauge(const std::string &name, const std::string &help, const Labels &labels)
{
    return *series(name, help, Type::Gauge, labels, nullptr).gauge;
}

Histogram &Registry::histogram(
    const std::string &name, const std::string &help, const std::vector<double> &upperBounds, const Labels &labels)
{
    return *series(name, help, Type::Histogram, labels, &upperBounds).histogram;
}

void Registry::gaugeCallback(
    const std::string &name, const std::string &help, std::function<std::vector<Sample>()> collect)
{
    if (!validName(name, true))
        throw std::invalid_argument("metric name \"" + name + "\": must match [a-zA-Z_:][a-zA-Z0-9_:]*");
    if (!collect)
        throw std::invalid_argument("metric " + name + ": no callback");
    std::unique_lock lock(m_mutex);
    auto [f, created] = m_families.try_emplace(name);
    if (!created)
        throw std::invalid_argument("metric " + name + ": already registered");
    f->second.type = Type::Gauge;
    f->second.help = help;
    f->second.collect = std::move(collect);
}

void Registry::gaugeCallback(const std::string &name, const std::string &help, std::function<double()> value)
{
    if (!value)
        throw std::invalid_argument("metric " + name + ": no callback");
    gaugeCallback(name, help, [value = std::move(value)] { return std::vector<Sample> { Sample { {}, value() } }; });
}

std::string Registry::render() const
{
    // Callbacks run outside the lock: they may be slow (database size) or use the registry.
    struct Pending
    {
        std::size_t at; ///< offset in out where the samples go
        std::string name;
        std::function<std::vector<Sample>()> collect;
    };
    std::string out;
    std::vector<Pending> pending;
    {
        std::shared_lock lock(m_mutex);
        for (const auto &[name, fam] : m_families) {
            out += "# HELP ";
            out += name;
            out.push_back(' ');
            out += escapeHelp(fam.help);
            out += "\n# TYPE ";
            out += name;
            out.push_back(' ');
            out += typeName(fam.type);
            out.push_back('\n');
            if (fam.collect) {
                pending.push_back({ out.size(), name, fam.collect });
                continue;
            }
            for (const auto &[key, s] : fam.series) {
                switch (fam.type) {
                case Type::Counter: appendSample(out, name, s.labels, s.counter->value()); break;
                case Type::Gauge: appendSample(out, name, s.labels, s.gauge->value()); break;
                case Type::Histogram: {
                    const auto counts = s.histogram->cumulativeCounts();
                    const std::string bucket = name + "_bucket";
                    for (std::size_t i = 0; i < fam.bounds.size(); ++i)
                        appendSample(
                            out, bucket, s.labels, static_cast<double>(counts[i]), "le", formatValue(fam.bounds[i]));
                    appendSample(out, bucket, s.labels, static_cast<double>(counts.back()), "le", "+Inf");
                    appendSample(out, name + "_sum", s.labels, s.histogram->sum());
                    // _count is the +Inf bucket, so the two agree even while observations race a scrape.
                    appendSample(out, name + "_count", s.labels, static_cast<double>(counts.back()));
                    break;
                }
                }
            }
        }
    }
    // Insert from the back so earlier offsets stay valid.
    for (auto p = pending.rbegin(); p != pending.rend(); ++p) {
        std::vector<Sample> samples;
        try {
            samples = p->collect();
        } catch (...) {
            samples.clear(); // a failing source leaves its family empty, not the scrape broken
        }
        std::map<std::string, std::pair<Labels, double>> sorted;
        for (auto &s : samples) {
            try {
                Labels l = normalized(p->name, std::move(s.labels), false);
                std::string key = labelKey(l);
                sorted.insert_or_assign(std::move(key), std::make_pair(std::move(l), s.value));
            } catch (const std::invalid_argument &) {
                // a sample with a bad label name cannot be written; leave it out
            }
        }
        std::string text;
        for (const auto &[key, s] : sorted)
            appendSample(text, p->name, s.first, s.second);
        out.insert(p->at, text);
    }
    return out;
}

} // namespace agentops::server::prom
