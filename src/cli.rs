//! The command line: flags defined here, turned into library calls. No NTFS
//! knowledge lives here.

use clap::{Args, Parser, Subcommand, ValueEnum};
use ntfs_links::output::{self, Format, PathStyle};
use ntfs_links::security::RecordSecurity;
use ntfs_links::verify::Checking;
use ntfs_links::volume::VolumeInfo;
use ntfs_links::{
    Analysis, AnalysisOptions, Image, ImageOptions, LinkOptions, Location, Reports, Scan,
    ScanOptions, Tree, Volume,
};
use std::io::Write;
use std::path::PathBuf;

/// Read raw NTFS images without mounting them: every MFT record, every hard-link
/// path, every reparse point.
#[derive(Debug, Parser)]
#[command(name = "ntfs-links", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The container (EWF, VHD, VHDX, VMDK, QCOW2, split raw: format, files,
    /// metadata, parents), volume facts (geometry, $MFT extents, label, serial,
    /// version) and partitions.
    #[command(
        after_help = "Examples:\n  ntfs-links info disk.E01\n  ntfs-links info --partition 2 --format json disk.img\n  ntfs-links info --verify-hash evidence.E01"
    )]
    Info {
        #[command(flatten)]
        input: Input,
        /// Output format.
        #[arg(long, value_enum, default_value_t = InfoFormat::Text)]
        format: InfoFormat,
        /// Recompute the hashes the container stores (EWF's MD5 and SHA1) over
        /// the whole disk: exit 1 when one differs.
        #[arg(long)]
        verify_hash: bool,
    },
    /// Every in-use base record with its names, paths, streams and findings.
    #[command(
        after_help = "Examples:\n  ntfs-links scan --format jsonl disk.img > records.jsonl\n  ntfs-links scan --deleted --format bodyfile --drive C: disk.E01 > body && mactime -b body -d\n  ntfs-links scan --path /Users/alice --windows-paths --drive C: disk.img\n  ntfs-links scan --mft '$MFT' --record-slack --deleted"
    )]
    Scan {
        #[command(flatten)]
        input: Input,
        /// Output format: text for people, jsonl for machines (one record a line).
        #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
        format: ScanFormat,
        /// Also report records not in use that still hold a $FILE_NAME.
        #[arg(long)]
        deleted: bool,
        /// Add timestamps ($STANDARD_INFORMATION's and each $FILE_NAME's) and
        /// sizes, and check them (bodyfile and csv always have them).
        #[arg(long)]
        times: bool,
        /// Compare every directory's $I30 index with the names that claim it.
        #[arg(long)]
        check_index: bool,
        /// List names recoverable from index slack (reads the indexes too).
        #[arg(long)]
        index_slack: bool,
        /// List attributes left in the slack of MFT records (after the end
        /// marker): older names of files and directories.
        #[arg(long)]
        record_slack: bool,
        /// Only records with a name at or under this path.
        #[arg(long, value_name = "PATH")]
        path: Option<String>,
        /// Text and csv: write paths as Windows does (`C:\Users\alice` with
        /// --drive C:, `\Users\alice` without).
        #[arg(long)]
        windows_paths: bool,
    },
    /// Every record with more than one hard link, a reparse point, or a
    /// shortcut (.lnk or .pif, found by its content), and where each leads.
    #[command(
        after_help = "Examples:\n  ntfs-links links --drive C: disk.img\n  ntfs-links links --kind junction,symlink --dangling --drive C: disk.vhdx\n  ntfs-links links --kind shortcut --path /Users/alice/Recent disk.E01\n  ntfs-links links --explain"
    )]
    Links {
        #[command(flatten)]
        input: Input,
        /// Only these kinds: hardlink, junction, symlink, mount_point, wsl,
        /// interix, reparse, shortcut (comma-separated).
        #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
        kind: Vec<ntfs_links::links::LinkKind>,
        /// Only links that do not resolve (dangling, a cycle, above the root,
        /// undetermined).
        #[arg(long)]
        dangling: bool,
        /// Only records with a name at or under this path.
        #[arg(long, value_name = "PATH")]
        path: Option<String>,
        /// Output format: text, or json and jsonl (the records, with the keys
        /// of scan's: one array, or one a line).
        #[arg(long, value_enum, default_value_t = LinksFormat::Text)]
        format: LinksFormat,
        /// Text: write paths as Windows does (`C:\Users\alice` with --drive
        /// C:, `\Users\alice` without).
        #[arg(long)]
        windows_paths: bool,
        /// Print what each kind of link can do (the legend), and nothing else.
        #[arg(long, exclusive = true)]
        explain: bool,
    },
    /// Check the image against an expectations file: exit 0 when every expectation
    /// holds, 1 when any fails, 2 for unusable input or expectations.
    #[command(
        after_help = "Examples:\n  ntfs-links verify --expect tests/disk-links.toml build/disk.img\n  ntfs-links verify --expect links.toml --format junit disk.qcow2 > links.xml"
    )]
    Verify {
        #[command(flatten)]
        input: Input,
        /// The expectations (TOML).
        #[arg(long, value_name = "FILE")]
        expect: PathBuf,
        /// Output format: text for logs, json for scripts, junit for CI test
        /// reports, github for GitHub Actions annotations.
        #[arg(long, value_enum, default_value_t = VerifyFormatArg::Text)]
        format: VerifyFormatArg,
        /// Text: print only the expectations that fail, and the summary.
        #[arg(long)]
        quiet: bool,
        #[command(flatten)]
        checks: Checks,
    },
    /// Write the expectations the image meets (TOML), for all links or those under PATHs.
    #[command(
        after_help = "Examples:\n  ntfs-links expect --drive C: build/disk.img > tests/disk-links.toml\n  ntfs-links expect --path /Users --path /ProgramData disk.img"
    )]
    Expect {
        #[command(flatten)]
        input: Input,
        /// Only what lies at or under these paths.
        #[arg(long = "path", value_name = "PATH")]
        paths: Vec<String>,
        #[command(flatten)]
        checks: Checks,
    },
    /// A deterministic YAML picture of the link structure, for golden files.
    #[command(after_help = "Examples:\n  ntfs-links snapshot disk.img > links.snap.yaml")]
    Snapshot {
        #[command(flatten)]
        input: Input,
        /// Include record numbers.
        #[arg(long)]
        records: bool,
    },
    /// The content of a stream, to standard output (like sleuthkit's icat):
    /// resident or not, sparse, NTFS-compressed (LZNT1) or WOF-compressed
    /// (XPRESS, LZX).
    #[command(
        after_help = "Examples:\n  ntfs-links cat disk.img /Users/me/notes.txt > notes.txt\n  \
        ntfs-links cat disk.img '/dl/setup.exe:Zone.Identifier'\n  \
        ntfs-links cat disk.img 0x42 | md5sum\n  \
        ntfs-links cat --slack disk.img 'C:\\pagefile.sys' | strings"
    )]
    Cat {
        /// The image: an NTFS volume, or a disk image with an MBR or GPT
        /// partition table.
        image: PathBuf,
        /// A record number (`66`, `0x42`) or a path (`/dir/file.txt`,
        /// `C:\dir\file.txt`; any of a file's hard links), then optionally
        /// `:STREAM` for a named stream.
        target: String,
        /// Add the file slack: the rest of the last cluster, as it lies on disk
        /// (for streams whose clusters hold the content as is).
        #[arg(long)]
        slack: bool,
        #[command(flatten)]
        access: Access,
    },
    /// Copy a file or a subtree out to a directory, with a manifest (CSV: path,
    /// stream, record, kind, size, MD5, SHA-256, where it was written). Named
    /// streams become NAME:STREAM files; junctions and symbolic links are
    /// listed, never followed; unsafe names are escaped. Exit 1 when something
    /// could not be written (its manifest row says why).
    #[command(
        after_help = "Examples:\n  ntfs-links extract disk.img /Users/me/Documents out/ > manifest.csv\n  \
        ntfs-links extract --manifest all.csv disk.img / everything/\n  \
        ntfs-links extract --deleted disk.E01 /Users/me/Desktop desktop/ > desktop.csv"
    )]
    Extract {
        /// The image: an NTFS volume, or a disk image with an MBR or GPT
        /// partition table.
        image: PathBuf,
        /// The file or directory to copy (`/` for the whole volume).
        path: String,
        /// The output directory: made if absent, else it must be empty.
        outdir: PathBuf,
        /// Write the manifest to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        manifest: Option<PathBuf>,
        /// Also write deleted files (records not in use that still hold a
        /// name; their clusters may have been reused), marked in the manifest.
        #[arg(long)]
        deleted: bool,
        #[command(flatten)]
        access: Access,
    },
    /// One record in full, every attribute (like sleuthkit's istat).
    #[command(
        after_help = "Examples:\n  ntfs-links stat disk.img 'C:\\Users\\alice\\Application Data'\n  ntfs-links stat --format json disk.img 0x42\n  ntfs-links stat --mft '$MFT' 485\n  ntfs-links stat --record-file record.bin"
    )]
    Stat {
        /// The image: an NTFS volume, or a disk image with an MBR or GPT
        /// partition table (with --mft, the record or path alone).
        #[arg(required_unless_present_any = ["record_file", "mft"])]
        image: Option<PathBuf>,
        /// A record number (`66`, `0x42`), or a path such as /dir/file.txt.
        #[arg(required_unless_present_any = ["record_file", "mft"])]
        target: Option<String>,
        /// Show a file holding one MFT record (fixups not yet applied) instead.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["image", "target", "offset", "partition", "mft"])]
        record_file: Option<PathBuf>,
        /// Read a bare $MFT file instead of an image: `stat --mft FILE RECORD-OR-PATH`.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["offset", "partition"])]
        mft: Option<PathBuf>,
        #[command(flatten)]
        access: Access,
        /// Output format: text, or json (the record in full and its report).
        #[arg(long, value_enum, default_value_t = InfoFormat::Text)]
        format: InfoFormat,
        /// Text: write paths as Windows does (`C:\Users\alice` with --drive
        /// C:, `\Users\alice` without).
        #[arg(long)]
        windows_paths: bool,
    },
    /// Shell completions for bash, zsh, fish, elvish or PowerShell, to
    /// standard output.
    #[command(after_help = "Examples:\n  \
        ntfs-links completions bash > /etc/bash_completion.d/ntfs-links\n  \
        ntfs-links completions zsh > ~/.zfunc/_ntfs-links")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// The manual page (roff), to standard output; with --dir, one page per
    /// command into that directory (ntfs-links.1, ntfs-links-scan.1, ...).
    #[command(after_help = "Examples:\n  \
        ntfs-links man | man -l -\n  \
        ntfs-links man --dir /usr/local/share/man/man1")]
    Man {
        /// Write every page into this directory instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Where the records come from.
#[derive(Debug, Args)]
struct Input {
    /// The image: an NTFS volume, or a disk image with an MBR or GPT partition table.
    #[arg(required_unless_present = "mft")]
    image: Option<PathBuf>,
    /// Read a bare $MFT file (extracted from a volume) instead of an image.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["image", "offset", "partition"])]
    mft: Option<PathBuf>,
    #[command(flatten)]
    access: Access,
}

/// How to read the image.
#[derive(Debug, Args)]
struct Access {
    /// Offset of the NTFS volume in the image: bytes (`1048576`, `0x100000`),
    /// or sectors as `mmls` prints them (`2048s`; 512 bytes each, or
    /// --sector-size).
    #[arg(long, value_name = "OFFSET", value_parser = parse_offset)]
    offset: Option<Offset>,
    /// The sector size `--offset 2048s` counts in (4096 for 4Kn disks).
    #[arg(long, value_name = "BYTES", default_value_t = 512, value_parser = parse_sector_size)]
    sector_size: u64,
    /// Which partition to read (1-based, as `info` lists them).
    #[arg(long, value_name = "N", conflicts_with = "offset")]
    partition: Option<usize>,
    /// Read with positioned reads instead of a memory map.
    #[arg(long)]
    no_mmap: bool,
    /// The drive letter the volume had (e.g. C:), to judge absolute link targets.
    #[arg(long, value_name = "LETTER", value_parser = parse_drive)]
    drive: Option<char>,
}

/// Which checks `[[no_findings]]` covers, beyond a record's own (`expect`
/// writes them into the file's `[settings]`, `verify` reads them from there).
#[derive(Debug, Args)]
struct Checks {
    /// Also run the $I30 index checks (as scan --check-index).
    #[arg(long)]
    check_index: bool,
    /// Also keep times and run the time checks (as scan --times).
    #[arg(long)]
    check_times: bool,
}

impl Checks {
    fn with_drive(&self, drive: Option<char>) -> Checking {
        Checking::new(drive, self.check_index, self.check_times)
    }
}

/// An offset as given: bytes, or sectors of --sector-size bytes.
#[derive(Debug, Clone, Copy)]
enum Offset {
    Bytes(u64),
    Sectors(u64),
}

/// `1048576`, `0x100000` or `2048s` (sectors).
fn parse_offset(s: &str) -> Result<Offset, String> {
    let bad = || format!("{s:?} is not an offset: bytes (1048576 or 0x100000) or sectors (2048s)");
    match s.strip_suffix(['s', 'S']) {
        Some(d) => ntfs_links::tree::parse_number(d)
            .map(Offset::Sectors)
            .ok_or_else(bad),
        None => ntfs_links::tree::parse_number(s)
            .map(Offset::Bytes)
            .ok_or_else(bad),
    }
}

/// 512, 1024, 2048 or 4096.
fn parse_sector_size(s: &str) -> Result<u64, String> {
    match ntfs_links::tree::parse_number(s) {
        Some(n @ (512 | 1024 | 2048 | 4096)) => Ok(n),
        _ => Err(format!(
            "{s:?} is not a sector size: 512, 1024, 2048 or 4096"
        )),
    }
}

/// `C`, `C:` or `c:\` to `C`.
fn parse_drive(s: &str) -> Result<char, String> {
    ntfs_links::verify::parse_drive(s)
        .ok_or_else(|| format!("{s:?} is not a drive letter such as C:"))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LinksFormat {
    Text,
    Json,
    Jsonl,
}

fn parse_kind(s: &str) -> Result<ntfs_links::links::LinkKind, String> {
    ntfs_links::links::LinkKind::parse(s).ok_or_else(|| {
        let all: Vec<&str> = ntfs_links::links::LinkKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect();
        format!("{s:?} is not a kind of link: {}", all.join(", "))
    })
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum InfoFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum VerifyFormatArg {
    Text,
    Json,
    Junit,
    Github,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ScanFormat {
    Text,
    Json,
    Jsonl,
    Bodyfile,
    Csv,
}

impl Input {
    /// The input's file name, for reports.
    fn name(&self) -> String {
        self.mft
            .as_ref()
            .or(self.image.as_ref())
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    }

    /// Opens the input, says its warnings, and runs the whole pipeline with the
    /// default options, handing the reports to `f`.
    fn reports<T>(&self, f: impl FnOnce(&Reports<'_>) -> Result<T, Failure>) -> Result<T, Failure> {
        self.reports_checking(Checking::new(self.access.drive, false, false), f)
    }

    /// Like [`Input::reports`], with the options of `checking`.
    fn reports_checking<T>(
        &self,
        checking: Checking,
        f: impl FnOnce(&Reports<'_>) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let volume = self.open()?;
        warn(&volume);
        with_reports(
            &volume,
            checking.scan_options(),
            checking.analysis_options(),
            checking.link_options(),
            f,
        )
    }

    fn open(&self) -> ntfs_links::Result<Volume> {
        self.volume(self.image()?)
    }

    /// The image file (or bare $MFT file), opened.
    fn image(&self) -> ntfs_links::Result<Image> {
        match (&self.mft, &self.image) {
            (Some(path), _) | (None, Some(path)) => Image::open(path, self.access.options()),
            (None, None) => unreachable!("clap requires an image or --mft"),
        }
    }

    /// The volume in `image` (the bare $MFT with `--mft`).
    fn volume(&self, image: Image) -> ntfs_links::Result<Volume> {
        if self.mft.is_some() {
            return Volume::open_mft_file(image);
        }
        self.access.open_in(image)
    }
}

impl Access {
    fn link_options(&self) -> LinkOptions {
        LinkOptions { drive: self.drive }
    }

    fn options(&self) -> ImageOptions {
        ImageOptions {
            no_mmap: self.no_mmap,
        }
    }

    fn open(&self, image: &std::path::Path) -> ntfs_links::Result<Volume> {
        self.open_in(Image::open(image, self.options())?)
    }

    /// The volume in `image`, where these options say it is.
    fn open_in(&self, image: Image) -> ntfs_links::Result<Volume> {
        let location = match (self.offset, self.partition) {
            (Some(Offset::Bytes(bytes)), _) => Location::Offset(bytes),
            // Past the image either way: the volume is not found there.
            (Some(Offset::Sectors(n)), _) => Location::Offset(n.saturating_mul(self.sector_size)),
            (None, Some(index)) => Location::Partition(index),
            (None, None) => Location::Find,
        };
        let offset = ntfs_links::image::locate_volume(&image, location)?;
        Volume::open(image, offset)
    }
}

/// What ended a run: exit 2 for input errors.
pub enum Failure {
    /// The volume or an argument cannot be used.
    Input(anyhow::Error),
    /// Writing the output failed (a closed pipe is not reported).
    Output(std::io::Error),
}

impl From<ntfs_links::Error> for Failure {
    fn from(e: ntfs_links::Error) -> Failure {
        // The library's messages already say their cause: one line, said once.
        Failure::Input(anyhow::Error::msg(e.to_string()))
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure::Output(e)
    }
}

/// Runs the command, writing to `out`; returns the exit code (0, or 1 when an
/// expectation failed).
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<u8, Failure> {
    match cli.command {
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "ntfs-links", out);
        }
        Command::Man { dir } => {
            let command = <Cli as clap::CommandFactory>::command();
            match dir {
                None => clap_mangen::Man::new(command).render(out)?,
                Some(dir) => {
                    std::fs::create_dir_all(&dir).map_err(|e| {
                        Failure::Input(anyhow::anyhow!("cannot make {}: {e}", dir.display()))
                    })?;
                    clap_mangen::generate_to(command, &dir).map_err(|e| {
                        Failure::Input(anyhow::anyhow!("cannot write into {}: {e}", dir.display()))
                    })?;
                }
            }
        }
        Command::Info {
            input,
            format,
            verify_hash,
        } => {
            let image = input.image()?;
            let hashes = if verify_hash {
                Some(verify_hashes(&image)?)
            } else {
                None
            };
            let failed = hashes.iter().flatten().any(|h| !h.matches);
            let container = image.container();
            // A disk with several NTFS partitions and none chosen: its
            // partitions, and how to choose one.
            let several = input.mft.is_none()
                && input.access.offset.is_none()
                && input.access.partition.is_none()
                && matches!(
                    ntfs_links::image::locate_volume(&image, Location::Find),
                    Err(ntfs_links::Error::AmbiguousPartition { .. })
                );
            if several {
                let parts = ntfs_links::image::partitions(&image).1;
                match format {
                    InfoFormat::Text => {
                        if let Some(c) = &container {
                            output::write_container(c, out)?;
                        }
                        output::write_partitions(image.len(), &parts, out)?;
                        if let Some(h) = &hashes {
                            output::write_hash_checks(h, out)?;
                        }
                        writeln!(
                            out,
                            "volume:              several NTFS partitions: choose one with --partition N for its facts"
                        )?;
                    }
                    InfoFormat::Json => {
                        let doc = serde_json::json!({
                            "container": container,
                            "image_size": image.len(),
                            "partitions": parts,
                            "hash_checks": hashes,
                        });
                        serde_json::to_writer_pretty(&mut *out, &doc)
                            .map_err(std::io::Error::from)?;
                        writeln!(out)?;
                    }
                }
                out.flush()?;
                return Ok(if failed { 1 } else { 0 });
            }
            let volume = match input.volume(image) {
                Ok(volume) => volume,
                Err(e) => {
                    // What the container is, and its hashes, even when its
                    // volume cannot be read.
                    match (container, format) {
                        (Some(c), InfoFormat::Text) => {
                            output::write_container(&c, out)?;
                            if let Some(h) = &hashes {
                                output::write_hash_checks(h, out)?;
                            }
                        }
                        (Some(c), InfoFormat::Json) => {
                            let doc = serde_json::json!({
                                "container": c,
                                "hash_checks": hashes,
                                "error": e.to_string(),
                            });
                            serde_json::to_writer_pretty(&mut *out, &doc)
                                .map_err(std::io::Error::from)?;
                            writeln!(out)?;
                        }
                        (None, _) => {}
                    }
                    out.flush()?;
                    return Err(e.into());
                }
            };
            let info = VolumeInfo::new(&volume);
            match format {
                InfoFormat::Text => {
                    output::write_info(&info, out)?;
                    if let Some(h) = &hashes {
                        output::write_hash_checks(h, out)?;
                    }
                }
                InfoFormat::Json => {
                    #[derive(serde::Serialize)]
                    struct InfoJson<'a> {
                        #[serde(flatten)]
                        info: &'a VolumeInfo,
                        #[serde(skip_serializing_if = "Option::is_none")]
                        hash_checks: Option<&'a Vec<ntfs_links::image::HashCheck>>,
                    }
                    let doc = InfoJson {
                        info: &info,
                        hash_checks: hashes.as_ref(),
                    };
                    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
                    writeln!(out)?;
                }
            }
            out.flush()?;
            return Ok(if failed { 1 } else { 0 });
        }
        Command::Scan {
            input,
            format,
            deleted,
            times,
            check_index,
            index_slack,
            record_slack,
            path,
            windows_paths,
        } => {
            if input.mft.is_some() && (check_index || index_slack) {
                let option = if check_index {
                    "--check-index"
                } else {
                    "--index-slack"
                };
                return Err(Failure::Input(anyhow::anyhow!(
                    "{option} reads index blocks from the volume's clusters, which a bare $MFT does not hold: give the image instead"
                )));
            }
            let volume = input.open()?;
            warn(&volume);
            let times = times || matches!(format, ScanFormat::Bodyfile | ScanFormat::Csv);
            let format = match format {
                ScanFormat::Text => Format::Text,
                ScanFormat::Json => Format::Json,
                ScanFormat::Jsonl => Format::Jsonl,
                ScanFormat::Bodyfile => Format::Bodyfile,
                ScanFormat::Csv => Format::Csv,
            };
            let scan_options = ScanOptions::default()
                .deleted(deleted)
                .times(times)
                .record_slack(record_slack);
            let checks = AnalysisOptions::default()
                .check_index(check_index)
                .index_slack(index_slack);
            with_reports(
                &volume,
                scan_options,
                checks,
                input.access.link_options(),
                |reports| {
                    let style = PathStyle::new(reports.options().drive).windows(windows_paths);
                    match &path {
                        None => output::write_scan(reports, format, style, out)?,
                        // A subtree: the records with a name at or under it.
                        Some(p) => {
                            let under = canonical(reports, p)?;
                            let filter =
                                ntfs_links::links::Filter::new(Vec::new(), false, Some(under));
                            let chosen = reports.iter().filter(|r| filter.keeps(r));
                            output::write_reports(chosen, format, style, out)?;
                        }
                    }
                    Ok(())
                },
            )?;
        }
        Command::Links {
            input,
            kind,
            dangling,
            path,
            format,
            windows_paths,
            explain,
        } => {
            if explain {
                output::write_legend(out)?;
                out.flush()?;
                return Ok(0);
            }
            input.reports(|reports| {
                let style = PathStyle::new(reports.options().drive).windows(windows_paths);
                let under = match &path {
                    Some(p) => Some(canonical(reports, p)?),
                    None => None,
                };
                let filter = ntfs_links::links::Filter::new(kind, dangling, under);
                let chosen = reports
                    .iter()
                    .filter(|r| r.is_link())
                    .filter(|r| filter.keeps(r));
                match format {
                    LinksFormat::Text => output::write_links(chosen, style, out)?,
                    LinksFormat::Json => output::write_reports(chosen, Format::Json, style, out)?,
                    LinksFormat::Jsonl => output::write_reports(chosen, Format::Jsonl, style, out)?,
                }
                Ok(())
            })?;
        }
        Command::Verify {
            input,
            expect,
            format,
            quiet,
            checks,
        } => {
            let file = expect.display().to_string();
            let verified = ntfs_links::verify::Expectations::read(&expect)
                .and_then(|e| {
                    let checking = e.checking(checks.with_drive(input.access.drive))?;
                    Ok((e, checking))
                })
                .map_err(|e| in_file(&file, e))
                .and_then(|(expectations, checking)| {
                    input.reports_checking(checking, |reports| {
                        Ok(ntfs_links::verify::verify(reports, &expectations))
                    })
                });
            let result = match (verified, format) {
                (Ok(result), _) => result,
                (Err(Failure::Input(e)), VerifyFormatArg::Junit) => {
                    // CI uploaders need a valid report even when nothing could be checked.
                    output::write_junit_error(&input.name(), &file, &format!("{e:#}"), out)?;
                    out.flush()?;
                    return Err(Failure::Input(e));
                }
                (Err(e), _) => return Err(e),
            };
            let format = match format {
                VerifyFormatArg::Text if quiet => output::VerifyFormat::TextQuiet,
                VerifyFormatArg::Text => output::VerifyFormat::Text,
                VerifyFormatArg::Json => output::VerifyFormat::Json,
                VerifyFormatArg::Junit => output::VerifyFormat::Junit,
                VerifyFormatArg::Github => output::VerifyFormat::Github,
            };
            output::write_verification(&result, &input.name(), &file, format, out)?;
            out.flush()?;
            return Ok(if result.is_ok() { 0 } else { 1 });
        }
        Command::Expect {
            input,
            paths,
            checks,
        } => {
            let checking = checks.with_drive(input.access.drive);
            let blessed = input.reports_checking(checking, |reports| {
                Ok(ntfs_links::verify::bless(reports, &paths)?)
            })?;
            output::write_expectations(&blessed, &input.name(), out)?;
        }
        Command::Snapshot { input, records } => {
            let options = ntfs_links::verify::SnapshotOptions { records };
            let snap =
                input.reports(|reports| Ok(ntfs_links::verify::snapshot(reports, options)))?;
            output::write_snapshot(&snap, out)?;
        }
        Command::Cat {
            image,
            target,
            slack,
            access,
        } => {
            let volume = access.open(&image)?;
            warn(&volume);
            let located = match ntfs_links::tree::Located::by_number(&target) {
                Some(located) => located,
                None => Tree::new(scan(&volume, ScanOptions::default())?)
                    .locate(&target)
                    .ok_or_else(|| ntfs_links::Error::NoSuchPath {
                        path: target.clone(),
                    })?,
            };
            let stream =
                ntfs_links::content::Stream::open(&volume, located.record, &located.stream)?;
            if slack && stream.slack_size().is_none() {
                eprintln!(
                    "ntfs-links: note: a {} stream has no file slack to add",
                    stream.storage()
                );
            }
            match stream.copy_to(out, slack) {
                Err(ntfs_links::Error::Write { source }) => return Err(Failure::Output(source)),
                other => other?,
            };
        }
        Command::Extract {
            image,
            path,
            outdir,
            manifest,
            deleted,
            access,
        } => {
            let volume = access.open(&image)?;
            warn(&volume);
            let mut csv = match &manifest {
                Some(file) => output::ManifestCsv::new(
                    Box::new(std::fs::File::create(file)?) as Box<dyn Write>
                ),
                None => output::ManifestCsv::new(Box::new(&mut *out) as Box<dyn Write>),
            };
            let summary = with_reports(
                &volume,
                ScanOptions::default().times(true).deleted(deleted),
                Default::default(),
                access.link_options(),
                |reports| {
                    let bar = bytes_bar("extracting");
                    let mut failed_write = None;
                    let summary = ntfs_links::extract::extract(
                        &volume,
                        reports,
                        &path,
                        &outdir,
                        ntfs_links::extract::ExtractOptions::default().deleted(deleted),
                        &|n| {
                            if let Some(bar) = &bar {
                                bar.set_position(n);
                            }
                        },
                        &mut |row| {
                            if let Err(e) = csv.row(&row) {
                                failed_write.get_or_insert(e);
                            }
                        },
                    )?;
                    if let Some(bar) = bar {
                        bar.finish_and_clear();
                    }
                    if let Some(e) = failed_write {
                        return Err(Failure::Output(e));
                    }
                    Ok(summary)
                },
            )?;
            csv.flush()?;
            eprintln!(
                "ntfs-links: {} files and streams ({} bytes), {} directories written; {} links listed, not followed{}",
                summary.files,
                summary.bytes,
                summary.directories,
                summary.links,
                if summary.failed > 0 {
                    format!(
                        "; {} could not be written (see the manifest's error column)",
                        summary.failed
                    )
                } else {
                    String::new()
                }
            );
            return Ok(u8::from(summary.failed > 0));
        }
        Command::Stat {
            image,
            target,
            record_file,
            mft,
            access,
            format,
            windows_paths,
        } => {
            let single = record_file.is_some();
            let style = PathStyle::new(access.drive).windows(windows_paths);
            let (volume, target) = match (record_file, mft, image, target) {
                (Some(file), _, _, _) => (
                    Volume::open_mft_file(Image::open(file, access.options())?)?,
                    "0".to_owned(),
                ),
                // `stat --mft FILE TARGET`: the one positional is the target.
                (None, Some(mft), first, second) => {
                    let target = second
                        .or_else(|| first.map(|p| p.display().to_string()))
                        .ok_or_else(|| {
                            Failure::Input(anyhow::anyhow!(
                                "stat --mft needs a record number or a path"
                            ))
                        })?;
                    (
                        Volume::open_mft_file(Image::open(mft, access.options())?)?,
                        target,
                    )
                }
                (None, None, Some(image), Some(target)) => (access.open(&image)?, target),
                _ => unreachable!("clap requires an image and a target, --mft, or --record-file"),
            };
            let deleted = ScanOptions::default().deleted(true);
            with_reports(
                &volume,
                deleted,
                Default::default(),
                access.link_options(),
                |reports| {
                    let record = match ntfs_links::tree::parse_number(&target) {
                        Some(n) => n,
                        None => reports
                            .analysis()
                            .tree()
                            .lookup(&target)
                            .map(|found| found.record)
                            .ok_or_else(|| ntfs_links::Error::NoSuchPath {
                                path: target.clone(),
                            })?,
                    };
                    let detail = ntfs_links::detail::RecordDetail::read(&volume, record)?;
                    let descriptors = ntfs_links::security::Descriptors::read(&volume);
                    let security = detail.usable().ok().and_then(|()| {
                        RecordSecurity::read(&volume, record, descriptors.as_ref())
                            .ok()
                            .flatten()
                    });
                    // A lone record has no directories around it: no paths to show.
                    let report = reports
                        .analysis()
                        .scan()
                        .record(record)
                        .filter(|_| !single)
                        .map(|r| reports.report(&r));
                    match format {
                        InfoFormat::Text => output::write_stat(
                            &detail,
                            report.as_ref(),
                            security.as_ref(),
                            single,
                            style,
                            out,
                        )?,
                        InfoFormat::Json => output::write_stat_json(
                            &detail,
                            report.as_ref(),
                            security.as_ref(),
                            out,
                        )?,
                    }
                    Ok(detail.usable()?)
                },
            )?;
        }
    }
    out.flush()?;
    Ok(0)
}

/// The path of what `path` names in the image, as reports write it; an error
/// when it names nothing.
fn canonical(reports: &Reports<'_>, path: &str) -> Result<String, Failure> {
    let tree = reports.analysis().tree();
    tree.lookup(path)
        .and_then(|found| tree.path_of(found))
        .ok_or_else(|| {
            Failure::from(ntfs_links::Error::NoSuchPath {
                path: path.to_owned(),
            })
        })
}

/// An error about the expectations file, naming it (`FILE:LINE: ...`, as
/// compilers and editors say it).
fn in_file(file: &str, e: ntfs_links::Error) -> Failure {
    match e {
        ntfs_links::Error::Expectations { line, key, message } if key.is_empty() => {
            Failure::Input(anyhow::anyhow!("{file}:{line}: {message}"))
        }
        ntfs_links::Error::Expectations { line, key, message } => {
            Failure::Input(anyhow::anyhow!("{file}:{line}: key `{key}`: {message}"))
        }
        other => Failure::from(other),
    }
}

/// Runs the pipeline on `volume` (walk, paths, checks) and hands the reports,
/// link targets judged with `links`, to `f`.
fn with_reports<T>(
    volume: &Volume,
    scan_options: ScanOptions,
    checks: AnalysisOptions,
    links: LinkOptions,
    f: impl FnOnce(&Reports<'_>) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let scan = scan(volume, scan_options)?;
    let analysis = Analysis::run(volume, Tree::new(scan), checks);
    f(&Reports::new(&analysis, links))
}

/// Recomputes a container's stored hashes, with a progress bar on a terminal.
fn verify_hashes(image: &Image) -> ntfs_links::Result<Vec<ntfs_links::image::HashCheck>> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return image.verify_hashes(&|_| {});
    }
    let bar = indicatif::ProgressBar::new(image.len()).with_message("hashing the disk");
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} {bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let checks = image.verify_hashes(&|n| bar.set_position(n));
    bar.finish_and_clear();
    checks
}

/// A progress bar counting bytes on stderr, when it is a terminal.
fn bytes_bar(message: &'static str) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::no_length().with_message(message);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bytes} ({bytes_per_sec}, {elapsed})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// Records from which a progress bar is worth showing.
const PROGRESS_FROM: u64 = 200_000;

/// Scans with a progress bar on stderr when it is a terminal and the volume is
/// large; quiet otherwise.
fn scan(volume: &Volume, options: ScanOptions) -> ntfs_links::Result<Scan> {
    use std::io::IsTerminal;
    let total = volume.record_count();
    if total < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return Scan::run(volume, options);
    }
    let bar = indicatif::ProgressBar::new(total).with_message("reading records");
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} ({per_sec}, {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let scan = Scan::run_with_progress(volume, options, &|n| bar.set_position(n));
    bar.finish_and_clear();
    scan
}

fn warn(volume: &Volume) {
    for w in volume.warnings() {
        eprintln!(
            "ntfs-links: warning: {}",
            ntfs_links::text::Message(&w.to_string())
        );
    }
}

impl Cli {
    /// Whether the output is one of the line-based text reports whose
    /// failures are painted on a terminal: `verify`, `scan`, `links` and
    /// `stat` as text. Never file content (`cat`), CSV, JSON or TOML.
    pub fn paints(&self) -> bool {
        match &self.command {
            Command::Verify { format, .. } => matches!(format, VerifyFormatArg::Text),
            Command::Scan { format, .. } => matches!(format, ScanFormat::Text),
            Command::Links { format, .. } => matches!(format, LinksFormat::Text),
            Command::Stat { format, .. } => matches!(format, InfoFormat::Text),
            _ => false,
        }
    }
}

/// Paints failures red on a terminal (`main` uses it only for the outputs
/// [`Cli::paints`] names, when standard output is a terminal and `NO_COLOR`
/// is not set): `verify`'s `FAIL`, and the finding lines (`! ...`) of `scan`,
/// `links` and `stat`. Lines are seen whole; in these outputs a name never
/// starts a line (every name is escaped, and printed after a prefix), so no
/// name can paint or forge one. A line longer than [`Painter::MAX_LINE`] is
/// passed on unpainted as it comes.
pub struct Painter<'w> {
    out: &'w mut dyn Write,
    line: Vec<u8>,
}

const RED: &[u8] = b"\x1b[31m";
const RESET: &[u8] = b"\x1b[0m";

impl<'w> Painter<'w> {
    /// The longest line held back to be painted.
    pub const MAX_LINE: usize = 1 << 16;

    /// Paints what is written to `out`.
    pub fn new(out: &'w mut dyn Write) -> Painter<'w> {
        Painter {
            out,
            line: Vec::new(),
        }
    }

    /// Writes the last line, if it has no newline.
    pub fn finish(mut self) -> std::io::Result<()> {
        let line = std::mem::take(&mut self.line);
        self.paint(&line)?;
        self.out.flush()
    }

    fn paint(&mut self, line: &[u8]) -> std::io::Result<()> {
        let text = line.strip_suffix(b"\n").unwrap_or(line);
        let newline = &line[text.len()..];
        if let Some(rest) = text.strip_prefix(b"FAIL") {
            self.out.write_all(RED)?;
            self.out.write_all(b"FAIL")?;
            self.out.write_all(RESET)?;
            self.out.write_all(rest)?;
        } else if text.starts_with(b"! ") || text.starts_with(b"  ! ") {
            self.out.write_all(RED)?;
            self.out.write_all(text)?;
            self.out.write_all(RESET)?;
        } else {
            self.out.write_all(text)?;
        }
        self.out.write_all(newline)
    }
}

impl Write for Painter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(at) = rest.iter().position(|&b| b == b'\n') {
            let (head, tail) = rest.split_at(at + 1);
            let mut line = std::mem::take(&mut self.line);
            line.extend_from_slice(head);
            self.paint(&line)?;
            rest = tail;
        }
        self.line.extend_from_slice(rest);
        if self.line.len() > Self::MAX_LINE {
            self.out.write_all(&self.line)?;
            self.line.clear();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_line_based_text_reports_are_painted() {
        use clap::Parser;
        let paints = |args: &[&str]| {
            let mut all = vec!["ntfs-links"];
            all.extend_from_slice(args);
            Cli::parse_from(all).paints()
        };
        assert!(paints(&["verify", "--expect", "e.toml", "x.img"]));
        assert!(paints(&["scan", "x.img"]));
        assert!(paints(&["links", "x.img"]));
        assert!(paints(&["stat", "x.img", "5"]));
        for args in [
            &["cat", "x.img", "/a"][..],
            &["verify", "--expect", "e.toml", "--format", "junit", "x.img"],
            &["scan", "--format", "csv", "x.img"],
            &["links", "--format", "jsonl", "x.img"],
            &["expect", "x.img"],
            &["extract", "x.img", "/", "out"],
            &["man"],
        ] {
            assert!(!paints(args), "{args:?}");
        }
    }

    #[test]
    fn a_line_too_long_is_passed_on_unpainted() {
        let mut out = Vec::new();
        let mut p = Painter::new(&mut out);
        let long = vec![b'!'; Painter::MAX_LINE + 10];
        p.write_all(&long).unwrap();
        p.write_all(b"\n").unwrap();
        p.finish().unwrap();
        assert!(!out.contains(&0x1b));
        assert_eq!(out.len(), long.len() + 1);
    }

    #[test]
    fn failures_are_painted_and_nothing_else() {
        let mut out = Vec::new();
        let mut p = Painter::new(&mut out);
        p.write_all(b"ok   line 1  file /a\nFAIL line 2  file /b\n       /b: expected a file\n")
            .unwrap();
        p.write_all(b"r 66-1 [posix] /! x\n! record 66: no_name: none\n  ! kind: msg")
            .unwrap();
        p.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "ok   line 1  file /a\n\x1b[31mFAIL\x1b[0m line 2  file /b\n       /b: expected a file\n\
             r 66-1 [posix] /! x\n\x1b[31m! record 66: no_name: none\x1b[0m\n\x1b[31m  ! kind: msg\x1b[0m"
        );
    }
}
