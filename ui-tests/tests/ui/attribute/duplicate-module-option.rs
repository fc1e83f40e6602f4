use messages::prelude::*;

#[actor]
struct Config;

#[actor(module = config_messages, module = settings)]
impl Config {
    #[handler]
    fn level(&self) -> u8 {
        1
    }
}

fn main() {}
