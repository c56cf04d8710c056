//! `ntfs-links`: parse arguments, run, return an exit code: 0 done, 1 an
//! expectation failed (`verify`), 2 an error.

// The command line indexes only its own arguments.
#[allow(clippy::indexing_slicing)]
mod cli;

use clap::Parser;
use ntfs_links::text::Message;
use std::io::{BufWriter, ErrorKind, IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let stdout = std::io::stdout();
    let colour = cli.paints()
        && stdout.is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb");
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = if colour {
        let mut painted = cli::Painter::new(&mut out);
        let code = cli::run(cli, &mut painted);
        // The last line goes out whatever the run ended with.
        let flushed = painted.finish();
        code.and_then(|c| flushed.map(|()| c).map_err(cli::Failure::Output))
    } else {
        cli::run(cli, &mut out)
    };
    let result = match result {
        Ok(code) => out.flush().map(|()| code).map_err(cli::Failure::Output),
        Err(e) => Err(e),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(cli::Failure::Output(e)) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(cli::Failure::Output(e)) => {
            eprintln!(
                "ntfs-links: cannot write output: {}",
                Message(&e.to_string())
            );
            ExitCode::from(2)
        }
        Err(cli::Failure::Input(e)) => {
            eprintln!("ntfs-links: {}", Message(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}
