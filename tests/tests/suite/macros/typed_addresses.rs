//! `Typed`: an `#[actor]` reaches its own typed address in one step from its context
//! (`ctx.typed_address()`), and an untyped address converts with `address.typed()`.

use messages::Typed;
use messages::prelude::*;
use messages_tests::{Log, Rt, every_executor};
use tokio::sync::oneshot;

#[actor]
#[derive(Debug, Default)]
pub struct Machine {
    log: Log,
    /// Told when the last step has run.
    done: Option<oneshot::Sender<()>>,
}

#[actor]
impl Machine {
    /// Notifies itself through its typed address: the next step runs after this one.
    #[handler]
    pub async fn start(&mut self, steps: u32, ctx: &Context<Self>) -> Result<(), SendError> {
        self.log.push("start");
        let me: MachineAddress = ctx.typed_address();
        me.step(steps).await
    }

    /// Steps down to zero, one notification to itself per step.
    #[notify]
    pub async fn step(&mut self, left: u32, ctx: &Context<Self>) {
        self.log.push(format!("step {left}"));
        if left > 0 {
            ctx.typed_address()
                .step(left - 1)
                .await
                .expect("its own mailbox takes it");
        } else if let Some(done) = self.done.take() {
            let _ = done.send(());
        }
    }

    #[handler]
    pub fn log(&self) -> Vec<String> {
        self.log.events()
    }
}

/// A generic actor's typed address, from its context.
#[actor]
#[derive(Debug)]
pub struct Echo<T: Clone + Send + 'static> {
    last: Option<T>,
}

#[actor]
impl<T: Clone + Send + 'static> Echo<T> {
    #[handler]
    pub fn put(&mut self, value: T) -> Option<T> {
        self.last.replace(value)
    }

    /// The last value, and whether the typed address from the context is this actor's.
    #[handler]
    pub fn last(&self, ctx: &Context<Self>) -> (Option<T>, bool) {
        let typed: EchoAddress<T> = ctx.typed_address();
        (self.last.clone(), typed.id() == ctx.id())
    }
}

/// `T`'s typed address, named through the trait.
fn typed_of<A: Typed>(address: Address<A>) -> A::Address {
    address.typed()
}

async fn a_handler_notifies_itself_through_its_typed_address(rt: Rt) {
    let (done, last_step) = oneshot::channel();
    let machine = Machine {
        log: Log::default(),
        done: Some(done),
    }
    .spawn_on(&rt);
    assert_eq!(machine.start(2).await, Ok(Ok(())));
    last_step.await.expect("the last step runs");
    assert_eq!(
        machine.log().await.expect("answered"),
        ["start", "step 2", "step 1", "step 0"]
    );
}

async fn untyped_addresses_convert_in_one_step(rt: Rt) {
    let context = Context::<Machine>::new().with_runtime(rt.clone());
    let untyped: Address<Machine> = context.address();
    let typed: MachineAddress = untyped.clone().typed();
    assert_eq!(*typed, untyped);
    assert_eq!(typed_of(untyped.clone()), typed);
    assert_eq!(MachineAddress::from(untyped), typed);
    assert_eq!(context.typed_address(), typed);
    let _running = context.spawn(Machine::default());
    assert_eq!(typed.log().await, Ok(Vec::<String>::new()));
}

async fn a_generic_actor_has_its_typed_address_too(rt: Rt) {
    let echo: EchoAddress<String> = Echo { last: None }.spawn_on(&rt);
    assert_eq!(echo.last().await, Ok((None, true)));
    assert_eq!(echo.put("x".to_owned()).await, Ok(None));
    assert_eq!(echo.last().await, Ok((Some("x".to_owned()), true)));
}

every_executor!(
    a_handler_notifies_itself_through_its_typed_address,
    untyped_addresses_convert_in_one_step,
    a_generic_actor_has_its_typed_address_too,
);
