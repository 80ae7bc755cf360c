//! `--format` templates: the part of Go's text/template that docker-machine's
//! `inspect` and `ls` users copy from its docs and from docker's, over the
//! JSON of a record or row.
//!
//! - fields: `{{.Name}}`, `{{.Driver.IPAddress}}`, `{{$.Name}}`, `{{(index .A 0).B}}`;
//!   names match case-insensitively and without underscores, so
//!   `{{.EngineVersion}}` finds `engine_version`; an unknown field is an error
//! - docker-machine's functions `json` and `prettyjson` (four-space indent, as
//!   its `json.MarshalIndent`), and Go's `index`, `printf`, `print`, `println`,
//!   `len`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `and`, `or`, `not`
//! - pipelines `{{.Name | printf "%-10s"}}`, variables `{{$n := .Name}}`
//! - `{{if …}}…{{else if …}}…{{else}}…{{end}}`, `{{range …}}…{{else}}…{{end}}`
//!   (with `{{range $i, $v := …}}`), `{{with …}}…{{end}}`, `{{/* comments */}}`
//!   and `{{-`/`-}}` trimming
//! - `\t` and `\n` in the text are a tab and a line break (shells pass them on
//!   literally)
//!
//! Values print as Go prints them: a list as `[a b]`, a map as `map[k:v]`;
//! an empty (null) value prints nothing, as docker-machine's empty strings do.

use serde_json::{Number, Value};

#[derive(Debug, thiserror::Error)]
#[error("invalid --format {format:?}: {detail}")]
pub struct TemplateError {
    format: String,
    detail: String,
}

/// The key used to match a field: lower case, no underscores.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

// ---------------------------------------------------------------- lexing

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// `.A.B` (empty for `.` alone)
    Field(Vec<String>),
    /// `$name` with fields after it (`$` alone is the name "")
    Var(String, Vec<String>),
    Ident(String),
    Str(String),
    Num(Number),
    Bool(bool),
    Nil,
    Open,
    /// `)` with the fields that follow it (`(index .A 0).B`)
    Close(Vec<String>),
    Pipe,
    Declare,
    Comma,
}

type Parsed<T> = Result<T, String>;

/// `.A.B.C` starting at a `.`: the field names.
fn fields(chars: &[char], i: &mut usize) -> Vec<String> {
    let mut names = Vec::new();
    while *i < chars.len() && chars[*i] == '.' {
        *i += 1;
        let start = *i;
        while *i < chars.len() && (chars[*i].is_alphanumeric() || chars[*i] == '_') {
            *i += 1;
        }
        if *i > start {
            names.push(chars[start..*i].iter().collect());
        } else {
            break;
        }
    }
    names
}

/// A double-quoted string at `chars[*i]`, its escapes decoded; `i` moves past it.
fn quoted(chars: &[char], i: &mut usize) -> Parsed<String> {
    *i += 1;
    let mut s = String::new();
    loop {
        let Some(&c) = chars.get(*i) else {
            return Err("unterminated string".into());
        };
        *i += 1;
        match c {
            '"' => return Ok(s),
            '\\' => {
                let e = chars.get(*i).copied().ok_or("unterminated string")?;
                *i += 1;
                s.push(match e {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    other => other,
                });
            }
            c => s.push(c),
        }
    }
}

/// A number literal at `chars[*i]` (Go's `_` separators allowed).
fn number_literal(chars: &[char], i: &mut usize) -> Parsed<Number> {
    let start = *i;
    *i += 1;
    while *i < chars.len()
        && (chars[*i].is_ascii_alphanumeric() || chars[*i] == '.' || chars[*i] == '_')
    {
        *i += 1;
    }
    let word: String = chars[start..*i].iter().collect();
    let clean = word.replace('_', "");
    clean
        .parse::<i64>()
        .ok()
        .map(Number::from)
        .or_else(|| clean.parse::<f64>().ok().and_then(Number::from_f64))
        .ok_or_else(|| format!("bad number {word:?}"))
}

