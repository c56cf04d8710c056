//! The harness's files: a verification as text for people, json, and JUnit XML
//! so that CI systems show each expectation as a test case; the expectations the
//! bless step writes (TOML); snapshots (YAML).

use crate::text::{Escaped, Message, is_unsafe};
use crate::verify::{ExpectationsOut, Snapshot, TagValue, Verification};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io::{self, Write};

/// Formats of `verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum VerifyFormat {
    /// One line per expectation, failures indented under it.
    #[default]
    Text,
    /// Failed expectations and their failures only, then the summary.
    TextQuiet,
    /// The [`Verification`] as json.
    Json,
    /// JUnit XML: one test case per expectation.
    Junit,
    /// GitHub Actions annotations: one `::error` per failure, at the file and
    /// line of its expectation, then the summary.
    Github,
}

/// Writes `v` (of the image named `image`, against the expectations file named
/// `expectations`) in `format`.
pub fn write_verification(
    v: &Verification,
    image: &str,
    expectations: &str,
    format: VerifyFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        VerifyFormat::Text | VerifyFormat::TextQuiet => {
            let quiet = format == VerifyFormat::TextQuiet;
            for c in v.checks.iter().filter(|c| !(quiet && c.passed)) {
                let status = if c.passed { "ok  " } else { "FAIL" };
                writeln!(out, "{status} line {:>4}  {}", c.line, Escaped(&c.name))?;
                for f in &c.failures {
                    writeln!(out, "       {}", failure_text(f))?;
                }
            }
            write_summary(v, expectations, out)
        }
        VerifyFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, v)?;
            writeln!(out)
        }
        VerifyFormat::Junit => write_junit(v, image, expectations, out),
        VerifyFormat::Github => {
            let file = github_escape(&Escaped(expectations).to_string(), true);
            for c in v.checks.iter().filter(|c| !c.passed) {
                for f in &c.failures {
                    let message = failure_text(f);
                    writeln!(
                        out,
                        "::error file={file},line={},title={}::{}",
                        c.line.max(1),
                        github_escape(&format!("ntfs-links {}", c.kind), true),
                        github_escape(&message, false)
                    )?;
                }
            }
            write_summary(v, expectations, out)
        }
    }
}

/// Writes the expectations the bless step found (TOML), after a comment naming
/// the image.
///
/// The TOML is written here, not by a serializer, so that every string is one
/// line whatever it holds: a name's newlines, controls and bidirectional
/// controls are written as TOML escapes (`\n`, `\u001B`, `\u202E`), so the
/// file reads back to the exact names and no name can forge a table of its own.
pub fn write_expectations(
    blessed: &ExpectationsOut,
    image: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "# expectations met by {}, written by ntfs-links expect",
        Escaped(image)
    )?;
    let mut t = TomlWriter { out, tables: 0 };
    if blessed.allow_empty {
        writeln!(t.out, "allow_empty = true")?;
    }
    let s = &blessed.settings;
    t.table("[settings]")?;
    t.opt_str("drive", s.drive.as_deref())?;
    t.opt_bool("check_index", s.check_index)?;
    t.opt_bool("check_times", s.check_times)?;
    for h in &blessed.hardlink {
        t.table("[[hardlink]]")?;
        t.strs("paths", &h.paths)?;
    }
    for j in &blessed.junction {
        t.table("[[junction]]")?;
        t.str("path", &j.path)?;
        t.str("target", &j.target)?;
        t.opt_str("resolves_to", j.resolves_to.as_deref())?;
    }
    for l in &blessed.symlink {
        t.table("[[symlink]]")?;
        t.str("path", &l.path)?;
        t.str("target", &l.target)?;
        t.opt_bool("relative", l.relative)?;
        t.opt_bool("dir", l.dir)?;
        t.opt_str("resolves_to", l.resolves_to.as_deref())?;
    }
    for l in &blessed.shortcut {
        t.table("[[shortcut]]")?;
        t.str("path", &l.path)?;
        t.opt_str("target", l.target.as_deref())?;
        t.opt_str("resolves_to", l.resolves_to.as_deref())?;
        t.opt_str("outcome", l.outcome.as_deref())?;
    }
    for (table, list) in [("[[file]]", &blessed.file), ("[[dir]]", &blessed.dir)] {
        for p in list {
            t.table(table)?;
            t.str("path", &p.path)?;
        }
    }
    for r in &blessed.reparse {
        t.table("[[reparse]]")?;
        t.str("path", &r.path)?;
        match &r.tag {
            TagValue::Number(n) => writeln!(t.out, "tag = {n}")?,
            TagValue::Name(name) => t.str("tag", name)?,
        }
    }
    for l in &blessed.link_count {
        t.table("[[link_count]]")?;
        t.str("path", &l.path)?;
        writeln!(t.out, "count = {}", l.count)?;
    }
    for o in &blessed.only {
        t.table("[[only]]")?;
        t.opt_str("under", o.under.as_deref())?;
        t.opt_bool("shortcuts", o.shortcuts.then_some(true))?;
    }
    for n in &blessed.no_dangling {
        t.table("[[no_dangling]]")?;
        t.opt_str("under", n.under.as_deref())?;
        if !n.except.is_empty() {
            t.strs("except", &n.except)?;
        }
        t.opt_bool("shortcuts", n.shortcuts.then_some(true))?;
    }
    for _ in &blessed.no_findings {
        t.table("[[no_findings]]")?;
    }
    Ok(())
}

