//! The bless step: the expectations a known-good image meets, as TOML.

use super::check::{Index, glob_literal};
use super::expectations::{
    Checking, ExpectationsOut, HardLink, Junction, LinkCount, NoDangling, Nothing, Only, PathOnly,
    Reparse, Shortcut, Symlink, TagValue,
};
use crate::error::{Error, Result};
use crate::links::{Outcome, RecordReport, Reports};
use crate::reparse::ReparseKind;
use crate::tree::is_under;

/// The expectations the image behind `reports` meets. With `paths`, only what
/// lies at or under them (and a `[[file]]` or `[[dir]]` for each); without, the
/// whole volume. Either way: every hard-link group, link and reparse point, an
/// `[[only]]` per path (or one for the volume) so that an added link fails,
/// `[[no_dangling]]` per path (or one for the volume) excepting the links that dangle now, `[[no_findings]]` when
/// it holds (whole volume only), and `[settings]` saying the options `reports`
/// were made with.
///
/// ```no_run
/// use ntfs_links::{Analysis, LinkOptions, Reports, Scan, Tree};
/// let volume = ntfs_links::open("fixtures/reparse.img", Default::default())?;
/// let scan = Scan::run(&volume, Default::default())?;
/// let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
/// let reports = Reports::new(&analysis, LinkOptions { drive: Some('C') });
/// let blessed = ntfs_links::verify::bless(&reports, &[])?;
/// assert_eq!(blessed.settings.drive.as_deref(), Some("C:"));
/// # Ok::<(), ntfs_links::Error>(())
/// ```
///
/// A path in `paths` that the image does not hold is an error
/// ([`Error::NoSuchPath`]): expectations for a mistyped path would check
/// nothing.
pub fn bless(reports: &Reports<'_>, paths: &[String]) -> Result<ExpectationsOut> {
    let index = Index::new(reports, paths.iter().map(String::as_str));
    // Each path as the image has it (`/./Dir1` and `/DIR1` are `/dir1`).
    let mut prefixes = Vec::new();
    for p in paths {
        let path = index
            .canonical(p)
            .ok_or_else(|| Error::NoSuchPath { path: p.clone() })?;
        prefixes.push(path);
    }
    let wanted = |p: &str| prefixes.is_empty() || prefixes.iter().any(|x| is_under(p, x));
    let mut out = ExpectationsOut {
        settings: Checking::of(reports).to_settings(),
        ..Default::default()
    };
    for p in &prefixes {
        match index.find(p) {
            Some((r, _)) if r.is_dir => out.dir.push(PathOnly { path: p.clone() }),
            Some(_) => out.file.push(PathOnly { path: p.clone() }),
            None => return Err(Error::NoSuchPath { path: p.clone() }),
        }
    }
    let mut dangling = Vec::new();
    for r in index.links() {
        let links: Vec<&str> = r.hard_links().filter_map(|n| n.path.as_deref()).collect();
        if links.len() > 1 && links.iter().any(|p| wanted(p)) {
            let mut sorted: Vec<String> = links.iter().map(|s| s.to_string()).collect();
            sorted.sort();
            out.link_count.push(LinkCount {
                path: sorted.first().cloned().unwrap_or_default(),
                count: links.len() as u32,
            });
            out.hardlink.push(HardLink { paths: sorted });
        }
        if let Some(rp) = &r.reparse {
            bless_reparse(r, rp, &wanted, &mut out);
        }
        if let Some(res) = r.shortcut_resolution() {
            // Every name of the shortcut that is wanted: each dangles alike.
            let names: Vec<&str> = r
                .hard_links()
                .filter_map(|n| n.path.as_deref())
                .filter(|p| wanted(p))
                .collect();
            if let Some(path) = names.first() {
                let resolved = matches!(res.outcome, Outcome::Resolved);
                out.shortcut.push(Shortcut {
                    path: (*path).to_owned(),
                    target: r.shortcut_target().map(str::to_owned),
                    resolves_to: res.path.clone().filter(|_| resolved),
                    outcome: (!resolved).then(|| res.outcome.as_str().to_owned()),
                });
            }
            if res.outcome.dangles() {
                dangling.extend(names.iter().map(|p| (*p).to_owned()));
            }
        }
        for n in &r.names {
            if let Some(path) = n.path.as_deref().filter(|p| wanted(p))
                && n.resolution
                    .as_ref()
                    .is_some_and(|res| res.outcome.dangles())
            {
                dangling.push(path.to_owned());
            }
        }
    }
    // Shortcuts are covered when the part blessed holds some (a file
    // blessed before shortcuts were read keeps its meaning).
    let shortcuts = !out.shortcut.is_empty();
    out.only = if prefixes.is_empty() {
        vec![Only {
            under: None,
            shortcuts,
        }]
    } else {
        prefixes
            .iter()
            .map(|p| Only {
                under: Some(p.clone()),
                shortcuts,
            })
            .collect()
    };
    // One per path blessed, each excepting the links under it that dangle
    // now (or one for the volume).
    let except = |under: &str| -> Vec<String> {
        dangling
            .iter()
            .filter(|d| is_under(d, under))
            .map(|d| glob_literal(d))
            .collect()
    };
    out.no_dangling = if prefixes.is_empty() {
        vec![NoDangling {
            under: None,
            except: except("/"),
            shortcuts,
        }]
    } else {
        prefixes
            .iter()
            .map(|p| NoDangling {
                under: Some(p.clone()),
                except: except(p),
                shortcuts,
            })
            .collect()
    };
    if prefixes.is_empty() && index.with_findings().next().is_none() {
        out.no_findings.push(Nothing {});
    }
    out.hardlink.sort_by(|a, b| a.paths.cmp(&b.paths));
    out.link_count.sort_by(|a, b| a.path.cmp(&b.path));
    out.shortcut.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn bless_reparse(
    r: &RecordReport,
    rp: &crate::reparse::ReparsePoint,
    wanted: &dyn Fn(&str) -> bool,
    out: &mut ExpectationsOut,
) {
    let target = rp
        .print_name()
        .filter(|p| !p.is_empty())
        .or_else(|| {
            rp.substitute_name()
                .map(|s| s.strip_prefix(r"\??\").unwrap_or(s))
        })
        .map(str::to_owned);
    for name in r.hard_links() {
        let Some(path) = name.path.clone().filter(|p| wanted(p)) else {
            continue;
        };
        let resolves_to = name
            .resolution
            .as_ref()
            .filter(|res| matches!(res.outcome, Outcome::Resolved))
            .and_then(|res| res.path.clone());
        match (rp.kind, &target) {
            (ReparseKind::Junction | ReparseKind::VolumeMountPoint, Some(target))
                if rp.malformed.is_none() =>
            {
                out.junction.push(Junction {
                    path,
                    target: target.clone(),
                    resolves_to,
                });
            }
            (ReparseKind::Symlink, Some(target)) if rp.malformed.is_none() => {
                out.symlink.push(Symlink {
                    path,
                    target: target.clone(),
                    relative: rp.relative(),
                    dir: Some(r.is_dir),
                    resolves_to,
                })
            }
            _ => {
                if let Some(tag) = rp.tag {
                    let tag = match rp.tag_name {
                        Some(name) => TagValue::Name(name.to_owned()),
                        None => TagValue::Number(tag),
                    };
                    out.reparse.push(Reparse { path, tag });
                }
            }
        }
    }
}
