use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[notify(derive(Clone, Debug, Clone))]
    fn audit(&mut self, note: String) {
        let _ = note;
    }
}

fn main() {}
