use messages::prelude::*;

#[actor]
struct Account;

impl Account {
    #[notify]
    fn audit(&mut self, note: String) {
        drop(note);
    }
}

fn main() {}