fn lex_action(text: &str) -> Parsed<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '.' if chars.get(i + 1).is_none_or(|n| !n.is_ascii_digit()) => {
                tokens.push(Token::Field(fields(&chars, &mut i)));
            }
            '$' => {
                i += 1;
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                tokens.push(Token::Var(name, fields(&chars, &mut i)));
            }
            '(' => {
                tokens.push(Token::Open);
                i += 1;
            }
            ')' => {
                i += 1;
                tokens.push(Token::Close(fields(&chars, &mut i)));
            }
            '|' => {
                tokens.push(Token::Pipe);
                i += 1;
            }
            ',' => {
                tokens.push(Token::Comma);
                i += 1;
            }
            ':' if chars.get(i + 1) == Some(&'=') => {
                tokens.push(Token::Declare);
                i += 2;
            }
            '=' => {
                // Assignment to a declared variable: the same as declaring it here.
                tokens.push(Token::Declare);
                i += 1;
            }
            '"' => tokens.push(Token::Str(quoted(&chars, &mut i)?)),
            '`' => {
                i += 1;
                let start = i;
                while i < chars.len() && chars[i] != '`' {
                    i += 1;
                }
                if i == chars.len() {
                    return Err("unterminated raw string".into());
                }
                tokens.push(Token::Str(chars[start..i].iter().collect()));
                i += 1;
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => {
                tokens.push(Token::Num(number_literal(&chars, &mut i)?));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                tokens.push(match word.as_str() {
                    "true" => Token::Bool(true),
                    "false" => Token::Bool(false),
                    "nil" => Token::Nil,
                    _ => Token::Ident(word),
                });
            }
            other => return Err(format!("unexpected {other:?} in {{{{{text}}}}}")),
        }
    }
    Ok(tokens)
}

#[derive(Debug)]
enum Piece {
    Text(String),
    Action(String),
}

/// Text and the actions between `{{` and `}}`, trim markers applied,
/// comments dropped.
fn split_pieces(format: &str) -> Parsed<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut rest = format;
    let mut trim_next = false;
    while let Some(open) = rest.find("{{") {
        let mut text = &rest[..open];
        if trim_next {
            text = text.trim_start();
        }
        let after = &rest[open + 2..];
        let (after, trim_before) = match after.strip_prefix("- ") {
            Some(a) => (a, true),
            None => match after
                .strip_prefix('-')
                .filter(|a| a.starts_with(['\t', '\n']))
            {
                Some(a) => (a, true),
                None => (after, false),
            },
        };
        if trim_before {
            text = text.trim_end();
        }
        pieces.push(Piece::Text(text.to_string()));
        // Strings in the action may hold "}}".
        let close = find_close(after).ok_or("an action is not closed with }}")?;
        let mut action = &after[..close];
        trim_next = false;
        if let Some(a) = action.strip_suffix(" -").or_else(|| {
            action
                .strip_suffix('-')
                .filter(|a| a.ends_with(['\t', '\n']))
        }) {
            action = a;
            trim_next = true;
        }
        let trimmed = action.trim();
        if !(trimmed.starts_with("/*") && trimmed.ends_with("*/")) {
            pieces.push(Piece::Action(action.to_string()));
        }
        rest = &after[close + 2..];
    }
    let text = if trim_next { rest.trim_start() } else { rest };
    pieces.push(Piece::Text(text.to_string()));
    Ok(pieces)
}

/// Where the `}}` that closes an action is, skipping quoted strings.
fn find_close(action: &str) -> Option<usize> {
    let bytes = action.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == b'\\' && q == b'"' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'`' => quote = Some(b),
            None if b == b'}' && bytes.get(i + 1) == Some(&b'}') => return Some(i),
            None => {}
        }
        i += 1;
    }
    None
}

// ---------------------------------------------------------------- parsing

#[derive(Debug, Clone)]
enum Operand {
    Field(Vec<String>),
    Var(String, Vec<String>),
    Literal(Value),
    Func(String),
    Sub(Box<Pipeline>, Vec<String>),
}

