#!/usr/bin/env python3
"""Fails when a C++ function in the given trees is longer than the limit (150 lines).

    scripts/check-function-length.py [--limit N] [--list] [--exceptions FILE] [PATH ...]
                                                      (default: app ui, scripts/function-length-exceptions.txt)

A function's length is counted from the line of its opening brace to the line of its closing
brace, both included. Every function body counts: free functions, member functions, constructors,
functions defined inside a class body, and lambdas that stand on their own at namespace scope or
in a table (a route table's handlers, for example). A lambda or a local class inside a function
belongs to that function's length, as it makes that function longer to read.

The source is read by a tokenizer that knows comments, string and character literals (raw strings
included), digit separators and preprocessor lines, so a brace in any of them is not counted. Each
brace at namespace or class scope is then classified from the declaration before it: a namespace,
a class, an initializer (whose lambdas are looked for), or a function body; a constructor's
member-initializer braces are told apart from its body. A file whose braces do not balance is
reported as an error instead of being guessed at.

The exceptions file names functions (path from the repository's root, then the name as reported)
that are allowed over the limit for now; an entry that is no longer over the limit is an error, so
the list only shrinks.

Standard library only, so that scripts/test.sh can run it before anything is built.
"""

import argparse
import os
import re
import sys

LIMIT = 150
SUFFIXES = (".cpp", ".h", ".hpp", ".cc", ".cxx")

IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
NUMBER_RE = re.compile(r"\.?[0-9](?:'?[A-Za-z0-9_.]|[eEpP][+-])*")
RAW_PREFIX_RE = re.compile(r'(?:u8|u|U|L)?R"([^()\\ \t\n]{0,16})\(')
STRING_PREFIX_RE = re.compile(r"(?:u8|u|U|L)?(['\"])")
PUNCT3 = ("<=>", "->*", "...", "<<=", ">>=")
PUNCT2 = ("::", "->", "++", "--", "&&", "||", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=",
          "&=", "|=", "^=", "<<", ">>", ".*")

# Tokens that may stand between a function's parameter list and its body.
QUALIFIERS = {"const", "volatile", "noexcept", "override", "final", "&", "&&", "mutable", "constexpr",
              "consteval", "try", "Q_DECL_OVERRIDE", "Q_DECL_NOTHROW", "Q_DECL_FINAL"}
# Keywords whose parenthesised operand is not a parameter list.
GROUP_KEYWORDS = {"noexcept", "decltype", "requires", "alignas", "throw", "__attribute__", "alignof",
                  "sizeof", "__declspec"}
ACCESS = {"public", "private", "protected", "signals", "slots", "Q_SIGNALS", "Q_SLOTS"}
CLASS_KEYS = {"class", "struct", "union"}


class Token:
    __slots__ = ("text", "line", "kind")

    def __init__(self, text, line, kind):
        self.text = text
        self.line = line
        self.kind = kind  # "id", "num", "str", "punct"

    def __repr__(self):
        return f"{self.text}@{self.line}"


class ParseError(Exception):
    pass


