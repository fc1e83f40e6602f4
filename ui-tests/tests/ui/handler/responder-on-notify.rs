use messages::prelude::*;
use messages::Responder;

#[actor]
struct Bank;

#[actor]
impl Bank {
    #[notify]
    fn audit(&mut self, note: String, responder: Responder<usize>) {
        responder.send(note.len());
    }
}

fn main() {}
