//! Peer frameworks, each behind its cargo feature, running the same workloads.

#[cfg(feature = "kameo")]
pub(crate) mod kameo;
#[cfg(feature = "ractor")]
pub(crate) mod ractor;
#[cfg(feature = "xtra")]
pub(crate) mod xtra;

use std::time::Duration;

use tokio::runtime::Runtime;

use crate::workloads::Workload;

/// A framework the harness measures beside `messages`.
pub(crate) struct Peer {
    pub(crate) name: &'static str,
    pub(crate) run: fn(Workload, &Runtime) -> Duration,
}

/// The peers compiled in.
pub(crate) fn enabled() -> Vec<Peer> {
    [
        #[cfg(feature = "xtra")]
        Peer {
            name: "xtra",
            run: xtra::run,
        },
        #[cfg(feature = "kameo")]
        Peer {
            name: "kameo",
            run: kameo::run,
        },
        #[cfg(feature = "ractor")]
        Peer {
            name: "ractor",
            run: ractor::run,
        },
    ]
    .into_iter()
    .collect()
}