def tokenize(src):
    tokens = []
    i, n, line = 0, len(src), 1
    at_line_start = True
    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
            at_line_start = True
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if c == "\\" and i + 1 < n and src[i + 1] == "\n":  # line splice outside a directive
            i += 2
            line += 1
            continue
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
            continue
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            if j < 0:
                raise ParseError(f"line {line}: unterminated comment")
            line += src.count("\n", i, j + 2)
            i = j + 2
            continue
        if c == "#" and at_line_start:
            # A preprocessor directive runs to the end of the line, across line splices; comments
            # in it are skipped so that a "/*" in a directive cannot swallow code.
            while i < n and src[i] != "\n":
                if src.startswith("\\\n", i):
                    line += 1
                    i += 2
                elif src.startswith("/*", i):
                    j = src.find("*/", i + 2)
                    if j < 0:
                        raise ParseError(f"line {line}: unterminated comment")
                    line += src.count("\n", i, j + 2)
                    i = j + 2
                elif src.startswith("//", i):
                    j = src.find("\n", i)
                    i = n if j < 0 else j
                elif src[i] in "\"'":
                    i = skip_quoted(src, i, line)
                else:
                    i += 1
            continue
        at_line_start = False
        m = RAW_PREFIX_RE.match(src, i)
        if m:
            end = src.find(")" + m.group(1) + '"', m.end())
            if end < 0:
                raise ParseError(f"line {line}: unterminated raw string")
            end += len(m.group(1)) + 2
            tokens.append(Token('""', line, "str"))
            line += src.count("\n", i, end)
            i = end
            continue
        m = STRING_PREFIX_RE.match(src, i)
        if m:
            j = skip_quoted(src, m.start(1), line)
            tokens.append(Token('""', line, "str"))
            i = j
            continue
        if c.isdigit() or (c == "." and i + 1 < n and src[i + 1].isdigit()):
            m = NUMBER_RE.match(src, i)
            tokens.append(Token(m.group(0), line, "num"))
            i = m.end()
            continue
        m = IDENT_RE.match(src, i)
        if m:
            tokens.append(Token(m.group(0), line, "id"))
            i = m.end()
            continue
        for p in PUNCT3 + PUNCT2:
            if src.startswith(p, i):
                tokens.append(Token(p, line, "punct"))
                i += len(p)
                break
        else:
            tokens.append(Token(c, line, "punct"))
            i += 1
    return tokens


def skip_quoted(src, i, line):
    quote = src[i]
    j = i + 1
    while j < len(src):
        ch = src[j]
        if ch == "\\":
            j += 2
            continue
        if ch == quote:
            return j + 1
        if ch == "\n":
            raise ParseError(f"line {line}: unterminated literal")
        j += 1
    raise ParseError(f"line {line}: unterminated literal")


def top_level(header):
    """Yields (index, token) of the header's tokens that are outside any bracket."""
    depth = 0
    for i, t in enumerate(header):
        if t.text in "([{":
            depth += 1
        elif t.text in ")]}":
            depth -= 1
        elif depth == 0:
            yield i, t
            continue
        if depth == 0 and t.text in ")]}":
            yield i, t


def matching_open(header, close_index):
    depth = 0
    for i in range(close_index, -1, -1):
        t = header[i].text
        if t in ")]}":
            depth += 1
        elif t in "([{":
            depth -= 1
            if depth == 0:
                return i
    return -1


def qualified_name(header, end):
    """The (possibly qualified) name whose last token is just before header[end]."""
    i = end - 1
    parts = []
    # operator==, operator[], operator() and friends: the symbol is between 'operator' and '('.
    op = next((k for k in range(i, max(-1, i - 4), -1) if header[k].text == "operator"), -1)
    if op >= 0:
        parts.append("operator" + "".join(t.text for t in header[op + 1:i + 1]))
        i = op - 1
    elif i >= 0 and header[i].kind == "id":
        parts.append(header[i].text)
        i -= 1
        if i >= 0 and header[i].text == "~":
            parts[-1] = "~" + parts[-1]
            i -= 1
    while i >= 1 and header[i].text == "::" and header[i - 1].kind == "id":
        parts.append(header[i - 1].text)
        i -= 2
    return "::".join(reversed(parts)) or "?"


def lambda_start(tokens, brace):
    """If tokens[brace] ('{') opens a lambda body, the index of the lambda's '['; else -1."""
    i = brace - 1
    # A trailing return type: walk back over a type to '->'.
    j = i
    steps = 0
    while j >= 0 and steps < 40 and (tokens[j].kind == "id" or tokens[j].text in ("::", "<", ">", ">>", ",", "*",
                                                                                 "&", "&&")):
        j -= 1
        steps += 1
    if j >= 0 and tokens[j].text == "->":
        i = j - 1
    while i >= 0 and tokens[i].text in QUALIFIERS:
        i -= 1
    if i >= 0 and tokens[i].text == ")":
        depth = 0
        while i >= 0:
            if tokens[i].text in ")]}":
                depth += 1
            elif tokens[i].text in "([{":
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        i -= 1
    if i < 0 or tokens[i].text != "]":
        return -1
    depth = 0
    while i >= 0:
        if tokens[i].text in ")]}":
            depth += 1
        elif tokens[i].text in "([{":
            depth -= 1
            if depth == 0:
                break
        i -= 1
    # An array's bound ("char name[N] {}") or a subscript is not a lambda introducer.
    before = tokens[i - 1] if i > 0 else None
    if before is not None and (before.text in (")", "]") or (before.kind in ("id", "num", "str")
                                                              and before.text not in ("return", "co_return",
                                                                                      "co_yield"))):
        return -1
    return i