/// The few TOML forms an expectations file needs, strings always on one line.
struct TomlWriter<'w> {
    out: &'w mut dyn Write,
    tables: usize,
}

impl TomlWriter<'_> {
    fn table(&mut self, header: &str) -> io::Result<()> {
        if self.tables > 0 {
            writeln!(self.out)?;
        }
        self.tables += 1;
        writeln!(self.out, "{header}")
    }

    fn str(&mut self, key: &str, value: &str) -> io::Result<()> {
        write!(self.out, "{key} = ")?;
        toml_string(value, self.out)?;
        writeln!(self.out)
    }

    fn opt_str(&mut self, key: &str, value: Option<&str>) -> io::Result<()> {
        value.map_or(Ok(()), |v| self.str(key, v))
    }

    fn opt_bool(&mut self, key: &str, value: Option<bool>) -> io::Result<()> {
        value.map_or(Ok(()), |v| writeln!(self.out, "{key} = {v}"))
    }

    fn strs(&mut self, key: &str, values: &[String]) -> io::Result<()> {
        write!(self.out, "{key} = [")?;
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                write!(self.out, ", ")?;
            }
            toml_string(v, self.out)?;
        }
        writeln!(self.out, "]")
    }
}

/// One TOML string on one line: `"..."` when nothing needs escaping, `'...'`
/// (literal, so Windows paths keep single backslashes) when only `"` or `\`
/// would, and an escaped basic string otherwise.
fn toml_string(s: &str, out: &mut dyn Write) -> io::Result<()> {
    let unsafe_char = |c: char| crate::text::is_unsafe(c);
    if !s.contains(['"', '\\']) && !s.chars().any(unsafe_char) {
        return write!(out, "\"{s}\"");
    }
    if !s.contains('\'') && !s.chars().any(unsafe_char) {
        return write!(out, "'{s}'");
    }
    out.write_all(b"\"")?;
    for c in s.chars() {
        match c {
            '"' => out.write_all(b"\\\"")?,
            '\\' => out.write_all(b"\\\\")?,
            '\n' => out.write_all(b"\\n")?,
            '\r' => out.write_all(b"\\r")?,
            '\t' => out.write_all(b"\\t")?,
            c if unsafe_char(c) => write!(out, "\\u{:04X}", u32::from(c))?,
            c => write!(out, "{c}")?,
        }
    }
    out.write_all(b"\"")
}

