//! The harness's files: a verification as text for people, json, and JUnit XML
//! so that CI systems show each expectation as a test case; the expectations the
//! bless step writes (TOML); snapshots (YAML).

use crate::text::{Escaped, Message};
use crate::verify::{ExpectationsOut, Snapshot, Verification};
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
                    writeln!(out, "       {}", Message(&f.to_string()))?;
                }
            }
            writeln!(
                out,
                "expectations in {}: {} held, {} did not",
                Escaped(expectations),
                v.passed,
                v.failed
            )
        }
        VerifyFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, v)?;
            writeln!(out)
        }
        VerifyFormat::Junit => write_junit(v, image, expectations, out),
        VerifyFormat::Github => {
            let file = github_escape(expectations, true);
            for c in v.checks.iter().filter(|c| !c.passed) {
                for f in &c.failures {
                    let message = Message(&f.to_string()).to_string();
                    writeln!(
                        out,
                        "::error file={file},line={},title={}::{}",
                        c.line.max(1),
                        github_escape(&format!("ntfs-links {}", c.kind), true),
                        github_escape(&message, false)
                    )?;
                }
            }
            writeln!(
                out,
                "expectations in {}: {} held, {} did not",
                Escaped(expectations),
                v.passed,
                v.failed
            )
        }
    }
}

/// Writes the expectations the bless step found (TOML), after a comment naming
/// the image and the drive letter targets were judged with.
pub fn write_expectations(
    blessed: &ExpectationsOut,
    image: &str,
    drive: Option<char>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let text = toml::to_string(blessed).map_err(io::Error::other)?;
    writeln!(
        out,
        "# expectations met by {}, written by ntfs-links expect",
        Escaped(image)
    )?;
    if let Some(d) = drive {
        writeln!(
            out,
            "# verify with --drive {d}: (targets were judged with it)"
        )?;
    }
    out.write_all(text.as_bytes())
}

/// Writes a snapshot as YAML.
pub fn write_snapshot(snap: &Snapshot, out: &mut dyn Write) -> io::Result<()> {
    let yaml = serde_norway::to_string(snap).map_err(io::Error::other)?;
    out.write_all(yaml.as_bytes())
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
                let message = Message(&first.to_string()).to_string();
                let body: Vec<String> = c
                    .failures
                    .iter()
                    .map(|f| Message(&f.to_string()).to_string())
                    .collect();
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
