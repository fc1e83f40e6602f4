//! The Zenoh engine: its configuration, and the thread its session lives on.
//!
//! Zenoh needs a multi-threaded tokio runtime (it panics opening or closing a session
//! on a current-thread one), so each node runs its session on a runtime of its own,
//! on a thread of its own, and everything else talks to it through channels: the
//! node works from any executor.

use std::time::Duration;

use tokio::runtime::Handle;
use tokio::sync::oneshot;

use crate::RemoteError;

/// The session config: peer mode, multicast scouting off (endpoints are explicit),
/// the given lease.
pub(crate) fn config(
    listen: &[String],
    connect: &[String],
    lease: Duration,
) -> Result<zenoh::Config, RemoteError> {
    let mut config = zenoh::Config::default();
    let endpoints = |list: &[String]| {
        let quoted: Vec<String> = list
            .iter()
            .map(|endpoint| format!("{endpoint:?}"))
            .collect();
        format!("[{}]", quoted.join(","))
    };
    let lease = lease.as_millis().max(100).to_string();
    let settings = [
        ("mode", "\"peer\"".to_owned()),
        ("scouting/multicast/enabled", "false".to_owned()),
        ("listen/endpoints", endpoints(listen)),
        ("connect/endpoints", endpoints(connect)),
        ("transport/link/tx/lease", lease),
    ];
    for (key, value) in settings {
        config
            .insert_json5(key, &value)
            .map_err(|error| RemoteError::Engine(format!("{key}: {error}")))?;
    }
    Ok(config)
}

/// The node's thread: a runtime, the session on it, until `stop` says so (or the node
/// is gone); then the session is closed and the runtime ends, here.
pub(crate) fn run(
    config: zenoh::Config,
    ready: oneshot::Sender<Result<(Handle, zenoh::Session), RemoteError>>,
    stop: oneshot::Receiver<Option<zenoh::Session>>,
) {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("messages-remote")
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let _ = ready.send(Err(RemoteError::engine(error)));
            return;
        }
    };
    runtime.block_on(async move {
        let session = match zenoh::open(config).await {
            Ok(session) => session,
            Err(error) => {
                let _ = ready.send(Err(RemoteError::engine(error)));
                return;
            }
        };
        if ready
            .send(Ok((Handle::current(), session.clone())))
            .is_err()
        {
            let _ = session.close().await;
            return;
        }
        // The node's own clone comes back here to be dropped, off the caller's runtime.
        let handed_back = stop.await;
        let _ = session.close().await;
        drop(handed_back);
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
}

/// Whether the session joined another node (a peer or a router) within `timeout`.
pub(crate) async fn wait_for_peer(session: zenoh::Session, timeout: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let peers = session.info().peers_zid().await.next().is_some();
        if peers || session.info().routers_zid().await.next().is_some() {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        // The engine has no stable event for a new link: look again shortly.
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