/// Writes a snapshot as YAML.
///
/// The layout is serde_norway's; strings are written by it too, except those
/// holding a character that could break a line or act on a terminal
/// ([`is_unsafe`](crate::text::is_unsafe)): those are written here, double-quoted
/// on one line with YAML escapes (`\n`, `\u202E`), where serde_norway would
/// write newlines as a block and bidirectional controls raw. The YAML reads back
/// to the exact names.
pub fn write_snapshot(snap: &Snapshot, out: &mut dyn Write) -> io::Result<()> {
    let value = serde_norway::to_value(snap).map_err(io::Error::other)?;
    let mut text = String::new();
    yaml_node(&value, 0, &mut text).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())
}

/// Writes `value` as the body of a block node at `indent` (a mapping's keys or a
/// sequence's dashes start there), each line ended.
fn yaml_node(value: &serde_norway::Value, indent: usize, out: &mut String) -> Result<(), String> {
    use serde_norway::Value;
    let pad = " ".repeat(indent);
    match value {
        Value::Mapping(m) => {
            for (k, v) in m {
                out.push_str(&pad);
                yaml_scalar(k, out)?;
                out.push(':');
                yaml_child(v, indent, true, out)?;
            }
        }
        Value::Sequence(items) => {
            for v in items {
                out.push_str(&pad);
                out.push('-');
                yaml_child(v, indent, false, out)?;
            }
        }
        scalar => {
            out.push_str(&pad);
            yaml_scalar(scalar, out)?;
            out.push('\n');
        }
    }
    Ok(())
}

/// Writes what follows `key:` or `-`: a scalar or an empty collection on the
/// same line, a mapping below (indented under a key, its first key on the dash
/// line under a dash), a sequence below (at the key's own indent).
fn yaml_child(
    v: &serde_norway::Value,
    indent: usize,
    in_mapping: bool,
    out: &mut String,
) -> Result<(), String> {
    use serde_norway::Value;
    match v {
        Value::Mapping(m) if !m.is_empty() => {
            if in_mapping {
                out.push('\n');
                yaml_node(v, indent + 2, out)
            } else {
                out.push(' ');
                let mut body = String::new();
                yaml_node(v, indent + 2, &mut body)?;
                out.push_str(body.get(indent + 2..).unwrap_or_default());
                Ok(())
            }
        }
        Value::Sequence(s) if !s.is_empty() => {
            out.push('\n');
            yaml_node(v, if in_mapping { indent } else { indent + 2 }, out)
        }
        Value::Mapping(_) => {
            out.push_str(" {}\n");
            Ok(())
        }
        Value::Sequence(_) => {
            out.push_str(" []\n");
            Ok(())
        }
        scalar => {
            out.push(' ');
            yaml_scalar(scalar, out)?;
            out.push('\n');
            Ok(())
        }
    }
}

/// One scalar on one line.
fn yaml_scalar(v: &serde_norway::Value, out: &mut String) -> Result<(), String> {
    match v {
        serde_norway::Value::String(s) if s.chars().any(|c| is_unsafe(c) || !yaml_printable(c)) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    c if is_unsafe(c) || !yaml_printable(c) => {
                        out.push_str(&format!("\\u{:04X}", u32::from(c)));
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
            Ok(())
        }
        other => {
            let text = serde_norway::to_string(other).map_err(|e| e.to_string())?;
            out.push_str(text.trim_end_matches('\n'));
            Ok(())
        }
    }
}

/// The last line of text and GitHub output: the file and its counts.
fn write_summary(v: &Verification, expectations: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "expectations in {}: {} held, {} did not",
        Escaped(expectations),
        v.passed,
        v.failed
    )
}

/// What YAML allows unescaped (YAML 1.2, 5.1): tab, line breaks, printable
/// ASCII, NEL, and U+00A0 to U+10FFFF but surrogates, U+FFFE and U+FFFF.
fn yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// A failed expectation for text: its path, what was expected and what was
/// found, each [escaped](crate::text) (names in them read back exactly).
fn failure_text(f: &crate::verify::Failure) -> String {
    format!(
        "{}: expected {}, found {}",
        Escaped(&f.path),
        Escaped(&f.expected),
        Escaped(&f.found)
    )
}

