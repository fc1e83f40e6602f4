//! 08 — custom runtime: an executor the library does not know.
//!
//! Nothing here uses tokio or smol: the actor runs on a `futures` thread pool through
//! the two small traits a runtime implements, `Spawner` (run a future in the
//! background) and `Timer` (sleep), here with a thread per sleep. The pool is named
//! once, where the actor is spawned: its context carries it, so its timers use the
//! pool too, through the same `notify_later` as on tokio. Run it with
//! `cargo run --example 08_custom_runtime`.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use futures::executor::{ThreadPool, block_on};
use messages::prelude::*;
use messages::runtime::{Spawner, Timer};

/// Any executor: a `futures` thread pool.
#[derive(Clone)]
struct Pool(ThreadPool);

impl Spawner for Pool {
    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.0.spawn_ok(future);
    }
}

impl Timer for Pool {
    type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

    fn sleep(&self, duration: Duration) -> Self::Sleep {
        let (wake, woken) = futures::channel::oneshot::channel();
        std::thread::spawn(move || {
            std::thread::sleep(duration);
            let _ = wake.send(());
        });
        Box::pin(async move {
            let _ = woken.await;
        })
    }
}

struct Countdown {
    from: u32,
}

impl Actor for Countdown {
    async fn started(&mut self, ctx: &Context<Self>) {
        println!("counting down from {}", self.from);
        drop(ctx.notify_later(Step, Duration::from_millis(10)));
    }
}

struct Step;

impl Notifiable<Step> for Countdown {
    async fn notify(&mut self, _: Step, ctx: &Context<Self>) {
        println!("{}", self.from);
        if self.from == 0 {
            ctx.stop();
        } else {
            self.from -= 1;
            drop(ctx.notify_later(Step, Duration::from_millis(10)));
        }
    }
}

fn main() {
    let pool = Pool(ThreadPool::new().expect("a thread pool"));
    let countdown = Countdown { from: 3 }.spawn_on(&pool);
    let reason = block_on(countdown.wait_for_stop());
    println!("liftoff ({reason})");
}
