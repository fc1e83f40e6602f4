use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[handler]
    const LIMIT: i64 = 100;

    #[handler]
    fn limit(&self) -> i64 {
        Self::LIMIT
    }
}

fn main() {}
