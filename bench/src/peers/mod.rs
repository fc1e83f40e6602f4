//! Peer frameworks, each behind its cargo feature, running the same workloads.

#[cfg(feature = "actix")]
mod actix;
#[cfg(feature = "kameo")]
mod kameo;
#[cfg(feature = "ractor")]
mod ractor;
#[cfg(feature = "xtra")]
mod xtra;

use std::time::Duration;

use tokio::runtime::Runtime;

use crate::workloads::Workload;

/// A framework the harness measures beside `messages`.
#[derive(Debug)]
pub struct Peer {
    pub name: &'static str,
    pub run: Run,
}

/// How a peer runs a workload.
#[derive(Debug, Clone, Copy)]
pub enum Run {
    /// On the harness's tokio runtime (both flavors).
    #[cfg_attr(
        not(any(feature = "kameo", feature = "ractor", feature = "xtra")),
        allow(dead_code, reason = "built only for the peers whose feature is on")
    )]
    OnRuntime(fn(Workload, &Runtime) -> Duration),
    /// On a runtime of its own, single-threaded: measured in the current-thread rows only.
    #[cfg_attr(
        not(feature = "actix"),
        allow(dead_code, reason = "built only for the peers whose feature is on")
    )]
    SingleThreaded(fn(Workload) -> Duration),
}

impl Peer {
    /// The time for one run, or `None` when the peer has no figure for this flavor.
    pub fn time(
        &self,
        workload: Workload,
        runtime: &Runtime,
        multi_thread: bool,
    ) -> Option<Duration> {
        match self.run {
            Run::OnRuntime(run) => Some(run(workload, runtime)),
            Run::SingleThreaded(_) if multi_thread => None,
            Run::SingleThreaded(run) => Some(run(workload)),
        }
    }
}

/// The peers compiled in.
pub fn enabled() -> Vec<Peer> {
    [
        #[cfg(feature = "xtra")]
        Peer {
            name: "xtra",
            run: Run::OnRuntime(xtra::run),
        },
        #[cfg(feature = "kameo")]
        Peer {
            name: "kameo",
            run: Run::OnRuntime(kameo::run),
        },
        #[cfg(feature = "ractor")]
        Peer {
            name: "ractor",
            run: Run::OnRuntime(ractor::run),
        },
        #[cfg(feature = "actix")]
        Peer {
            name: "actix",
            run: Run::SingleThreaded(actix::run),
        },
    ]
    .into_iter()
    .collect()
}
