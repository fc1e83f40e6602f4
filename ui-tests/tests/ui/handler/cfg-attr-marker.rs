use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    // The macro reads its markers before `cfg_attr` is expanded: refused, with the
    // `#[cfg]` form to use instead.
    #[cfg_attr(not(test), handler)]
    fn get(&self) -> u8 {
        1
    }
}

fn main() {}