def strip_templates(header):
    """The header without its leading 'template <...>' parameter lists."""
    while len(header) >= 2 and header[0].text == "template" and header[1].text == "<":
        depth = 0
        for i in range(1, len(header)):
            t = header[i].text
            if t == "<":
                depth += 1
            elif t == ">":
                depth -= 1
            elif t == ">>":
                depth -= 2
            if depth <= 0:
                header = header[i + 1:]
                break
        else:
            return header
    return header


def classify(header):
    """Says what a '{' at namespace or class scope opens, from the declaration before it.

    Returns ("namespace", None), ("class", None), ("function", name) or ("data", None).
    """
    header = strip_templates(header)
    texts = [t.text for _, t in top_level(header)]
    if not header:
        return "data", None
    if "namespace" in texts or (texts and texts[0] == "extern" and len(header) >= 2
                                and header[1].kind == "str"):
        return "namespace", None
    top = list(top_level(header))
    # The first top-level '=' that is not part of an operator's name makes this an initializer.
    for k, (i, t) in enumerate(top):
        if t.text == "=" and not (k > 0 and top[k - 1][1].text == "operator"):
            return "data", None
    if "enum" in texts:
        return "data", None
    # A constructor's member-initializer list follows the parameter list after a ':'.
    colon = next((k for k, (i, t) in enumerate(top) if t.text == ":" and k > 0
                  and (top[k - 1][1].text == ")" or top[k - 1][1].text in QUALIFIERS)), None)
    if colon is not None:
        top = top[:colon + 1]
    # The parameter list: the last top-level (...) group that is not an operand of noexcept etc.
    close = -1
    for i, t in reversed(top):
        if t.text != ")":
            continue
        o = matching_open(header, i)
        if o > 0 and header[o - 1].text in GROUP_KEYWORDS:
            continue
        if o > 0 and header[o - 1].text == "operator":  # the "()" of operator()
            continue
        close = i
        break
    class_key = max((i for i, t in top if t.text in CLASS_KEYS), default=-1)
    if class_key >= 0 and class_key > close:
        return "class", None
    if close < 0:
        return "data", None
    after = [t for i, t in top if i > close]
    if after and after[0].text == ":":  # a constructor's member-initializer list
        after = []
    if "->" in [t.text for t in after]:
        after = []
    if any(t.text not in QUALIFIERS and t.text not in ("]", ")", ":") for t in after):
        return "data", None
    return "function", qualified_name(header, matching_open(header, close))


def in_member_init_list(header):
    header = strip_templates(header)
    top = list(top_level(header))
    if any(t.text in CLASS_KEYS or t.text == "enum" for _, t in top):
        return False
    seen_paren = False
    for _, t in top:
        if t.text == ")":
            seen_paren = True
        elif t.text == ":" and seen_paren:
            return True
        elif t.text == "=":
            return False
    return False


