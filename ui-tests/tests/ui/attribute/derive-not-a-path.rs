use messages::prelude::*;

#[actor]
struct Account;

#[actor(derive(Clone, "Debug"))]
impl Account {
    #[handler]
    fn balance(&self) -> i64 {
        0
    }
}

fn main() {}
