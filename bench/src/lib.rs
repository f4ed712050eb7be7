//! What the bench binaries share.

use std::process::ExitCode;

/// The exit code for a run's outcome: success when every goal was met, failure when one was
/// missed (`Ok(false)`) or the run could not finish (the error printed).
pub fn exit_code(outcome: Result<bool, String>) -> ExitCode {
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
