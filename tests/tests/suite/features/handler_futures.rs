//! Handler futures of every shape: the loop keeps small ones inline in its own future
//! and boxes the ones too large or too strictly aligned for that room. Each shape is
//! answered, may panic, and is dropped exactly once, also when the loop is cancelled
//! while the handler is suspended.

use futures::future::{Either, select};
use messages::prelude::*;
use messages_tests::{DropCounter, DropToken, Gate, Rt, every_executor, silence_panics, within};
use tokio::sync::oneshot;

/// How the handler's future is built.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// A few words: fits the loop's room.
    Small,
    /// Kilobytes held across an await: boxed.
    Large,
    /// A 64-byte-aligned value held across an await: boxed.
    Aligned,
}

const SHAPES: [Shape; 3] = [Shape::Small, Shape::Large, Shape::Aligned];

#[repr(align(64))]
struct Wide([u8; 64]);

/// A value computed on another thread, so the handler really suspends.
async fn from_another_thread(n: u64) -> u64 {
    let (tx, rx) = oneshot::channel();
    std::thread::spawn(move || tx.send(n));
    rx.await.unwrap_or(0)
}

/// Runs `shape`'s handler body: `n + 1` computed across an await point, with `token`
/// (and the shape's bulk) alive in the future until the end.
async fn handle(shape: Shape, n: u64, token: DropToken, panic: bool) -> u64 {
    let answer = match shape {
        Shape::Small => from_another_thread(n).await + 1,
        Shape::Large => {
            let bulk = [1_u64; 512];
            let sum = from_another_thread(n).await;
            sum + bulk.iter().sum::<u64>() - 511
        }
        Shape::Aligned => {
            let wide = Wide([1; 64]);
            let value = from_another_thread(n).await;
            assert_eq!(std::ptr::from_ref(&wide).addr() % 64, 0, "alignment kept");
            value + u64::from(wide.0[63])
        }
    };
    assert!(!panic, "boom in a handler");
    drop(token);
    answer
}

struct Shapes {
    handled: Vec<u64>,
}

impl Actor for Shapes {}

struct Ask {
    shape: Shape,
    n: u64,
    token: DropToken,
    panic: bool,
}

impl Handler<Ask> for Shapes {
    type Result = u64;
    async fn handle(&mut self, ask: Ask, _: &Context<Self>) -> u64 {
        handle(ask.shape, ask.n, ask.token, ask.panic).await
    }
}

struct Tell(Shape, u64, DropToken);

impl Notifiable<Tell> for Shapes {
    async fn notify(&mut self, Tell(shape, n, token): Tell, _: &Context<Self>) {
        let answer = handle(shape, n, token, false).await;
        self.handled.push(answer);
    }
}

struct Handled;

impl Handler<Handled> for Shapes {
    type Result = Vec<u64>;
    async fn handle(&mut self, _: Handled, _: &Context<Self>) -> Vec<u64> {
        self.handled.clone()
    }
}

/// Suspends (holding `token` and the shape's bulk) until `gate` opens, after saying so.
struct Park(Shape, DropToken, oneshot::Sender<()>, Gate);

impl Notifiable<Park> for Shapes {
    async fn notify(&mut self, Park(shape, token, parked, gate): Park, _: &Context<Self>) {
        let bulk = [7_u64; 512];
        let wide = Wide([7; 64]);
        let _ = parked.send(());
        match shape {
            Shape::Small => gate.pass().await,
            Shape::Large => {
                gate.pass().await;
                assert_eq!(bulk[511], 7);
            }
            Shape::Aligned => {
                gate.pass().await;
                assert_eq!(wide.0[0], 7);
            }
        }
        drop(token);
    }
}

async fn every_shape_is_answered_and_dropped_once(rt: Rt) {
    let drops = DropCounter::default();
    let shapes = Shapes::spawn_on(
        Shapes {
            handled: Vec::new(),
        },
        &rt,
    );
    for (i, shape) in SHAPES.into_iter().enumerate() {
        let n = 10 * i as u64;
        let ask = Ask {
            shape,
            n,
            token: drops.token(),
            panic: false,
        };
        assert_eq!(shapes.send(ask).await, Ok(n + 1), "{shape:?} request");
        shapes.notify(Tell(shape, n, drops.token())).await.unwrap();
    }
    assert_eq!(shapes.send(Handled).await.unwrap(), [1, 11, 21]);
    assert_eq!(drops.dropped(), 6, "every token dropped once");
}

async fn every_shape_may_panic(rt: Rt) {
    silence_panics("boom in a handler");
    let drops = DropCounter::default();
    for (i, shape) in SHAPES.into_iter().enumerate() {
        let shapes = Shapes::spawn_on(
            Shapes {
                handled: Vec::new(),
            },
            &rt,
        );
        let ask = Ask {
            shape,
            n: 1,
            token: drops.token(),
            panic: true,
        };
        assert_eq!(
            shapes.send(ask).await,
            Err(SendError::Panicked),
            "{shape:?} handler panicked"
        );
        let reason = within(shapes.wait_for_stop()).await;
        assert!(reason.is_panic(), "{reason:?}");
        assert_eq!(
            drops.dropped(),
            i + 1,
            "{shape:?}: the unwound future dropped its token once"
        );
    }
}

async fn a_cancelled_loop_drops_the_suspended_handler_of_every_shape(_: Rt) {
    for shape in SHAPES {
        let drops = DropCounter::default();
        let context = Context::new();
        let address = context.address();
        let (parked_tx, parked) = oneshot::channel();
        let (gate, key) = Gate::new();
        address
            .try_notify(Park(shape, drops.token(), parked_tx, gate))
            .unwrap_or_else(|_| panic!("room in a new mailbox"));
        let run = Box::pin(context.run(Shapes {
            handled: Vec::new(),
        }));
        match within(select(run, parked)).await {
            Either::Left(_) => panic!("{shape:?}: the actor stopped before its handler parked"),
            Either::Right((_, run)) => {
                assert_eq!(drops.dropped(), 0, "{shape:?}: parked, token alive");
                drop(run);
            }
        }
        assert_eq!(
            drops.dropped(),
            1,
            "{shape:?}: cancelling dropped the handler once"
        );
        assert_eq!(
            within(address.wait_for_stop()).await,
            StopReason::Cancelled,
            "{shape:?}"
        );
        drop(key);
    }
}

every_executor!(
    every_shape_is_answered_and_dropped_once,
    every_shape_may_panic,
    a_cancelled_loop_drops_the_suspended_handler_of_every_shape,
);
