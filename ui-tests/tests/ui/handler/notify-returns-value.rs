use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[notify]
    fn audit(&mut self, note: String) -> usize {
        note.len()
    }
}

fn main() {}