#[derive(Debug, Clone)]
struct Pipeline {
    declare: Vec<String>,
    commands: Vec<Vec<Operand>>,
}

#[derive(Debug)]
enum Node {
    Text(String),
    Print(Pipeline),
    If(Pipeline, Vec<Node>, Vec<Node>),
    Range(Pipeline, Vec<Node>, Vec<Node>),
    With(Pipeline, Vec<Node>, Vec<Node>),
}

const FUNCTIONS: &[&str] = &[
    "json",
    "prettyjson",
    "index",
    "printf",
    "print",
    "println",
    "len",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "and",
    "or",
    "not",
];

fn parse_pipeline(tokens: &[Token]) -> Parsed<Pipeline> {
    let mut pos = 0;
    let pipeline = parse_pipeline_at(tokens, &mut pos, true)?;
    if pos != tokens.len() {
        return Err(format!("unexpected {:?}", tokens[pos]));
    }
    Ok(pipeline)
}

fn parse_pipeline_at(tokens: &[Token], pos: &mut usize, top: bool) -> Parsed<Pipeline> {
    let mut declare = Vec::new();
    if top {
        // `$a :=` or `$i, $v :=`
        let mut look = *pos;
        let mut names = Vec::new();
        while let Some(Token::Var(name, f)) = tokens.get(look) {
            if !f.is_empty() {
                break;
            }
            names.push(name.clone());
            look += 1;
            match tokens.get(look) {
                Some(Token::Comma) => look += 1,
                Some(Token::Declare) => {
                    declare = names.clone();
                    *pos = look + 1;
                    break;
                }
                _ => break,
            }
        }
    }
    let mut commands = Vec::new();
    let mut command = Vec::new();
    while let Some(token) = tokens.get(*pos) {
        *pos += 1;
        let operand = match token {
            Token::Field(f) => Operand::Field(f.clone()),
            Token::Var(name, f) => Operand::Var(name.clone(), f.clone()),
            Token::Str(s) => Operand::Literal(Value::String(s.clone())),
            Token::Num(n) => Operand::Literal(Value::Number(n.clone())),
            Token::Bool(b) => Operand::Literal(Value::Bool(*b)),
            Token::Nil => Operand::Literal(Value::Null),
            Token::Ident(name) if FUNCTIONS.contains(&name.as_str()) => Operand::Func(name.clone()),
            Token::Ident(name) => return Err(format!("function {name:?} not defined")),
            Token::Open => {
                let inner = parse_pipeline_at(tokens, pos, false)?;
                match tokens.get(*pos) {
                    Some(Token::Close(f)) => {
                        *pos += 1;
                        Operand::Sub(Box::new(inner), f.clone())
                    }
                    _ => return Err("unclosed (".into()),
                }
            }
            Token::Close(_) if !top => {
                *pos -= 1;
                break;
            }
            Token::Pipe => {
                if command.is_empty() {
                    return Err("missing command before |".into());
                }
                commands.push(std::mem::take(&mut command));
                continue;
            }
            other => return Err(format!("unexpected {other:?}")),
        };
        command.push(operand);
    }
    if command.is_empty() {
        return Err("missing value".into());
    }
    commands.push(command);
    Ok(Pipeline { declare, commands })
}

/// The keyword an action starts with, and the rest of it.
fn keyword(action: &str) -> (&str, &str) {
    let action = action.trim();
    let end = action
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(action.len());
    match &action[..end] {
        k @ ("if" | "else" | "end" | "range" | "with" | "define" | "template" | "block"
        | "break" | "continue") => (k, action[end..].trim()),
        _ => ("", action),
    }
}

/// What ended a list of nodes.
enum Stop {
    End,
    Else(String),
    Eof,
}

