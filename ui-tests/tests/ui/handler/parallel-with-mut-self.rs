use messages::prelude::*;

#[actor]
struct Account {
    balance: i64,
}

#[actor]
impl Account {
    #[handler(parallel)]
    fn deposit(&mut self, amount: i64) -> i64 {
        self.balance += amount;
        self.balance
    }
}

fn main() {}
