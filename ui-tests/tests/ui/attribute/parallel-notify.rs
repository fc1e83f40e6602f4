use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[notify(parallel)]
    fn audit(&self, note: String) {
        drop(note);
    }
}

fn main() {}
