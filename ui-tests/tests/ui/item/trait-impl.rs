use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Default for Account {
    fn default() -> Self {
        Account
    }
}

fn main() {}