def functions(tokens):
    """Yields (name, first_line, open_line, close_line) for every function body in the tokens."""
    # Scope stack entries: (kind, name, open_line, first_line); kinds: namespace, class, data,
    # function. Inside a function everything nests into it.
    stack = [("namespace", None, 0, 0)]
    header = []
    group = 0  # bracket depth inside the current header
    for idx, tok in enumerate(tokens):
        kind = stack[-1][0]
        text = tok.text
        if kind == "function":
            if text == "{":
                stack.append(("inner", None, tok.line, tok.line))
            elif text == "}":
                _, name, open_line, first_line = stack.pop()
                yield name, first_line, open_line, tok.line
            continue
        if kind == "inner":
            if text == "{":
                stack.append(("inner", None, tok.line, tok.line))
            elif text == "}":
                stack.pop()
            continue
        if kind == "data":
            if text == "{":
                start = lambda_start(tokens, idx)
                if start >= 0:
                    stack.append(("function", f"lambda in {stack[-1][1] or '?'}", tok.line, tokens[start].line))
                else:
                    stack.append(("data", stack[-1][1], tok.line, tok.line))
            elif text == "}":
                stack.pop()
            continue
        # Namespace or class scope: collect the declaration up to ';' or '{'.
        if text in "([" or (text == "{" and (group > 0 or (in_member_init_list(header) and header
                                                          and (header[-1].kind == "id"
                                                               or header[-1].text in (">", ">>"))))):
            group += 1
            header.append(tok)
            continue
        if text in ")]" or (text == "}" and group > 0):
            group -= 1
            header.append(tok)
            continue
        if text == ";":
            header = []
            continue
        if text == ":" and header and header[-1].text in ACCESS and group == 0:
            header = []
            continue
        if text == "{":
            what, name = classify(header)
            first_line = header[0].line if header else tok.line
            if what == "data":
                # Named after the variable it initializes: the last name before the first '='.
                top = [t for _, t in top_level(header)]
                texts = [t.text for t in top]
                names = [t.text for t in top[:texts.index("=") if "=" in texts else len(top)] if t.kind == "id"]
                name = names[-1] if names else None
                if lambda_start(tokens, idx) >= 0:
                    what, name = "function", f"lambda {name or '?'}"
            stack.append((what, name, tok.line, first_line))
            header = []
            continue
        if text == "}":
            if len(stack) == 1:
                raise ParseError(f"line {tok.line}: '}}' without '{{'")
            stack.pop()
            header = []
            continue
        header.append(tok)
    if len(stack) != 1 or group != 0:
        raise ParseError(f"unbalanced braces at end of file (open: {stack[-1][0]} from line {stack[-1][2]})")


def source_files(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for f in sorted(files):
                if f.endswith(SUFFIXES):
                    yield os.path.join(root, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=LIMIT)
    parser.add_argument("--list", action="store_true", help="print every function's length")
    parser.add_argument("--exceptions", help="file of functions allowed over the limit for now")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = args.paths or [os.path.join(root, "app"), os.path.join(root, "ui")]
    exceptions_file = args.exceptions
    if exceptions_file is None and not args.paths:
        exceptions_file = os.path.join(root, "scripts", "function-length-exceptions.txt")
    allowed = set()
    if exceptions_file:
        with open(exceptions_file, encoding="utf-8") as f:
            for entry in f:
                entry = entry.split("#", 1)[0].strip()
                if entry:
                    path, name = entry.split(None, 1)
                    allowed.add((os.path.normpath(os.path.join(root, path)), name.strip()))
    used = set()
    failures = errors = count = 0
    for path in source_files(paths):
        with open(path, encoding="utf-8") as f:
            src = f.read()
        try:
            found = list(functions(tokenize(src)))
        except ParseError as e:
            print(f"{os.path.relpath(path)}: error: {e}", file=sys.stderr)
            errors += 1
            continue
        for name, first_line, open_line, close_line in found:
            count += 1
            length = close_line - open_line + 1
            if args.list:
                print(f"{length:5d} {os.path.relpath(path)}:{first_line}: {name}")
            elif length > args.limit and (os.path.abspath(path), name) in allowed:
                used.add((os.path.abspath(path), name))
            elif length > args.limit:
                print(f"{os.path.relpath(path)}:{first_line}: {name} is {length} lines long (limit {args.limit})")
                failures += 1
    for path, name in sorted(allowed - used):
        print(f"{exceptions_file}: {os.path.relpath(path, root)} {name} is no longer over {args.limit} lines: "
              f"remove it from the list")
        failures += 1
    if failures or errors:
        print(f"check-function-length: {failures} function(s) over {args.limit} lines, {errors} file(s) "
              f"not read, of {count} functions", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
