use messages::Broadcast;
use messages::prelude::*;

#[actor]
struct Listener;

#[actor]
impl Listener {
    #[notify]
    fn hear(&mut self, line: String) {
        let _ = line;
    }
}

fn main() {
    let _room: Broadcast<listener::Hear> = Broadcast::new();
}
