//! The core needs no runtime feature: `Context::run` on plain `futures` executors.
//! `cargo test -p messages --no-default-features` runs this with every feature off.

use futures::executor::{LocalPool, ThreadPool, block_on};
use futures::task::{LocalSpawnExt, SpawnExt};
use messages::prelude::*;

/// Runs a test body on its own thread and fails if it takes longer than 10 seconds,
/// so a hang fails fast.
fn bounded(body: impl FnOnce() + Send + 'static) {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        body();
        let _ = done.send(());
    });
    match finished.recv_timeout(std::time::Duration::from_secs(10)) {
        Ok(()) => {}
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("timed out: something hangs"),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("the test body panicked"),
    }
}

#[derive(Default)]
struct Sum {
    total: u64,
}

impl Actor for Sum {}

impl Handler<u64> for Sum {
    type Result = u64;
    async fn handle(&mut self, n: u64, _: &Context<Self>) -> u64 {
        self.total += n;
        self.total
    }
}

impl Notifiable<u64> for Sum {
    async fn notify(&mut self, n: u64, _: &Context<Self>) {
        self.total += n;
    }
}

#[test]
fn a_single_threaded_local_pool() {
    bounded(|| {
        let mut pool = LocalPool::new();
        let context = Context::new();
        let address = context.address();
        let exit = pool
            .spawner()
            .spawn_local_with_handle(context.run(Sum::default()))
            .unwrap();
        let answers = pool.run_until(async move {
            let first = address.send(1).await;
            address.notify(10).await.unwrap();
            let second = address.send(100).await;
            (first, second)
        });
        assert_eq!(answers, (Ok(1), Ok(111)));
        let exit = pool.run_until(exit);
        assert_eq!(exit.actor.total, 111);
        assert_eq!(exit.reason, StopReason::AddressesDropped);
    });
}

#[test]
fn a_thread_pool_through_the_spawner_trait() {
    bounded(|| {
        struct Pool(ThreadPool);

        impl messages::runtime::Spawner for Pool {
            fn spawn<F>(&self, future: F)
            where
                F: std::future::Future<Output = ()> + Send + 'static,
            {
                self.0.spawn_ok(future);
            }
        }

        let pool = Pool(ThreadPool::new().unwrap());
        let address = Sum::default().spawn_on(&pool);
        let callers: Vec<_> = (0..4)
            .map(|_| {
                let address = address.clone();
                pool.0
                    .spawn_with_handle(async move {
                        for _ in 0..50 {
                            address.send(1).await.unwrap();
                        }
                    })
                    .unwrap()
            })
            .collect();
        block_on(async {
            futures::future::join_all(callers).await;
            assert_eq!(address.send(0).await, Ok(200));
            address.stop().await;
            assert_eq!(address.wait_for_stop().await, StopReason::Requested);
        });
    });
}