/// Escapes text for a GitHub Actions workflow command: `%`, CR and LF always,
/// and `:` and `,` in a property's value.
fn github_escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// A JUnit document for a verification that could not run (exit 2): one test
/// case in error, so that CI uploaders still get a valid report.
pub fn write_junit_error(
    image: &str,
    expectations: &str,
    message: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let counts = [("tests", "1"), ("failures", "0"), ("errors", "1")];
    let message = Message(message).to_string();
    let message = message.as_str();
    let expectations = Escaped(expectations).to_string();
    let expectations = expectations.as_str();
    write_junit_document(out, image, &counts, |w| {
        w.create_element("testcase")
            .with_attributes([
                ("classname", "verify"),
                ("name", "the image and the expectations can be read"),
                ("file", expectations),
            ])
            .write_inner_content(|w| {
                w.create_element("error")
                    .with_attributes([("message", message), ("type", "unusable input")])
                    .write_text_content(BytesText::new(message))?;
                Ok(())
            })?;
        Ok(())
    })
}

fn write_junit(
    v: &Verification,
    image: &str,
    expectations: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (tests, failures) = (v.checks.len().to_string(), v.failed.to_string());
    let counts = [("tests", tests.as_str()), ("failures", failures.as_str())];
    let expectations = Escaped(expectations).to_string();
    let expectations = expectations.as_str();
    write_junit_document(out, image, &counts, |w| {
        for c in &v.checks {
            let name = format!("{} (line {})", Escaped(&c.name), c.line);
            let line = c.line.to_string();
            let case = w.create_element("testcase").with_attributes([
                ("classname", c.kind),
                ("name", name.as_str()),
                ("file", expectations),
                ("line", line.as_str()),
            ]);
            let Some(first) = c.failures.first().filter(|_| !c.passed) else {
                case.write_empty()?;
                continue;
            };
            case.write_inner_content(|w| {
                let message = failure_text(first);
                let body: Vec<String> = c.failures.iter().map(failure_text).collect();
                w.create_element("failure")
                    .with_attributes([("message", message.as_str()), ("type", c.kind)])
                    .write_text_content(BytesText::new(&body.join("\n")))?;
                Ok(())
            })?;
        }
        Ok(())
    })
}

/// The frame every JUnit document of `verify` has: the declaration, then the
/// suites and the one suite named after the image, both with `counts`; `cases`
/// writes the test cases.
fn write_junit_document(
    out: &mut dyn Write,
    image: &str,
    counts: &[(&str, &str)],
    cases: impl FnOnce(&mut Writer<&mut dyn Write>) -> io::Result<()>,
) -> io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("testsuites")
        .with_attributes([("name", "ntfs-links verify")])
        .with_attributes(counts.iter().copied())
        .write_inner_content(|w| {
            w.create_element("testsuite")
                .with_attributes([("name", Escaped(image).to_string().as_str())])
                .with_attributes(counts.iter().copied())
                .write_inner_content(cases)?;
            Ok(())
        })?;
    writeln!(w.get_mut())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings_stay_on_one_line_and_printable() {
        let mut out = String::new();
        let v = serde_norway::Value::String("a\nb\u{202e}c\u{fffe}\"\\".into());
        yaml_scalar(&v, &mut out).unwrap();
        assert_eq!(out, r#""a\nb\u202Ec\uFFFE\"\\""#);
        let back: String = serde_norway::from_str(&out).unwrap();
        assert_eq!(back, "a\nb\u{202e}c\u{fffe}\"\\");
    }

    #[test]
    fn failures_read_back_exactly() {
        let f = crate::verify::Failure {
            path: "/a\\u{a}b\nc".into(),
            expected: "nothing".into(),
            found: "a file".into(),
        };
        let text = failure_text(&f);
        assert_eq!(text, r"/a\u{5c}u{a}b\u{a}c: expected nothing, found a file");
        let path = text.split(": expected").next().unwrap();
        assert_eq!(crate::text::unescape(path).unwrap(), f.path);
    }
}