fn parse_nodes(
    pieces: &mut std::iter::Peekable<std::vec::IntoIter<Piece>>,
) -> Parsed<(Vec<Node>, Stop)> {
    let mut nodes = Vec::new();
    while let Some(piece) = pieces.next() {
        let action = match piece {
            Piece::Text(t) => {
                if !t.is_empty() {
                    nodes.push(Node::Text(t.replace("\\t", "\t").replace("\\n", "\n")));
                }
                continue;
            }
            Piece::Action(a) => a,
        };
        let (word, rest) = keyword(&action);
        match word {
            "" => nodes.push(Node::Print(parse_pipeline(&lex_action(rest)?)?)),
            "end" => return Ok((nodes, Stop::End)),
            "else" => return Ok((nodes, Stop::Else(rest.to_string()))),
            "if" | "range" | "with" => nodes.push(parse_block(word, rest, pieces)?),
            other => return Err(format!("{{{{{other}}}}} is not supported here")),
        }
    }
    Ok((nodes, Stop::Eof))
}

/// One `{{if}}`, `{{range}}` or `{{with}}` block, opened by the action
/// `word rest`: its body and else branch, up to its `{{end}}`. An
/// `{{else if …}}` (or `{{else with …}}`) is a block inside the else
/// branch that shares the `{{end}}`.
fn parse_block(
    word: &str,
    rest: &str,
    pieces: &mut std::iter::Peekable<std::vec::IntoIter<Piece>>,
) -> Parsed<Node> {
    let pipeline = parse_pipeline(&lex_action(rest)?)?;
    let (body, stop) = parse_nodes(pieces)?;
    let otherwise = match stop {
        Stop::End => Vec::new(),
        Stop::Else(chain) if chain.is_empty() => match parse_nodes(pieces)? {
            (nodes, Stop::End) => nodes,
            _ => {
                return Err(format!(
                    "{{{{{word}}}}} needs one {{{{else}}}} and an {{{{end}}}}"
                ));
            }
        },
        Stop::Else(chain) => {
            let (inner, inner_rest) = keyword(&chain);
            if inner != "if" && inner != "with" {
                return Err(format!("unexpected {{{{else {chain}}}}}"));
            }
            vec![parse_block(inner, inner_rest, pieces)?]
        }
        Stop::Eof => return Err(format!("{{{{{word}}}}} has no {{{{end}}}}")),
    };
    Ok(match word {
        "if" => Node::If(pipeline, body, otherwise),
        "range" => Node::Range(pipeline, body, otherwise),
        _ => Node::With(pipeline, body, otherwise),
    })
}

// ---------------------------------------------------------------- evaluation

struct Scope<'a> {
    root: &'a Value,
    vars: Vec<(String, Value)>,
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// One field of an object: the exact key, else the folded one.
fn field<'v>(value: &'v Value, name: &str) -> Parsed<&'v Value> {
    let Value::Object(map) = value else {
        return Err(format!("cannot read field {name} of {}", describe(value)));
    };
    if let Some(v) = map.get(name) {
        return Ok(v);
    }
    let folded = fold(name);
    map.iter()
        .find(|(k, _)| fold(k) == folded)
        .map(|(_, v)| v)
        .ok_or_else(|| {
            let mut known: Vec<&str> = map.keys().map(String::as_str).collect();
            known.sort_unstable();
            format!("no field {name} (there are: {})", known.join(", "))
        })
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "an empty value",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

fn walk(mut value: Value, names: &[String]) -> Parsed<Value> {
    for name in names {
        value = field(&value, name)?.clone();
    }
    Ok(value)
}

/// A value as Go's fmt prints it with %v.
fn display(value: &Value) -> String {
    match value {
        // docker-machine's records hold "" where ours hold nothing.
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(display).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            format!(
                "map[{}]",
                keys.iter()
                    .map(|k| format!("{k}:{}", display(&map[*k])))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
    }
}

fn pretty_json(value: &Value) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value
        .serialize(&mut serializer)
        .expect("a JSON value serialises");
    String::from_utf8(out).expect("JSON is UTF-8")
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn compare(a: &Value, b: &Value) -> Parsed<std::cmp::Ordering> {
    match (a, b) {
        (Value::String(x), Value::String(y)) => Ok(x.cmp(y)),
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y).ok_or_else(|| "cannot compare NaN".into()),
            _ => Err(format!(
                "cannot compare {} with {}",
                describe(a),
                describe(b)
            )),
        },
    }
}

