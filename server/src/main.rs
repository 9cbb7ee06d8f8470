//! The `server` binary: parses the command line and reports errors. All the
//! work is in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    server::cli::main()
}
