use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[handler]
    #[notify]
    fn audit(&mut self, note: String) {
        drop(note);
    }
}

fn main() {}