/// Go's fmt.Sprintf for the verbs templates use: %v %s %d %f %q %t %x %%,
/// with flags `-`, `0`, `+`, width and precision.
fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek().filter(|f| "-+0 #".contains(**f)) {
            flags.push(f);
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            precision = Some(p.parse::<usize>().unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.next() else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        let mut text = match verb {
            'd' => match arg {
                Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
                Value::Number(n) => format!("{}", n.as_f64().unwrap_or(0.0).trunc()),
                other => format!("%!d({})", display(other)),
            },
            'f' | 'F' | 'e' | 'g' => match number(arg) {
                Some(f) => format!("{f:.*}", precision.unwrap_or(6)),
                None => format!("%!{verb}({})", display(arg)),
            },
            'q' => serde_json::to_string(&display(arg)).unwrap_or_default(),
            't' => display(arg),
            'x' => match arg {
                Value::Number(n) if n.is_u64() => format!("{:x}", n.as_u64().unwrap_or(0)),
                Value::Number(n) if n.is_i64() => format!("{:x}", n.as_i64().unwrap_or(0)),
                other => display(other).bytes().map(|b| format!("{b:02x}")).collect(),
            },
            _ => {
                let mut s = display(arg);
                if let Some(p) = precision
                    && matches!(verb, 's' | 'v')
                {
                    s = s.chars().take(p).collect();
                }
                s
            }
        };
        if flags.contains('+') && matches!(verb, 'd' | 'f') && !text.starts_with('-') {
            text.insert(0, '+');
        }
        let width: usize = width.parse().unwrap_or(0);
        let len = text.chars().count();
        if len < width {
            let pad = width - len;
            if flags.contains('-') {
                text.push_str(&" ".repeat(pad));
            } else if flags.contains('0') && matches!(verb, 'd' | 'f') {
                let sign = text.starts_with(['-', '+']);
                text.insert_str(usize::from(sign), &"0".repeat(pad));
            } else {
                text.insert_str(0, &" ".repeat(pad));
            }
        }
        out.push_str(&text);
    }
    let extra: Vec<String> = args.map(display).collect();
    if !extra.is_empty() {
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

/// Go's fmt.Sprint: spaces between operands when neither is a string.
fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 && !args[i - 1].is_string() && !arg.is_string() {
            out.push(' ');
        }
        out.push_str(&display(arg));
    }
    out
}

/// `index X K…`: items of lists by position, of maps by key.
fn index(args: &[Value]) -> Parsed<Value> {
    let Some((first, keys)) = args.split_first() else {
        return Err("index needs a value to index".into());
    };
    let mut value = first.clone();
    for key in keys {
        value = match (&value, key) {
            (Value::Array(items), Value::Number(n)) => {
                let i = n
                    .as_u64()
                    .and_then(|i| usize::try_from(i).ok())
                    .ok_or_else(|| format!("index {n} is not a position"))?;
                items
                    .get(i)
                    .cloned()
                    .ok_or_else(|| format!("index {i} out of range ({} items)", items.len()))?
            }
            (Value::Object(map), Value::String(k)) => map.get(k).cloned().unwrap_or(Value::Null),
            (Value::Null, _) => Value::Null,
            (v, k) => {
                return Err(format!("cannot index {} with {}", describe(v), describe(k)));
            }
        };
    }
    Ok(value)
}

/// `len X` of a string, list or map (nothing has length 0).
fn length(value: &Value) -> Parsed<usize> {
    Ok(match value {
        Value::String(s) => s.len(),
        Value::Array(a) => a.len(),
        Value::Object(o) => o.len(),
        Value::Null => 0,
        other => return Err(format!("len of {}", describe(other))),
    })
}

