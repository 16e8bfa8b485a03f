// SPDX-License-Identifier: MIT
#pragma once

// A reader of the protobuf wire format for the OTLP trace messages, straight from the request body.
//
// The generated classes parse a request into messages whose every string is a heap copy, which the
// decoder then copied again into core::Span; at ~20 attributes a span that was a third of the
// request threads' time (docs/benchmarks.md). These structs hold views into the body instead and are
// reused from span to span. They answer the accessors of the generated classes the conversion in
// otlpdecoder.cpp uses (value_case(), attributes(), Get(i) ...), so one conversion serves the
// protobuf encoding (these) and the JSON encoding (generated messages filled from JSON).
//
// What the generated parser refuses, this refuses too: truncated or malformed varints, lengths past
// the end, field number 0, end-group without start, wire types 6 and 7, invalid UTF-8 in a string
// field, and nesting deeper than protobuf's default recursion limit (100). A known field that arrives
// with another wire type is skipped as an unknown field; a singular message field that appears twice
// is merged; the last of a repeated scalar wins.

#include "opentelemetry/proto/common/v1/common.pb.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace agentops::ingest::wire {

/// Protobuf's default recursion limit: messages nested deeper than this below the request fail.
inline constexpr int kMaxMessageDepth = 100;

/// A repeated message field, answering RepeatedPtrField's size() and Get(i).
template<typename T>
struct Repeated
{
    std::vector<T> items;
    int size() const { return static_cast<int>(items.size()); }
    const T &Get(int i) const { return items[static_cast<std::size_t>(i)]; }
    T &add() { return items.emplace_back(); }
    void clear() { items.clear(); }
};

struct KeyValue;
struct AnyValue;

struct ArrayValue
{
    Repeated<AnyValue> values_;
    const Repeated<AnyValue> &values() const { return values_; }
};

struct KeyValueList
{
    Repeated<KeyValue> values_;
    const Repeated<KeyValue> &values() const { return values_; }
};

struct AnyValue
{
    using Case = opentelemetry::proto::common::v1::AnyValue::ValueCase;
    Case case_ = opentelemetry::proto::common::v1::AnyValue::VALUE_NOT_SET;
    std::string_view bytes_; ///< string_value or bytes_value
    std::uint64_t scalar_ = 0; ///< bool_value, int_value, or double_value's bits
    ArrayValue array_;
    KeyValueList kvlist_;

    Case value_case() const { return case_; }
    std::string_view string_value() const { return bytes_; }
    std::string_view bytes_value() const { return bytes_; }
    bool bool_value() const { return scalar_ != 0; }
    std::int64_t int_value() const { return static_cast<std::int64_t>(scalar_); }
    double double_value() const;
    const ArrayValue &array_value() const { return array_; }
    const KeyValueList &kvlist_value() const { return kvlist_; }
};

struct KeyValue
{
    std::string_view key_;
    AnyValue value_;
    std::string_view key() const { return key_; }
    const AnyValue &value() const { return value_; }
};

using Attributes = Repeated<KeyValue>;

struct Resource
{
    Attributes attributes_;
    const Attributes &attributes() const { return attributes_; }
};

struct Scope
{
    std::string_view name_, version_;
    std::string_view name() const { return name_; }
    std::string_view version() const { return version_; }
};

struct Status
{
    std::string_view message_;
    std::int32_t code_ = 0;
    std::string_view message() const { return message_; }
    opentelemetry::proto::trace::v1::Status::StatusCode code() const
    {
        return static_cast<opentelemetry::proto::trace::v1::Status::StatusCode>(code_);
    }
};

struct Event
{
    std::uint64_t time_ = 0;
    std::string_view name_;
    Attributes attributes_;
    std::uint64_t time_unix_nano() const { return time_; }
    std::string_view name() const { return name_; }
    const Attributes &attributes() const { return attributes_; }
};

struct Link
{
    std::string_view trace_id_, span_id_, trace_state_;
    Attributes attributes_;
    std::string_view trace_id() const { return trace_id_; }
    std::string_view span_id() const { return span_id_; }
    std::string_view trace_state() const { return trace_state_; }
    const Attributes &attributes() const { return attributes_; }
};

struct Span
{
    std::string_view trace_id_, span_id_, parent_span_id_, trace_state_, name_;
    std::int32_t kind_ = 0;
    std::uint64_t start_ = 0, end_ = 0;
    Attributes attributes_;
    Repeated<Event> events_;
    Repeated<Link> links_;
    std::uint32_t dropped_attributes_ = 0, dropped_events_ = 0, dropped_links_ = 0;
    Status status_;

    std::string_view trace_id() const { return trace_id_; }
    std::string_view span_id() const { return span_id_; }
    std::string_view parent_span_id() const { return parent_span_id_; }
    std::string_view trace_state() const { return trace_state_; }
    std::string_view name() const { return name_; }
    std::int32_t kind() const { return kind_; }
    std::uint64_t start_time_unix_nano() const { return start_; }
    std::uint64_t end_time_unix_nano() const { return end_; }
    const Attributes &attributes() const { return attributes_; }
    int events_size() const { return events_.size(); }
    const Event &events(int i) const { return events_.Get(i); }
    int links_size() const { return links_.size(); }
    const Link &links(int i) const { return links_.Get(i); }
    std::uint32_t dropped_attributes_count() const { return dropped_attributes_; }
    std::uint32_t dropped_events_count() const { return dropped_events_; }
    std::uint32_t dropped_links_count() const { return dropped_links_; }
    const Status &status() const { return status_; }
};

/// One ScopeSpans: its scope and where each of its spans' bytes are (parsed one at a time).
struct ScopeSpans
{
    Scope scope_;
    std::vector<std::string_view> spans;
    const Scope &scope() const { return scope_; }
};

struct ResourceSpans
{
    Resource resource_;
    std::vector<ScopeSpans> scope_spans;
    const Resource &resource() const { return resource_; }
};

/// Reads an ExportTraceServiceRequest down to the span level: resources and scopes parsed, each
/// span's bytes located (parseSpan reads and checks them). False when the body is not a valid
/// message above the spans.
bool parseRequest(std::string_view body, std::vector<ResourceSpans> &out);

/// Parses one span's bytes (located by parseRequest) into `out`, reusing its storage. False when
/// they are not a valid Span message.
bool parseSpan(std::string_view bytes, Span &out);

/// RFC 3629 UTF-8: what protobuf requires of string fields.
bool isValidUtf8(std::string_view text);

} // namespace agentops::ingest::wire
