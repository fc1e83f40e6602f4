use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[handler]
    async fn get(&self) -> u8
    where
        Self: Sized,
    {
        1
    }
}

fn main() {}