fn call(name: &str, args: Vec<Value>) -> Parsed<Value> {
    let want = |n: usize| {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!("{name} takes {n} argument(s), not {}", args.len()))
        }
    };
    Ok(match name {
        "json" => {
            want(1)?;
            Value::String(args[0].to_string())
        }
        "prettyjson" => {
            want(1)?;
            Value::String(pretty_json(&args[0]))
        }
        "index" => index(&args)?,
        "printf" => {
            let Some((Value::String(format), rest)) = args.split_first() else {
                return Err("printf needs a format string first".into());
            };
            Value::String(sprintf(format, rest))
        }
        "print" => Value::String(sprint(&args)),
        "println" => Value::String(args.iter().map(display).collect::<Vec<_>>().join(" ") + "\n"),
        "len" => {
            want(1)?;
            Value::from(length(&args[0])?)
        }
        "eq" => {
            if args.len() < 2 {
                return Err("eq takes at least 2 arguments".into());
            }
            Value::Bool(args[1..].iter().any(|b| equal(&args[0], b)))
        }
        "ne" => {
            want(2)?;
            Value::Bool(!equal(&args[0], &args[1]))
        }
        "lt" | "le" | "gt" | "ge" => {
            want(2)?;
            let order = compare(&args[0], &args[1])?;
            use std::cmp::Ordering::*;
            Value::Bool(match name {
                "lt" => order == Less,
                "le" => order != Greater,
                "gt" => order == Greater,
                _ => order != Less,
            })
        }
        "and" | "or" => {
            if args.is_empty() {
                return Err(format!("{name} takes at least 1 argument"));
            }
            // The first argument that decides, else the last (Go's rule).
            let decides = |a: &&Value| truthy(a) == (name == "or");
            args.iter()
                .find(decides)
                .unwrap_or(&args[args.len() - 1])
                .clone()
        }
        "not" => {
            want(1)?;
            Value::Bool(!truthy(&args[0]))
        }
        other => return Err(format!("function {other:?} not defined")),
    })
}

impl Scope<'_> {
    fn var(&self, name: &str) -> Parsed<Value> {
        if name.is_empty() {
            return Ok(self.root.clone());
        }
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| format!("undefined variable ${name}"))
    }

    fn operand(&mut self, operand: &Operand, dot: &Value) -> Parsed<Value> {
        match operand {
            Operand::Field(names) => walk(dot.clone(), names),
            Operand::Var(name, names) => walk(self.var(name)?, names),
            Operand::Literal(v) => Ok(v.clone()),
            Operand::Sub(pipeline, names) => {
                let value = self.pipeline(pipeline, dot)?;
                walk(value, names)
            }
            Operand::Func(name) => call(name, Vec::new()),
        }
    }

    fn pipeline(&mut self, pipeline: &Pipeline, dot: &Value) -> Parsed<Value> {
        let mut piped: Option<Value> = None;
        for command in &pipeline.commands {
            let value = match &command[0] {
                Operand::Func(name) => {
                    let mut args = command[1..]
                        .iter()
                        .map(|o| self.operand(o, dot))
                        .collect::<Parsed<Vec<Value>>>()?;
                    args.extend(piped.take());
                    call(name, args)?
                }
                operand if command.len() == 1 && piped.is_none() => self.operand(operand, dot)?,
                _ => return Err("only a function can take arguments".into()),
            };
            piped = Some(value);
        }
        let value = piped.unwrap_or(Value::Null);
        if let Some(name) = pipeline.declare.last() {
            self.vars.push((name.clone(), value.clone()));
        }
        Ok(value)
    }

    fn nodes(&mut self, nodes: &[Node], dot: &Value, out: &mut String) -> Parsed<()> {
        let depth = self.vars.len();
        for node in nodes {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Print(p) => {
                    let value = self.pipeline(p, dot)?;
                    if p.declare.is_empty() {
                        out.push_str(&display(&value));
                    }
                }
                Node::If(p, then, otherwise) => {
                    let inner = self.vars.len();
                    let value = self.pipeline(p, dot)?;
                    let branch = if truthy(&value) { then } else { otherwise };
                    self.nodes(branch, dot, out)?;
                    self.vars.truncate(inner);
                }
                Node::With(p, then, otherwise) => {
                    let inner = self.vars.len();
                    let value = self.pipeline(p, dot)?;
                    if truthy(&value) {
                        self.nodes(then, &value, out)?;
                    } else {
                        self.nodes(otherwise, dot, out)?;
                    }
                    self.vars.truncate(inner);
                }
                Node::Range(p, body, otherwise) => {
                    let inner = self.vars.len();
                    let declare = p.declare.clone();
                    let plain = Pipeline {
                        declare: Vec::new(),
                        commands: p.commands.clone(),
                    };
                    let value = self.pipeline(&plain, dot)?;
                    let items: Vec<(Value, Value)> = match &value {
                        Value::Array(items) => items
                            .iter()
                            .enumerate()
                            .map(|(i, v)| (Value::from(i), v.clone()))
                            .collect(),
                        Value::Object(map) => {
                            let mut keys: Vec<&String> = map.keys().collect();
                            keys.sort();
                            keys.into_iter()
                                .map(|k| (Value::String(k.clone()), map[k].clone()))
                                .collect()
                        }
                        Value::Null => Vec::new(),
                        Value::Number(n) => (0..n.as_u64().unwrap_or(0))
                            .map(|i| (Value::from(i), Value::from(i)))
                            .collect(),
                        other => return Err(format!("cannot range over {}", describe(other))),
                    };
                    if items.is_empty() {
                        self.nodes(otherwise, dot, out)?;
                    }
                    for (key, item) in items {
                        let scope = self.vars.len();
                        match declare.as_slice() {
                            [] => {}
                            [v] => self.vars.push((v.clone(), item.clone())),
                            [k, v, ..] => {
                                self.vars.push((k.clone(), key));
                                self.vars.push((v.clone(), item.clone()));
                            }
                        }
                        self.nodes(body, &item, out)?;
                        self.vars.truncate(scope);
                    }
                    self.vars.truncate(inner);
                }
            }
        }
        self.vars.truncate(depth);
        Ok(())
    }
}

