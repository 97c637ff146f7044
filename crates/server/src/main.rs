//! `onelastai-server`: reads its configuration from the environment, logs
//! with tracing and serves until Ctrl-C or SIGTERM.

use onelastai_server::{config::HELP, Config, LogFormat};
use std::io::IsTerminal;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("create-admin") {
        return create_admin(&args[1..]);
    }
    match args.first().map(String::as_str) {
        None => {}
        Some("-h" | "--help") => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Some("-V" | "--version") => {
            println!("onelastai-server {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("onelastai-server: unexpected argument {other:?}; see --help");
            return ExitCode::from(2);
        }
    }
    let config = match load_config() {
        Ok(c) => c,
        Err(code) => return code,
    };
    init_tracing(config.log_format);
    let runtime = match runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    match runtime.block_on(onelastai_server::serve(config, shutdown_signal())) {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!(error = %e, "server failed");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// The settings from the environment, or the exit code after saying what is wrong.
fn load_config() -> Result<Config, ExitCode> {
    Config::from_env().map_err(|e| {
        eprintln!("onelastai-server: {e}\nsee `onelastai-server --help`");
        ExitCode::from(2)
    })
}

/// The multi-threaded runtime, or the exit code after saying why not.
fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("onelastai-server: cannot start the runtime: {e}");
            ExitCode::FAILURE
        })
}

/// `create-admin --email <email>`: promotes a user, or creates one with the
/// password on the first line of standard input.
fn create_admin(args: &[String]) -> ExitCode {
    let email = match args {
        [flag, email] if flag == "--email" => email.clone(),
        _ => {
            eprintln!("usage: onelastai-server create-admin --email <email>  (password on stdin for a new user)");
            return ExitCode::from(2);
        }
    };
    let config = match load_config() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut line = String::new();
    let password = if std::io::stdin().is_terminal() {
        None
    } else {
        match std::io::stdin().read_line(&mut line) {
            Ok(n) if n > 0 => Some(line.trim_end_matches(['\r', '\n']).to_string()),
            _ => None,
        }
    };
    let runtime = match runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let outcome = runtime.block_on(async {
        let state = onelastai_server::build(&config)
            .await
            .map_err(|e| e.to_string())?;
        if !state.indexes_ready() {
            return Err("the database is not reachable".to_string());
        }
        onelastai_server::auth::create_admin(&state, &email, password)
            .await
            .map_err(|e| match e {
                onelastai_server::ApiError::Validation { errors, .. } => errors
                    .iter()
                    .map(|e| format!("{}: {}", e.path, e.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            })
    });
    match outcome {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("onelastai-server create-admin: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
