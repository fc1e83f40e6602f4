//! Harness for the integration tests: every test body runs on each executor the
//! library supports (tokio multi-thread and current-thread, smol, and a plain
//! `futures` thread pool standing in for "any executor"), and every wait is bounded.

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use futures::channel::oneshot;
use futures::future::{Either, select};
use messages::runtime::{Spawner, Timer};

/// How long any test may wait for anything before it fails instead of hanging: 10
/// seconds, or `MESSAGES_TEST_TIMEOUT_SECS` (for the long stress run).
pub fn limit() -> Duration {
    let seconds = std::env::var("MESSAGES_TEST_TIMEOUT_SECS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(10);
    Duration::from_secs(seconds)
}

/// Awaits `future`, failing the test if it takes longer than [`limit`].
///
/// The clock is a plain thread, so this works on every executor (and under tokio's
/// current-thread runtime, whose own timers would need the runtime to be polled).
///
/// # Panics
///
/// When the limit passes: that is the test failing fast instead of hanging CI.
pub async fn within<F: Future>(future: F) -> F::Output {
    let limit = limit();
    match bounded(limit, future).await {
        Some(output) => output,
        None => panic!("timed out after {limit:?}: something hangs"),
    }
}

/// `Some(output)` if `future` completes within `limit`, `None` if it does not: for
/// tests whose failure to report is "it never resolves" (an actor that stopped
/// answering, a value never dropped). A thread clock, as [`within`].
pub async fn bounded<F: Future>(limit: Duration, future: F) -> Option<F::Output> {
    let (expired_tx, expired) = oneshot::channel::<()>();
    let (done, done_rx) = std_mpsc::channel::<()>();
    std::thread::spawn(move || {
        if let Err(std_mpsc::RecvTimeoutError::Timeout) = done_rx.recv_timeout(limit) {
            let _ = expired_tx.send(());
        }
    });
    let output = match select(pin!(future), expired).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(_) => None,
    };
    drop(done);
    output
}

/// Whether `future` is still pending after being polled once (and drops it).
pub fn is_pending<F: Future>(future: F) -> bool {
    futures::FutureExt::now_or_never(future).is_none()
}

/// The executors every test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Executor {
    /// tokio, multi-thread scheduler with 2 workers.
    TokioMultiThread,
    /// tokio, current-thread scheduler: everything on the test's thread.
    TokioCurrentThread,
    /// smol: the body on the test's thread, spawned actors on smol's global executor.
    Smol,
    /// A `futures` thread pool: an executor `messages` knows nothing about.
    FuturesPool,
}

/// The executor a test body runs on, as a runtime (with a [`ThreadTimer`] clock).
#[derive(Debug, Clone)]
pub struct Rt {
    executor: Executor,
    pool: Option<futures::executor::ThreadPool>,
}

impl Rt {
    /// Which executor this is.
    pub fn executor(&self) -> Executor {
        self.executor
    }

    /// Spawns `future` and returns a future of its output.
    pub fn spawn_task<T, F>(&self, future: F) -> impl Future<Output = T> + Send + use<T, F>
    where
        T: Send + 'static,
        F: Future<Output = T> + Send + 'static,
    {
        let (output_tx, output) = oneshot::channel();
        self.spawn(async move {
            let _ = output_tx.send(future.await);
        });
        async move {
            output
                .await
                .expect("a spawned test task was dropped or panicked")
        }
    }
}

impl Spawner for Rt {
    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        match (&self.executor, &self.pool) {
            (Executor::TokioMultiThread | Executor::TokioCurrentThread, _) => {
                drop(tokio::spawn(future));
            }
            (Executor::Smol, _) => smol::spawn(future).detach(),
            (Executor::FuturesPool, Some(pool)) => pool.spawn_ok(future),
            (Executor::FuturesPool, None) => unreachable!("the pool is built with the Rt"),
        }
    }
}

/// The harness's executors keep time with a [`ThreadTimer`]: it works on every one of
/// them, so a test reads the same whatever the executor.
impl Timer for Rt {
    type Sleep = <ThreadTimer as Timer>::Sleep;

    fn sleep(&self, duration: Duration) -> Self::Sleep {
        ThreadTimer.sleep(duration)
    }
}

