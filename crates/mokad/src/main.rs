//! `mokad [CONFIG_FILE] [--setting value ...]`: loads the settings, binds, serves.

use std::process::ExitCode;
use std::sync::Arc;

use mokad::config::{load, parse_cli, policy_is_exact, settings_from_env, USAGE};
use mokad_commands::Server;
use tracing::{error, info, warn, Level};

mod alloc;

/// mimalloc instead of glibc malloc: see the commit that introduced it for the measurements,
/// and `alloc` for how it is called.
#[global_allocator]
static GLOBAL: alloc::MiMalloc = alloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match parse_cli(std::env::args().skip(1)) {
        Ok(cli) => cli,
        Err(e) => {
            eprintln!("mokad: {e}");
            return ExitCode::from(2);
        }
    };
    if cli.help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if cli.version {
        println!("mokad {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let (env, unknown_env) = settings_from_env(std::env::vars());
    let settings = match load(&cli, env) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("mokad: bad configuration: {e}");
            return ExitCode::from(1);
        }
    };
    if cli.print_config {
        print!("{}", toml::to_string(&settings).expect("settings serialize"));
        return ExitCode::SUCCESS;
    }
    let level = match settings.loglevel.as_str() {
        "debug" | "verbose" => Some(Level::DEBUG),
        "notice" => Some(Level::INFO),
        "warning" => Some(Level::WARN),
        _ => None,
    };
    if let Some(level) = level {
        tracing_subscriber::fmt().with_max_level(level).with_writer(std::io::stderr).init();
    }
    for name in unknown_env {
        warn!("ignoring environment variable {name}: no such setting");
    }
    if !policy_is_exact(&settings) {
        warn!(
            "maxmemory-policy {} has no exact equivalent in mokad; using {}",
            settings.maxmemory_policy,
            settings.policy().name()
        );
    }
    let threads = if settings.threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { settings.threads };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .on_thread_park(alloc::collect_if_due)
        .enable_all()
        .build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("mokad: cannot start runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let config_file = cli.config_file.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    runtime.block_on(async move {
        let address = format!("{}:{}", settings.bind, settings.port);
        let listener = match tokio::net::TcpListener::bind(&address).await {
            Ok(listener) => listener,
            Err(e) => {
                error!("cannot listen on {address}: {e}");
                return ExitCode::from(1);
            }
        };
        let bound = listener.local_addr().map(|a| a.to_string()).unwrap_or(address);
        let mut settings = settings;
        settings.port = listener.local_addr().map_or(settings.port, |a| a.port());
        info!(
            "mokad {} listening on {bound} (config: {}, maxmemory: {} bytes, policy: {}, threads: {threads})",
            env!("CARGO_PKG_VERSION"),
            if config_file.is_empty() { "defaults" } else { &config_file },
            settings.maxmemory.0,
            settings.policy().name(),
        );
        let mut server = Server::new(settings, config_file);
        server.mem_allocator = alloc::name();
        let server = Arc::new(server);
        let signals = server.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            info!("received shutdown signal");
            signals.shutdown.raise();
        });
        match mokad::run(listener, server).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                error!("server failed: {e}");
                ExitCode::from(1)
            }
        }
    })
}

/// Resolves on SIGINT or SIGTERM.
async fn wait_for_signal() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(signal) => signal,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
