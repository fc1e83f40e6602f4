//! 13 — a worker pool: four supervised workers behind one address.
//!
//! `Pool::spawn(4, Thumbnailer::default)` starts four workers of one actor type and
//! returns a `Pool`, whose address is an ordinary `Address<Thumbnailer>`: the typed
//! address converts from it, so `thumbnailer.render(..).await` works on the pool as on
//! one actor, and the worker that handles a call answers it directly. Each worker is
//! supervised: one that panics answers its caller `Panicked`, restarts, and the others
//! never notice. The pool broadcasts to every worker, grows and shrinks, and stops
//! like an actor. Run it with `cargo run --example 13_worker_pool`.

use std::time::Duration;

use messages::pool::{Pool, Routing};
use messages::prelude::*;

/// Renders thumbnails, taking its time.
#[actor]
#[derive(Debug, Default)]
pub struct Thumbnailer {
    quality: u8,
    rendered: u32,
}

#[actor]
impl Thumbnailer {
    /// The size in bytes of the thumbnail of a `width` x `height` picture.
    #[handler]
    pub async fn render(&mut self, width: u32, height: u32) -> u64 {
        assert!(width > 0 && height > 0, "a picture with no pixels");
        tokio::time::sleep(Duration::from_millis(5)).await;
        self.rendered += 1;
        u64::from(width / 10) * u64::from(height / 10) * u64::from(self.quality.max(1))
    }

    /// Sent to every worker at once, through `Pool::broadcast`.
    #[notify(derive(Clone))]
    pub fn set_quality(&mut self, quality: u8) {
        self.quality = quality;
    }

    /// How many thumbnails this worker rendered.
    #[handler]
    pub fn rendered(&self) -> u32 {
        self.rendered
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pool = Pool::builder(4, Thumbnailer::default)?
        .routing(Routing::LeastBusy)
        .spawn();
    let thumbnailer = ThumbnailerAddress::from(pool.address());

    // 40 calls at once: spread over the four workers.
    let calls = (1..=40).map(|n| thumbnailer.render(100 * n, 50));
    let sizes = futures::future::join_all(calls).await;
    let total: u64 = sizes
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .iter()
        .sum();
    println!("40 thumbnails, {total} bytes in all");
    let mut busy = 0;
    for worker in pool.workers() {
        if ThumbnailerAddress::from(worker).rendered().await? > 0 {
            busy += 1;
        }
    }
    println!("workers that rendered: {busy} of {}", pool.size());

    // A bad picture: the worker panics, its caller learns, the worker restarts.
    let failed = thumbnailer.render(0, 0).await;
    println!("a picture with no pixels: {failed:?}");
    println!("after the panic: {:?}", thumbnailer.render(100, 100).await);

    // Every worker, at once.
    let told = pool
        .broadcast(thumbnailer::SetQuality { quality: 2 })
        .await?;
    println!(
        "quality set on {told} workers: {:?}",
        thumbnailer.render(100, 100).await
    );

    pool.resize(2).await?;
    println!("resized to {}", pool.size());

    pool.stop().await;
    println!("pool stopped: {}", pool.wait_for_stop().await);
    Ok(())
}
