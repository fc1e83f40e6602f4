//! Delegating handlers: sync and async, with the context anywhere among the arguments,
//! the responder named through any path, on a generic actor, with `module = ..` and
//! `derive(..)`.

use messages::Responder;
use messages::prelude::*;

#[derive(Debug, PartialEq)]
struct BankError;

#[actor]
#[derive(Default)]
struct Bank {
    parked: Vec<messages::Responder<u64>>,
}

#[actor(module = bank_messages, derive(Debug, PartialEq))]
impl Bank {
    #[handler]
    fn transfer(
        &mut self,
        from: u32,
        to: u32,
        responder: Responder<Result<u64, BankError>>,
        ctx: &Context<Self>,
    ) {
        let _ = ctx.id();
        if from == to {
            responder.send(Err(BankError));
        } else {
            responder.send(Ok(u64::from(from + to)));
        }
    }

    #[handler(message = Parked)]
    async fn park(&mut self, ctx: &Context<Self>, responder: ::messages::Responder<u64>) {
        let _ = ctx.id();
        self.parked.push(responder);
    }

    #[handler]
    fn release(&mut self, answer: u64) -> usize {
        let parked = std::mem::take(&mut self.parked);
        let count = parked.len();
        for responder in parked {
            responder.send(answer);
        }
        count
    }
}

#[actor]
struct Store<T: Clone + Send + 'static> {
    items: Vec<T>,
}

#[actor]
impl<T: Clone + Send + 'static> Store<T> {
    #[handler]
    fn push(&mut self, item: T, responder: Responder<Vec<T>>) {
        self.items.push(item);
        responder.send(self.items.clone());
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async {
        let bank = Bank::default().spawn();
        assert_eq!(bank.transfer(1, 2).await, Ok(Ok(3)));
        assert_eq!(bank.transfer(1, 1).await, Ok(Err(BankError)));
        let message = bank_messages::Transfer { from: 2, to: 3 };
        assert_eq!(message, bank_messages::Transfer { from: 2, to: 3 });
        assert_eq!(bank.send(message).await, Ok(Ok(5)));
        let parked = bank.try_send(bank_messages::Parked).unwrap();
        assert_eq!(bank.release(7).await, Ok(1));
        assert_eq!(parked.await, Ok(7));

        let store = Store { items: Vec::new() }.spawn();
        assert_eq!(store.push("a").await, Ok(vec!["a"]));
    });
}
