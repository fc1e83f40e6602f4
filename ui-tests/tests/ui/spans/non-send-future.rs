use std::rc::Rc;

use messages::prelude::*;

#[actor]
struct Waiter;

async fn later() {}

#[actor]
impl Waiter {
    #[handler]
    async fn wait(&mut self) -> u8 {
        let held = Rc::new(1);
        later().await;
        *held
    }
}

fn main() {}
