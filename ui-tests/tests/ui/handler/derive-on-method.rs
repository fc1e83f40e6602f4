use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    /// What rustc's hint for a message type missing `Clone` leads to.
    #[derive(Clone, std::fmt::Debug)]
    #[notify]
    fn audit(&mut self, note: String) {
        let _ = note;
    }
}

fn main() {}