/// A clock for any executor: each sleep is a thread. For timers and request timeouts
/// on executors without a clock of their own (never as synchronisation).
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadTimer;

impl Timer for ThreadTimer {
    type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

    fn sleep(&self, duration: Duration) -> Self::Sleep {
        let (tx, rx) = oneshot::channel::<()>();
        std::thread::spawn(move || {
            std::thread::sleep(duration);
            let _ = tx.send(());
        });
        Box::pin(async move {
            let _ = rx.await;
        })
    }
}

/// Runs a test body on `executor`, bounded by [`limit`].
pub fn run<F, Fut>(executor: Executor, body: F)
where
    F: FnOnce(Rt) -> Fut,
    Fut: Future<Output = ()>,
{
    let pool = (executor == Executor::FuturesPool).then(|| {
        futures::executor::ThreadPool::builder()
            .pool_size(2)
            .create()
            .expect("a thread pool")
    });
    let rt = Rt { executor, pool };
    let test = within(body(rt));
    match executor {
        Executor::TokioMultiThread => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime")
            .block_on(test),
        Executor::TokioCurrentThread => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime")
            .block_on(test),
        Executor::Smol => smol::block_on(test),
        Executor::FuturesPool => futures::executor::block_on(test),
    }
}

/// Turns `async fn name(rt: Rt)` test bodies into one `#[test]` per executor:
/// `every_executor!(name, other_name);` makes `name::tokio_multi_thread`, ...
#[macro_export]
macro_rules! every_executor {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use $crate::{Executor, run};

            #[test]
            fn tokio_multi_thread() {
                run(Executor::TokioMultiThread, super::$name);
            }

            #[test]
            fn tokio_current_thread() {
                run(Executor::TokioCurrentThread, super::$name);
            }

            #[test]
            fn smol() {
                run(Executor::Smol, super::$name);
            }

            #[test]
            fn futures_pool() {
                run(Executor::FuturesPool, super::$name);
            }
        }
    )*};
}

/// A shared, ordered record of what happened, for asserting on event order.
#[derive(Debug, Clone, Default)]
pub struct Log(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl Log {
    /// Appends an event.
    pub fn push(&self, event: impl Into<String>) {
        self.0.lock().expect("log lock").push(event.into());
    }

    /// Everything recorded so far, in order.
    pub fn events(&self) -> Vec<String> {
        self.0.lock().expect("log lock").clone()
    }
}

/// A gate a handler waits on until the test opens it: the way tests hold an actor
/// busy without sleeping.
#[derive(Debug)]
pub struct Gate(tokio::sync::oneshot::Receiver<()>);

/// Opens a [`Gate`].
#[derive(Debug)]
pub struct GateKey(tokio::sync::oneshot::Sender<()>);

impl Gate {
    /// A closed gate and its key.
    pub fn new() -> (Gate, GateKey) {
        let (key, gate) = tokio::sync::oneshot::channel();
        (Gate(gate), GateKey(key))
    }

    /// Waits until the key opens the gate (or is dropped).
    pub async fn pass(self) {
        let _ = self.0.await;
    }
}

impl GateKey {
    /// Opens the gate.
    pub fn open(self) {
        let _ = self.0.send(());
    }
}

/// Counts live values of a type, to prove an actor's state was dropped.
#[derive(Debug, Clone, Default)]
pub struct DropCounter(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl DropCounter {
    /// How many tokens were dropped so far.
    pub fn dropped(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A token that counts itself when dropped.
    pub fn token(&self) -> DropToken {
        DropToken(self.clone())
    }
}

/// Increments its [`DropCounter`] when dropped.
#[derive(Debug)]
pub struct DropToken(DropCounter);

impl Drop for DropToken {
    fn drop(&mut self) {
        (self.0).0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The README's Rust snippets, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeSnippets;

/// Keeps the panics a test provokes on purpose (by their message) out of the output;
/// every other panic still prints through the default hook.
pub fn silence_panics(expected: &'static str) {
    static EXPECTED: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    static HOOK: std::sync::Once = std::sync::Once::new();
    EXPECTED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(expected);
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info.payload().downcast_ref::<&str>().copied();
            let expected = EXPECTED
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .iter()
                .any(|text| Some(*text) == message);
            if !expected {
                default(info);
            }
        }));
    });
}