/// A compiled `--format`.
pub struct Template {
    nodes: Vec<Node>,
    format: String,
}

impl Template {
    pub fn new(format: &str) -> Result<Template, TemplateError> {
        let error = |detail: String| TemplateError {
            format: format.into(),
            detail: crate::ui::printable(&detail),
        };
        let mut pieces = split_pieces(format).map_err(error)?.into_iter().peekable();
        let (nodes, stop) = parse_nodes(&mut pieces).map_err(error)?;
        match stop {
            Stop::Eof => {}
            Stop::End => return Err(error("{{end}} without a block to end".into())),
            Stop::Else(_) => {
                return Err(error(
                    "{{else}} outside {{if}}, {{range}} or {{with}}".into(),
                ));
            }
        }
        Ok(Template {
            nodes,
            format: format.into(),
        })
    }

    pub fn render(&self, value: &Value) -> Result<String, TemplateError> {
        let mut scope = Scope {
            root: value,
            vars: Vec::new(),
        };
        let mut out = String::new();
        scope
            .nodes(&self.nodes, value, &mut out)
            .map_err(|detail| TemplateError {
                format: self.format.clone(),
                detail: crate::ui::printable(&detail),
            })?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(format: &str, value: &Value) -> String {
        Template::new(format)
            .unwrap_or_else(|e| panic!("{e}"))
            .render(value)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn go_style_fields_and_json() {
        let value =
            json!({"name": "dev", "engine_version": "1.0", "driver": {"host": {"ip": "10.0.0.2"}}});
        assert_eq!(
            render("{{.Name}}\\t{{.EngineVersion}} {{.Driver.Host.IP}}", &value),
            "dev\t1.0 10.0.0.2"
        );
        assert_eq!(
            render("{{json .Driver}}", &value),
            r#"{"host":{"ip":"10.0.0.2"}}"#
        );
        assert_eq!(
            render("{{prettyjson .Driver}}", &value),
            "{\n    \"host\": {\n        \"ip\": \"10.0.0.2\"\n    }\n}"
        );
        assert_eq!(render("{{ .Name | printf \"%-5s|\" }}", &value), "dev  |");
    }

    #[test]
    fn else_chains_share_one_end_and_bad_blocks_are_refused() {
        let chain =
            "{{if eq .N 1}}one{{else if eq .N 2}}two{{else with .Name}}{{.}}{{else}}none{{end}}!";
        let seen: Vec<String> = [
            json!({"n": 1, "name": ""}),
            json!({"n": 2, "name": ""}),
            json!({"n": 3, "name": "x"}),
            json!({"n": 3, "name": ""}),
        ]
        .iter()
        .map(|v| render(chain, v))
        .collect();
        assert_eq!(seen, ["one!", "two!", "x!", "none!"]);
        for (bad, why) in [
            ("{{if .A}}x", "has no {{end}}"),
            (
                "{{if .A}}x{{else}}y{{else}}z{{end}}",
                "needs one {{else}} and an {{end}}",
            ),
            (
                "{{if .A}}x{{else range .B}}y{{end}}",
                "unexpected {{else range .B}}",
            ),
            ("{{if .A}}x{{else if .B}}y", "has no {{end}}"),
        ] {
            let e = Template::new(bad)
                .err()
                .unwrap_or_else(|| panic!("{bad} parsed"));
            assert!(e.to_string().contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn control_and_functions() {
        let value = json!({
            "name": "dev",
            "state": "Running",
            "labels": ["a=1", "b=2"],
            "ports": {"80/tcp": [{"host_port": "8080"}]},
            "count": 3
        });
        assert_eq!(
            render("{{if eq .State \"Running\"}}up{{else}}down{{end}}", &value),
            "up"
        );
        assert_eq!(
            render(
                "{{if eq .State \"Stopped\"}}down{{else if gt .Count 2}}many{{else}}few{{end}}",
                &value
            ),
            "many"
        );
        assert_eq!(
            render("{{range .Labels}}[{{.}}]{{end}}", &value),
            "[a=1][b=2]"
        );
        assert_eq!(
            render(
                "{{range $i, $l := .Labels}}{{$i}}={{$l}} {{end}}{{$.Name}}",
                &value
            ),
            "0=a=1 1=b=2 dev"
        );
        assert_eq!(render("{{index .Labels 1}}", &value), "b=2");
        assert_eq!(
            render("{{(index (index .Ports \"80/tcp\") 0).HostPort}}", &value),
            "8080"
        );
        assert_eq!(
            render("{{printf \"%s has %d\" .Name .Count}}", &value),
            "dev has 3"
        );
        assert_eq!(render("{{len .Labels}} {{.Labels}}", &value), "2 [a=1 b=2]");
        assert_eq!(render("{{with .Name}}<{{.}}>{{end}}", &value), "<dev>");
        assert_eq!(
            render(
                "{{range .Nope2}}x{{else}}none{{end}}",
                &json!({"nope2": []})
            ),
            "none"
        );
        assert_eq!(
            render("{{- /* c */ -}} a {{- \" b \" -}} c", &value),
            "a b c"
        );
        assert_eq!(render("{{$n := .Name}}{{$n}}{{$n}}", &value), "devdev");
        assert_eq!(
            render(
                "{{if and .Name (not .Nothing)}}y{{end}}",
                &json!({"name": "x", "nothing": ""})
            ),
            "y"
        );
    }

    #[test]
    fn unknown_fields_and_bad_templates_are_errors() {
        let t = Template::new("{{.Nope}}").unwrap();
        let error = t.render(&json!({"name": "x"})).unwrap_err().to_string();
        assert!(
            error.contains("--format") && error.contains("Nope"),
            "{error}"
        );
        for bad in [
            "{{if .A}}x",
            "{{end}}",
            "{{.A",
            "{{frob .A}}",
            "{{range}}{{end}}",
        ] {
            assert!(Template::new(bad).is_err(), "{bad}");
        }
    }
}
